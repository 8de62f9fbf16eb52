"""Retries of a Celery task whose database was out of reach, and of nothing else.

`autoretry_for=(DatabaseError, InterfaceError)` retried every database error, so a wrong query
(ProgrammingError, or SQLite's "no such column" OperationalError) or a broken constraint ran
again max_retries times, with backoff, before failing as the bug it was from the start. Only an
error that core.errors.database_unavailable reads as the database being unreachable (refused,
lost, too many connections, short of disk or memory, shutting down, busy) is worth waiting for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from celery.utils.time import get_exponential_backoff_interval
from django.db import Error as DatabaseLibraryError

from core.errors import database_unavailable


def retry_when_database_unavailable(run: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a bound task's body (under @shared_task(bind=True, ...)): a database error that
    says the database cannot be reached now retries the task, with the task's retry_backoff,
    retry_backoff_max, retry_jitter and max_retries, as autoretry_for would; after the last retry
    (or for any other error) the error itself is raised, and the task fails with it."""

    @functools.wraps(run)
    def run_or_retry(task, *args: Any, **kwargs: Any) -> Any:
        try:
            return run(task, *args, **kwargs)
        except DatabaseLibraryError as error:
            if not database_unavailable(error):
                raise
            # Celery's autoretry defaults for what the task does not set.
            countdown = get_exponential_backoff_interval(
                factor=int(max(1.0, float(getattr(task, "retry_backoff", 1)))),
                retries=task.request.retries,
                maximum=int(getattr(task, "retry_backoff_max", 600)),
                full_jitter=getattr(task, "retry_jitter", True),
            )
            raise task.retry(exc=error, countdown=countdown) from error

    return run_or_retry
