"""The Celery application. Loaded by competency_site/__init__.py so shared tasks bind to it."""

import os

# Before anything that reads Django's settings: this module is imported by the package itself,
# so it runs first in gunicorn, the workers and beat, ahead of wsgi.py's own default.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")

from celery import Celery
from celery.signals import before_task_publish, task_postrun

from core.jobs import task_claim_release
from core.task_sent import record_task_sent

app = Celery("competency_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A task waiting for a worker reads SENT, not PENDING (core.task_sent).
before_task_publish.connect(record_task_sent, dispatch_uid="competency_site_record_task_sent")
# A task that has ended lets go of its claim, so the same job may be started again (core.jobs).
task_postrun.connect(task_claim_release, dispatch_uid="competency_site_task_claim_release")
