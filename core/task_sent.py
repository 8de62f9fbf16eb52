"""A task reads SENT from its publishing until a worker takes it, so that an id nobody sent (or
whose result expired) can be told apart: Celery reads both as PENDING (core.selectors
.task_status). Connected to Celery's before_task_publish by competency_site.celery."""

import logging

from celery import current_app

from core.selectors import TASK_SENT

logger = logging.getLogger(__name__)


def record_task_sent(sender=None, headers=None, **kwargs) -> None:
    """Store SENT in the result backend for the task being published. Before the publishing,
    not after as Celery's docs show it, so that a fast worker's own state is never overwritten;
    not for tasks whose results are ignored, whose SENT nothing would ever replace."""
    headers = headers or {}
    task = current_app.tasks.get(sender)
    if not headers.get("id") or headers.get("ignore_result") or getattr(task, "ignore_result", 0):
        return
    backend = task.backend if task is not None else current_app.backend
    try:
        backend.store_result(headers["id"], None, TASK_SENT)
    except Exception:  # the task is still sent; its status reads PENDING until a worker takes it
        logger.warning("Could not record task %s as sent", headers["id"], exc_info=True)
