"""The Celery application. Loaded by competency_site/__init__.py so shared tasks bind to it."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")

app = Celery("competency_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
