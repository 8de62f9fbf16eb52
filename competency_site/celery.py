"""The Celery application. Loaded by competency_site/__init__.py so shared tasks bind to it."""

import logging
import os

from celery import Celery
from celery.signals import before_task_publish

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")

app = Celery("competency_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@before_task_publish.connect(dispatch_uid="competency_site_record_task_sent")
def record_task_sent(sender=None, headers=None, **kwargs):
    """Record a task as SENT in the result backend as it is published, so that its status reads
    SENT until a worker takes it and PENDING is left to ids nobody sent (or whose result
    expired): Celery cannot tell those apart otherwise (core.selectors.task_status). Before the
    publishing, not after as Celery's docs show it, so that a fast worker's own state is never
    overwritten. Not for tasks whose results are ignored: nothing would ever replace it."""
    headers = headers or {}
    task = app.tasks.get(sender)
    if not headers.get("id") or headers.get("ignore_result") or getattr(task, "ignore_result", 0):
        return
    try:
        (task.backend if task is not None else app.backend).store_result(
            headers["id"], None, "SENT"
        )
    except Exception:  # the task is still sent; its status reads PENDING until a worker takes it
        logger.warning("Could not record task %s as sent", headers["id"], exc_info=True)
