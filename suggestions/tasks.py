"""Celery tasks of the suggestions app: a generation job with progress, and the debounced
background refreshes. Each takes ids, re-reads, and calls one service."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache

from core.jobs import StarterRefused, task_starter_check
from core.task_retries import retry_when_database_unavailable
from positions.models import Framework
from suggestions import services

_OPTIONS = {
    "bind": True,
    "acks_late": True,
    # Retried only while the database is out of reach (retry_when_database_unavailable).
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "max_retries": 3,
    # The whole esco-size catalogue (5,000 courses) takes about a minute and a half.
    "soft_time_limit": 1800,
    "time_limit": 1900,
}
_PROGRESS_STEPS = 50


def _reporter(task):
    """Progress to the task's state: at the start, at the end, and whenever a fiftieth of the
    total more is done (generation reports once per chunk of subjects; counting on `done` being
    a multiple of a fiftieth left a 2,600-course job at "0 of 2600" until it ended)."""
    last: list[int] = []

    def report(done: int, total: int) -> None:
        if not last or done == total or done - last[0] >= max(1, total // _PROGRESS_STEPS):
            task.update_state(state="PROGRESS", meta={"done": done, "total": total})
            last[:] = [done]

    return report


class GenerateRefused(Exception):
    """The job cannot do what it was asked: its framework was deleted after the request."""


# `throws`: an expected failure, logged without a traceback. It is a failure all the same: a
# job that did nothing must not read SUCCESS at its status URL.
@shared_task(name="suggestions.generate", throws=(GenerateRefused, StarterRefused), **_OPTIONS)
@retry_when_database_unavailable
def generate_suggestions(
    self,
    course_ids: list[int] | None = None,
    position_ids: list[int] | None = None,
    framework_id: int | None = None,
) -> dict:
    """Generate suggestions for the courses and positions (see suggestions_generate). Fails,
    writing nothing, when its starter may no longer generate them (StarterRefused: deactivated,
    or lost the permission, while it waited for a worker) or the framework no longer exists
    (GenerateRefused)."""
    task_starter_check(task_id=self.request.id)
    framework = Framework.objects.filter(pk=framework_id).first() if framework_id else None
    if framework_id and framework is None:
        raise GenerateRefused(f"framework {framework_id} no longer exists")
    result = services.suggestions_generate(
        course_ids=course_ids or [],
        position_ids=position_ids or [],
        framework=framework,
        on_progress=_reporter(self),
    )
    return result.as_dict()


def refresh_lock_key(kind: str, pk: int) -> str:
    """Held from the edit that asks for a refresh until the refresh starts (or shortly before
    it is due, whichever comes first): edits meanwhile ride on the refresh already queued (see
    signals.py)."""
    return f"suggestions:refresh:{kind}:{pk}"


@shared_task(name="suggestions.refresh", **_OPTIONS)
@retry_when_database_unavailable
def refresh_suggestions(
    self,
    course_ids: list[int] | None = None,
    position_ids: list[int] | None = None,
    framework_ids: list[int] | None = None,
    new_course_ids: list[int] | None = None,
) -> dict:
    """Regenerate what changed text or a changed framework made out of date, and generate for
    the new courses."""
    # Released first: an edit from now on must queue a refresh of its own, since this one may
    # already have read the text.
    cache.delete_many(
        [refresh_lock_key("course", pk) for pk in (course_ids or []) + (new_course_ids or [])]
        + [refresh_lock_key("position", pk) for pk in position_ids or []]
        + [refresh_lock_key("framework", pk) for pk in framework_ids or []]
    )
    result = services.suggestions_refresh(
        course_ids=course_ids or [],
        position_ids=position_ids or [],
        framework_ids=framework_ids or [],
        new_course_ids=new_course_ids or [],
    )
    return result.as_dict()
