"""The periodic jobs the site's beat runs are real, registered tasks, and the daily purge runs
at a time of day. It ran every 24 hours counted from beat's start: at whatever hour beat last
started (a working hour as likely as a quiet one), and, where beat starts more often than daily
(a deploy a day, a container without its schedule file), never at all, each start putting it a
day further off."""

import datetime
import zoneinfo

import pytest
from celery.schedules import maybe_schedule
from django.conf import settings

from competency_site.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def _purge_schedule(now: datetime.datetime):
    schedule = maybe_schedule(
        settings.CELERY_BEAT_SCHEDULE["purge-import-uploads"]["schedule"], app=app
    )
    schedule.nowfun = lambda: now
    return schedule


def _site_time(day: int, hour: int, minute: int) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=zone)


def test_beat_tells_times_of_day_in_the_sites_time_zone():
    assert app.conf.timezone == settings.TIME_ZONE


@pytest.mark.parametrize("started", [(1, 14, 0), (1, 23, 50), (2, 1, 0)])
def test_the_purge_runs_at_half_past_three_the_night_after_beat_starts(started):
    """Beat starts an entry it had not run with its start as the last run: the purge is due at
    03:30 (the site's time) after it, not 24 hours after the start."""
    last_run = _site_time(*started)
    assert not _purge_schedule(_site_time(2, 3, 29)).is_due(last_run).is_due
    assert _purge_schedule(_site_time(2, 3, 31)).is_due(last_run).is_due


def test_the_purge_runs_once_a_day():
    ran = _site_time(2, 3, 30)
    assert not _purge_schedule(_site_time(2, 23, 59)).is_due(ran).is_due
    assert not _purge_schedule(_site_time(3, 3, 29)).is_due(ran).is_due
    assert _purge_schedule(_site_time(3, 3, 30)).is_due(ran).is_due
