"""Reads shared by every app: the state of a background task, whatever started it; a record
named by its code in any case; the time a sync may resume from."""

from __future__ import annotations

import functools
import logging
from datetime import UTC, datetime, timedelta

from celery import current_app
from celery.result import AsyncResult
from django.apps import apps
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils import timezone

from core.exceptions import QueueUnavailable
from core.logs import one_line, without_credentials

# The log of every refusal for want of the task queue (core.queue's, where the doors ask it).
queue_logger = logging.getLogger("core.queue")

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
        queue_logger.warning(
            "Result store unreachable; state of task %s not read: %s",
            one_line(str(task_id)),
            without_credentials(" ".join(str(error).split())),
        )
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


logger = logging.getLogger(__name__)

# A change time (`updated_at`, a history row's date, hence a deletion's) is taken by the
# application's clock when the row is written, a moment before the statement reaches the
# database, and the database's clock may differ from the application servers' by a little:
# a watermark stays this far behind what the database knows is committed.
SYNC_WATERMARK_MARGIN = timedelta(minutes=1)
SYNC_WATERMARK_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# One query: the database's time, the start of the oldest transaction open in this database
# (another session's: this one's is the statement itself), and whether a session that has
# written (it holds a transaction id, which every role may see) hides when its transaction
# began (its role is not this one's, and this one is not in pg_read_all_stats).
_OLDEST_OPEN_TRANSACTION = """
    SELECT statement_timestamp(),
           min(xact_start),
           coalesce(bool_or(backend_xid IS NOT NULL AND xact_start IS NULL), false)
      FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid()
"""


@functools.cache
def _latest_committed_change_sql() -> str:
    """SQLite: the latest history date of every model with history, each its index's last
    entry (simple_history indexes history_date), in one statement."""
    quote = connection.ops.quote_name
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if any(field.name == "history_date" for field in model._meta.concrete_fields)
    )
    arms = " UNION ALL ".join(
        f"SELECT max({quote('history_date')}) AS latest FROM {quote(table)}" for table in tables
    )
    return f"SELECT max(latest) FROM ({arms})"


def sync_watermark(*, since: datetime | None = None) -> datetime:
    """The time a client that has read a sync's answers may resume from: every change stamped
    before it that will ever be seen had committed when this was read, so a list or
    deletions/ read after it shows it. Read it before the rows it goes with.

    A change's time is taken when its row is written, not when its transaction commits: an
    import writing for minutes in one transaction shows its rows, stamped from its start, only
    once it commits, after a client may have read past them. Less SYNC_WATERMARK_MARGIN:

    - PostgreSQL: the start of the oldest transaction still open in the database (read-only
      ones too: one may have stamped a row it has not written yet), bounded by now. A session
      of a role whose activity this one may not read (grant it pg_read_all_stats) that has
      written cannot be dated: the watermark is then `since`, what the client gave
      (SYNC_WATERMARK_EPOCH without one), which its previous sync vouched for.
    - SQLite has one writer at a time, whose transaction takes the lock when it begins
      (IMMEDIATE): every change committed was stamped before an open writer stamps any, so the
      latest committed one (of the histories, SYNC_WATERMARK_EPOCH before any), bounded by now,
      is past none still to come. Now alone is not: a writer open meanwhile (an import from the
      command line) commits changes stamped before it.

    One query."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_latest_committed_change_sql())
            (latest,) = cursor.fetchone()
        if latest is None:
            return SYNC_WATERMARK_EPOCH
        if isinstance(latest, str):  # SQLite answers an aggregate's text as it is stored
            latest = connection.ops.convert_datetimefield_value(latest, None, connection)
        return min(timezone.now(), latest) - SYNC_WATERMARK_MARGIN
    with connection.cursor() as cursor:
        cursor.execute(_OLDEST_OPEN_TRANSACTION)
        now, oldest, undated = cursor.fetchone()
    if undated:
        logger.warning(
            "A sync's watermark cannot advance: a session of another role has an open "
            "transaction that wrote, and this role may not read when it began (grant it "
            "pg_read_all_stats)."
        )
        return since or SYNC_WATERMARK_EPOCH
    return min(now, oldest or now) - SYNC_WATERMARK_MARGIN
