"""Reads shared by every app: the state of a background task, whatever started it."""

from __future__ import annotations

from celery import current_app
from celery.result import AsyncResult

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
    (Celery's result_expires: a day), reads PENDING (TASK_UNKNOWN)."""
    result = AsyncResult(str(task_id), app=current_app)
    state, info = result.state, result.info
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
