"""The periodic jobs the site's beat runs are real, registered tasks."""

from django.conf import settings

from competency_site.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def test_beat_runs_the_purge_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-import-uploads"]
    assert entry["schedule"] == 24 * 3600
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
