"""Reads shared by every app: the state of a background task, whatever started it; a record
named by its code in any case."""

from __future__ import annotations

from celery import current_app
from celery.result import AsyncResult
from django.db.models import Model, QuerySet

from core.exceptions import QueueUnavailable

# States after which a task's state no longer changes.
TASK_READY_STATES = frozenset({"SUCCESS", "FAILURE", "REVOKED"})
# What a task reads from being published until a worker takes it (competency_site.celery
# records it), and what an id reads that nobody sent, or whose result expired.
TASK_SENT = "SENT"
TASK_UNKNOWN = "PENDING"


def task_status(*, task_id: str) -> dict:
    """A task's state, progress (`{"done", "total"}` while it reports PROGRESS), result (once it
    succeeded) and error (the exception's text once it failed; tracebacks stay in the worker's
    log). A task waiting for a worker reads SENT; an id nobody sent, or whose result expired
    (Celery's result_expires: a day), reads PENDING (TASK_UNKNOWN). Raises QueueUnavailable
    while the result store (Redis) cannot be reached, as the doors that start tasks do."""
    result = AsyncResult(str(task_id), app=current_app)
    unreachable = (OSError, *getattr(result.backend, "connection_errors", ()))
    try:
        state, info = result.state, result.info
    except unreachable as error:
        raise QueueUnavailable(str(error)) from error
    progress = None
    if state == "PROGRESS" and isinstance(info, dict):
        progress = {"done": info.get("done", 0), "total": info.get("total", 0)}
    return {
        "id": str(task_id),
        "state": state,
        "progress": progress,
        "result": info if state == "SUCCESS" else None,
        "error": str(info) if state == "FAILURE" else None,
    }


def record_by_code(queryset: QuerySet, code: str, *, field: str = "code") -> Model | None:
    """The record of `queryset` whose `field` is `code`: exactly, else case-insensitively when
    that names one record (`m` is the level M), as the API's writes, filters and lookups read a
    code. None for a code no record has, two records answer to, or no column could hold (longer
    than the field, or with a NUL, which PostgreSQL refuses)."""
    max_length = queryset.model._meta.get_field(field).max_length or 255
    if len(code) > max_length or "\x00" in code:
        return None
    record = queryset.filter(**{field: code}).first()
    if record is not None:
        return record
    named = list(queryset.filter(**{f"{field}__iexact": code})[:2])
    return named[0] if len(named) == 1 else None
