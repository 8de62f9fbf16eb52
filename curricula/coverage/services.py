"""Writes for coverage: marking reports stale when their inputs change, and recomputing them.

Staleness travels with the edit. Every change that can alter a report calls one of the
`coverage_mark_stale*` services (model signals do it for single saves; bulk writers call them or
send positions.signals). Inside a transaction the affected programmes are collected per
connection: each is marked stale once with one UPDATE, and ONE `on_commit` callback enqueues their
recompute when the transaction commits, so an import of 1,000 links recomputes each affected
programme once, not 1,000 times. A rolled-back edit enqueues nothing.

After commit, with a broker the programmes are recomputed by Celery tasks, in batches
(`coverage_batches`: a small edit's programmes in one task on the default queue, a large one's in
batches on the bulk queue); without a broker (the embedded default) the same task runs inline, for
all the programmes at once. Enqueueing never breaks the
edit: if the broker is down the programme stays stale and the periodic sweep recomputes it.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import threading
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.db.models import DateTimeField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.exceptions import QueueUnavailable
from core.jobs import task_start
from core.queue import ensure_queue_reachable
from core.services import rows_key_share
from curricula.coverage.engine import fingerprints, iter_reports
from curricula.coverage.selectors import coverage_inputs, coverage_stale_programme_ids
from curricula.models import (
    CourseAbility,
    CoverageState,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
    ProgrammeTarget,
)
from positions.models import Ability

logger = logging.getLogger(__name__)


class CoverageQueueUnavailable(QueueUnavailable):
    """The task queue could not take the recompute; the programme stays stale."""


# What asking for a recompute takes, so what following someone else's takes.
RECOMPUTE_PERMISSION = "curricula.change_programme"


@dataclass
class _Pending:
    """What one transaction has marked stale so far, and lookups it may reuse.

    The lookups are safe to cache for the transaction's lifetime: a programme gaining a course or
    target later in the transaction is marked by that change itself.
    """

    programme_ids: set[int] = field(default_factory=set)
    by_course: dict[int, frozenset[int]] = field(default_factory=dict)
    by_position: dict[int, frozenset[int]] = field(default_factory=dict)
    callback: Callable[[], None] | None = None
    done: bool = False


_local = threading.local()


def _pending(connection) -> _Pending:
    """The current transaction's pending set, starting one (and its commit hook) if needed.

    A pending set is current while its callback is still queued on the connection: a rollback (of
    the transaction, or of the savepoint the callback was registered in) drops the callback, and
    with it everything marked under it, which the rollback also undid.
    """
    state: _Pending | None = getattr(_local, "pending", None)
    if (
        state is not None
        and not state.done
        and getattr(_local, "connection", None) is connection
        and any(func is state.callback for _, func, _ in connection.run_on_commit)
    ):
        return state
    state = _Pending()

    def flush() -> None:
        state.done = True
        coverage_dispatch(programme_ids=state.programme_ids)

    state.callback = flush
    _local.pending, _local.connection = state, connection
    transaction.on_commit(flush, robust=True)
    return state


def _forget_pending(programme_ids: Collection[int]) -> None:
    """A recompute run inside the transaction that marked these programmes brought them up to
    date: later edits in the same transaction must mark them again."""
    state: _Pending | None = getattr(_local, "pending", None)
    if state is not None and not state.done:
        state.programme_ids.difference_update(programme_ids)
        # The cached course/position lookups may predate courses or targets added since.
        state.by_course.clear()
        state.by_position.clear()


def _programmes_key_lock(programme_ids: set[int]) -> None:
    """Lock the programmes' rows as the check of a foreign key to them does (FOR KEY SHARE),
    in key order, before their coverage rows: a programme being deleted (its row locked first,
    core.services.deleting, then its coverage row) and a writer marking its coverage (a place
    in it added by any door, whose key to it is checked at the commit) then lock in one order,
    one waiting for the other, where each held what the other waited for: a deadlock, which
    PostgreSQL broke by failing one of the two. Not edits of the programme's own fields, which
    it lets through. (SQLite's writers take turns, whole transactions.)"""
    rows_key_share(Programme, programme_ids)


def _write_stale(programme_ids: set[int]) -> None:
    _programmes_key_lock(programme_ids)
    now = timezone.now()
    updated = ProgrammeCoverage.objects.filter(programme_id__in=programme_ids).update(
        state=CoverageState.STALE,
        stale_since=Coalesce(F("stale_since"), Value(now, output_field=DateTimeField())),
    )
    if updated < len(programme_ids):
        # A programme without a coverage row yet (new, or created by a bulk write): give it one.
        existing = set(
            ProgrammeCoverage.objects.filter(programme_id__in=programme_ids).values_list(
                "programme_id", flat=True
            )
        )
        missing = Programme.objects.filter(id__in=programme_ids - existing).values_list(
            "id", flat=True
        )
        ProgrammeCoverage.objects.bulk_create(
            [
                ProgrammeCoverage(programme_id=pid, state=CoverageState.STALE, stale_since=now)
                for pid in missing
            ],
            ignore_conflicts=True,
        )


@transaction.atomic(savepoint=False)
def coverage_mark_stale(*, programme_ids: Iterable[int]) -> set[int]:
    """Mark the programmes' reports stale and have them recomputed after commit.

    Writes: one UPDATE for the programmes not yet marked in this transaction (and coverage rows
    for programmes that have none). Enqueues: nothing now; when the transaction commits, the
    recompute of the programmes marked in it (`coverage_dispatch`). Returns the programmes
    newly marked.
    """
    ids = {pid for pid in programme_ids if pid is not None}
    if not ids:
        return set()
    state = _pending(transaction.get_connection())
    new = ids - state.programme_ids
    if new:
        _write_stale(new)
        state.programme_ids |= new
    return new


def _cached_lookup(
    ids: Iterable[int],
    cache: dict[int, frozenset[int]],
    query: Callable[[set[int]], Iterable[tuple[int, int]]],
) -> set[int]:
    wanted = {i for i in ids if i is not None}
    unknown = wanted - cache.keys()
    if unknown:
        found: dict[int, set[int]] = {key: set() for key in unknown}
        for key, programme_id in query(unknown):
            found[key].add(programme_id)
        cache.update({key: frozenset(value) for key, value in found.items()})
    return set().union(*(cache[key] for key in wanted)) if wanted else set()


@transaction.atomic(savepoint=False)
def coverage_mark_stale_for_courses(*, course_ids: Iterable[int]) -> set[int]:
    """Mark stale every programme teaching one of the courses (a link was added, changed or
    deleted). Bulk link writers call this once with all the courses they touched."""
    state = _pending(transaction.get_connection())
    programme_ids = _cached_lookup(
        course_ids,
        state.by_course,
        lambda ids: ProgrammeCourse.objects.filter(course_id__in=ids).values_list(
            "course_id", "programme_id"
        ),
    )
    return coverage_mark_stale(programme_ids=programme_ids)


@transaction.atomic(savepoint=False)
def coverage_mark_stale_for_positions(*, position_ids: Iterable[int]) -> set[int]:
    """Mark stale every programme targeting one of the positions (its requirements changed)."""
    state = _pending(transaction.get_connection())
    programme_ids = _cached_lookup(
        position_ids,
        state.by_position,
        lambda ids: ProgrammeTarget.objects.filter(position_id__in=ids).values_list(
            "position_id", "programme_id"
        ),
    )
    return coverage_mark_stale(programme_ids=programme_ids)


def _programmes_using(*, requirement_field: str, link_field: str, ids: set[int]) -> set[int]:
    """Programmes whose targets' requirements or whose courses' links have `field` in `ids`."""
    if not ids:
        return set()
    return set(
        ProgrammeTarget.objects.filter(
            **{f"position__requirements__{requirement_field}__in": ids}
        ).values_list("programme_id", flat=True)
    ) | set(
        ProgrammeCourse.objects.filter(
            **{f"course__ability_links__{link_field}__in": ids}
        ).values_list("programme_id", flat=True)
    )


@transaction.atomic(savepoint=False)
def coverage_mark_stale_for_abilities(*, ability_ids: Iterable[int]) -> set[int]:
    """Mark stale every programme where one of the abilities is required by a target or built
    by a course (its area changed, or it was replaced in bulk)."""
    return coverage_mark_stale(
        programme_ids=_programmes_using(
            requirement_field="ability_id", link_field="ability_id", ids=set(ability_ids)
        )
    )


@transaction.atomic(savepoint=False)
def coverage_mark_stale_for_levels(*, level_ids: Iterable[int]) -> set[int]:
    """Mark stale every programme whose requirements or links use one of the levels (its rank or
    code changed)."""
    return coverage_mark_stale(
        programme_ids=_programmes_using(
            requirement_field="min_level_id", link_field="level_id", ids=set(level_ids)
        )
    )


@transaction.atomic(savepoint=False)
def coverage_mark_stale_for_areas(*, area_ids: Iterable[int]) -> set[int]:
    """Mark stale every programme with a required ability in one of the areas (the per-area
    figures change when an area goes away or is reordered)."""
    ids = set(area_ids)
    if not ids:
        return set()
    programme_ids = ProgrammeTarget.objects.filter(
        position__requirements__ability__area_id__in=ids
    ).values_list("programme_id", flat=True)
    return coverage_mark_stale(programme_ids=set(programme_ids))


def coverage_batches(*, programme_ids: Collection[int]) -> tuple[str, list[list[int]]]:
    """How a recompute of these programmes is split for the workers: (queue, batches).

    Up to COVERAGE_BATCH_SIZE programmes (an ordinary edit touches a handful) make one task on
    the default queue, so a designer's edit never waits behind a sweep. More (a course shared by
    thousands of programmes, the sweep) are cut into batches of COVERAGE_BATCH_SIZE on
    COVERAGE_BULK_QUEUE, which any number of worker processes share: neither one task per
    programme (each would reload the catalogue) nor one for all (one process for all of it).
    """
    size = max(1, settings.COVERAGE_BATCH_SIZE)
    ids = sorted(programme_ids)
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
    queue = (
        settings.CELERY_TASK_DEFAULT_QUEUE if len(batches) <= 1 else settings.COVERAGE_BULK_QUEUE
    )
    return queue, batches


def coverage_dispatch(*, programme_ids: Collection[int]) -> None:
    """Enqueue the recompute of the programmes (after commit; called by the commit hook).

    With a broker: tasks as `coverage_batches` splits them; the first broker error is logged and
    the rest are left stale for the sweep (each try would wait for the same dead broker). Without
    a broker the task runs inline here, for all of them at once. Never raises: the edit has
    already committed.
    """
    if not programme_ids:
        return
    from curricula.tasks import recompute_coverage

    ids = sorted(programme_ids)
    if recompute_coverage.app.conf.task_always_eager:
        try:
            recompute_coverage.delay(programme_ids=ids)
        except Exception:
            logger.exception("Inline coverage recompute failed for programmes %s", ids)
        return
    queue, batches = coverage_batches(programme_ids=ids)
    for index, batch in enumerate(batches):
        try:
            # No one waits on these results; and skipping the result subscription keeps a dead
            # Redis from holding the request (the result backend retries for ~20 s).
            recompute_coverage.apply_async(
                kwargs={"programme_ids": batch}, queue=queue, ignore_result=True
            )
        except Exception as error:
            logger.warning(
                "Could not enqueue coverage recompute (%s); programmes %s stay stale until "
                "the sweep or `manage.py recompute_coverage --stale`.",
                error,
                [pid for rest in batches[index:] for pid in rest],
            )
            return


def coverage_request_recompute(*, programme: Programme, started_by=None) -> str:
    """Mark the programme stale and enqueue its recompute now; returns the task id, whose status
    GET /api/v1/tasks/{id}/ reports to `started_by` (or to staff who may change programmes).

    Writes: the coverage row (state stale). Enqueues: one task, forced past the state
    check (the fingerprint still skips unchanged inputs); unless a recompute of the programme
    asked for this way still waits or runs, whose id is returned, nothing written (core.jobs).
    Raises CoverageQueueUnavailable when the broker cannot take it; the programme then stays
    stale for the sweep; Programme.DoesNotExist (nothing written, nothing started) when the
    programme was deleted meanwhile.
    """
    from curricula.tasks import recompute_coverage

    try:
        # Fail fast: the result backend would otherwise retry a dead Redis for ~20 s.
        ensure_queue_reachable(
            app=recompute_coverage.app, what=f"coverage recompute of programme {programme.pk}"
        )
    except QueueUnavailable as error:
        raise CoverageQueueUnavailable(str(error)) from error

    def start(task_id: str) -> None:
        with transaction.atomic():
            # The programme's row before its coverage row, the order a deletion locks them in:
            # one deleted since the request read it is gone (a 404), where its coverage row,
            # gone with it, was inserted again pointing at nothing (a 400 naming a field).
            _programmes_key_lock({programme.pk})
            if not Programme.objects.filter(pk=programme.pk).exists():
                raise Programme.DoesNotExist(f"Programme {programme.pk} was deleted meanwhile")
            coverage, _ = ProgrammeCoverage.objects.select_for_update().get_or_create(
                programme=programme
            )
            coverage.state = CoverageState.STALE
            coverage.stale_since = coverage.stale_since or timezone.now()
            coverage.full_clean()
            coverage.save(update_fields=["state", "stale_since"])
        try:
            recompute_coverage.apply_async(
                kwargs={"programme_ids": [programme.pk], "force": True}, task_id=task_id
            )
        except Exception as error:
            logger.warning("Could not enqueue coverage recompute of %s: %s", programme.pk, error)
            raise CoverageQueueUnavailable(str(error)) from error

    try:
        started = task_start(
            operation="coverage.recompute",
            scope={"programme": programme.pk},
            started_by=started_by,
            permissions=[RECOMPUTE_PERMISSION],
            start=start,
        )
    except QueueUnavailable as error:  # the result store, read for a recompute already queued
        if isinstance(error, CoverageQueueUnavailable):
            raise
        raise CoverageQueueUnavailable(str(error)) from error
    return started.task_id


@dataclass
class RecomputeResult:
    """What a recompute did: reports rebuilt, reports found unchanged (fingerprint), programmes
    left stale because an edit arrived while they were being computed, and programmes another
    recompute claimed after this one (it read later inputs, so its report is the one kept)."""

    rebuilt: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    still_stale: list[int] = field(default_factory=list)
    superseded: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[int]]:
        return {
            "rebuilt": self.rebuilt,
            "unchanged": self.unchanged,
            "still_stale": self.still_stale,
            "superseded": self.superseded,
        }


def _claim(programme_ids: Collection[int] | None, *, force: bool) -> tuple[list[int], uuid.UUID]:
    """Mark the programmes computing under a new claim, taken now (`claimed_at`: the sweep
    leaves them to it for STUCK_AFTER); returns them and the claim."""
    rows = ProgrammeCoverage.objects.all()
    programmes = Programme.objects.all()
    if programme_ids is not None:
        rows = rows.filter(programme_id__in=programme_ids)
        programmes = programmes.filter(id__in=programme_ids)
    if force:
        # Forced runs cover programmes that never had a row (created by a bulk write). Their
        # rows locked as a key check locks them first, so a deletion under way is waited for and
        # a programme it deleted is not read: its row inserted then failed its foreign key.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                missing = programmes.filter(coverage__isnull=True).values_list("id", flat=True)
                _programmes_key_lock(set(missing))
            ProgrammeCoverage.objects.bulk_create(
                [
                    ProgrammeCoverage(programme_id=pid)
                    for pid in programmes.filter(coverage__isnull=True).values_list("id", flat=True)
                ],
                ignore_conflicts=True,
            )
    else:
        # A fresh report was computed after the last edit: a queued duplicate has nothing to do.
        rows = rows.exclude(state=CoverageState.FRESH)
    claimed = list(rows.values_list("programme_id", flat=True))
    claim = uuid.uuid4()
    if claimed:
        ProgrammeCoverage.objects.filter(programme_id__in=claimed).update(
            state=CoverageState.COMPUTING, claim=claim, claimed_at=timezone.now()
        )
    return claimed, claim


# What a recompute writes per row: every column when the report changed; only the state and the
# fingerprint when the rebuilt report came out the same as the stored one (its digest matches).
_REPORT_FIELDS = (
    "state",
    "stale_since",
    "computed_at",
    "inputs_fingerprint",
    "report_digest",
    "percent",
    "score",
    "summary",
    "report",
)
_STATE_FIELDS = _REPORT_FIELDS[:3]
_SAME_REPORT_FIELDS = _REPORT_FIELDS[:4]
_CASTS = {
    "stale_since": "::timestamptz",
    "computed_at": "::timestamptz",
    "percent": "::double precision",
    "score": "::double precision",
    "report": "::json",
    "summary": "::jsonb",
}


def coverage_summary(report: dict) -> dict:
    """What ProgrammeCoverage.summary keeps of a report: all but the per-requirement part."""
    return {key: value for key, value in report.items() if key != "positions"}


def _report_digest(encoded: bytes) -> str:
    return hashlib.blake2b(encoded, digest_size=16).hexdigest()


# The most VALUES an UPDATE of `_write_rows` carries, in bytes of SQL. One statement for a whole
# batch grew with it: ~30 MB of SQL for the 1,200 reports of the x4 catalogue, held in Python
# (quoted, joined, decoded) and sent to PostgreSQL at once, which refuses a message past 1 GB
# (~40,000 reports of the esco preset's size in one `recompute_coverage --all`). Statements of
# ~2 MB take the same time (measured interleaved on the x1, x2 and x4 catalogues).
WRITE_STATEMENT_BYTES = 2_000_000


def _write_rows(
    rows: list[ProgrammeCoverage], fields: Sequence[str], encoded: Mapping[int, bytes]
) -> None:
    """Persist `fields` of coverage rows: UPDATE ... FROM (VALUES ...) on PostgreSQL, as few
    statements as keep each within WRITE_STATEMENT_BYTES (one for the ~25 kB reports of up to ~80
    programmes; every row in one statement when no report is written).

    bulk_update's CASE WHEN statements, with every report encoded by the json module, were half
    of a full recompute's time (0.5 s of ~1.8 s for 300 programmes, see BENCHMARKS.md). Reports
    come already encoded by orjson (`encoded`, by programme id): their digest is taken from the
    same bytes.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        ProgrammeCoverage.objects.bulk_update(rows, list(fields), batch_size=50)
        return

    def value(row: ProgrammeCoverage, name: str):
        if name == "report":
            return encoded[row.programme_id].decode()
        if name == "summary":
            return orjson.dumps(row.summary).decode()
        return getattr(row, name)

    table = ProgrammeCoverage._meta.db_table
    assignments = ", ".join(f"{name} = v.{name}" for name in fields)
    template = "(%s, " + ", ".join(f"%s{_CASTS.get(name, '')}" for name in fields) + ")"
    head = f"UPDATE {table} AS c SET {assignments} FROM (VALUES "
    tail = f") AS v(id, {', '.join(fields)}) WHERE c.id = v.id"
    with connection.cursor() as cursor:
        # Rows are quoted by the driver (what execute_values does), and each statement goes
        # through Django's cursor so that it shows among the captured queries.
        mogrify = cursor.cursor.mogrify
        pending: list[bytes] = []
        size = 0
        for row in rows:
            quoted = mogrify(template, (row.pk, *(value(row, name) for name in fields)))
            if pending and size + len(quoted) > WRITE_STATEMENT_BYTES:
                cursor.execute(head + b", ".join(pending).decode() + tail)
                pending, size = [], 0
            pending.append(quoted)
            size += len(quoted) + 2
        cursor.execute(head + b", ".join(pending).decode() + tail)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a batch recompute.

    A full recompute allocates ~1M small tuples, lists and dicts, none of them in a cycle (they
    are freed by reference counting); the collector kept walking them all the same, and took
    over half of the build's time (0.62 s of engine time down to 0.24 s without it). The pause
    must last until those objects are freed: re-enabled while the reports were still alive, the
    collector's first pass walked all of them at once (0.15 s of a 1 s full recompute, see
    BENCHMARKS.md). Process-wide for about a second; restored even on error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def coverage_recompute(
    *,
    programme_ids: Collection[int] | None = None,
    force: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> RecomputeResult:
    """Recompute the coverage reports of the programmes (all when None), in one batch.

    Claims the programmes (state computing; without `force`, only those not fresh), loads their
    inputs in a constant number of queries, skips those whose inputs fingerprint is unchanged,
    builds the others' reports and writes those that changed (`_write_rows`; a rebuilt report
    whose digest matches the stored one only has its state and fingerprint written). A programme
    an edit marked stale meanwhile gets the new report but stays stale (its own recompute is
    queued). A programme another recompute claimed meanwhile is left to it: that one read the
    inputs later, so this one writes nothing of it. Enqueues nothing. `on_progress(done, total)`
    is called as reports are built.
    """
    result = RecomputeResult()
    claimed, claim = _claim(programme_ids, force=force)
    if not claimed:
        return result
    # The batch's inputs and reports are all freed when _recompute_claimed returns, before the
    # collector is back on.
    with _gc_paused():
        _recompute_claimed(programme_ids, claimed, claim, result, on_progress)
    _forget_pending(set(claimed) - set(result.still_stale))
    return result


def _recompute_claimed(
    programme_ids: Collection[int] | None,
    claimed: list[int],
    claim: uuid.UUID,
    result: RecomputeResult,
    on_progress: Callable[[int, int], None] | None,
) -> None:
    programmes, catalogue = coverage_inputs(
        programme_ids=None if programme_ids is None else claimed
    )
    claimed_set = set(claimed)
    programmes = [p for p in programmes if p.id in claimed_set]
    prints = fingerprints(programmes, catalogue)
    stored = {
        programme_id: (fingerprint, digest)
        for programme_id, fingerprint, digest in ProgrammeCoverage.objects.filter(
            programme_id__in=claimed
        ).values_list("programme_id", "inputs_fingerprint", "report_digest")
    }
    to_build = [p for p in programmes if prints[p.id] != stored.get(p.id, ("", ""))[0]]
    total = len(to_build)
    reports: dict[int, dict] = {}
    encoded: dict[int, bytes] = {}
    for done, (programme_id, report) in enumerate(iter_reports(to_build, catalogue), start=1):
        reports[programme_id] = report
        encoded[programme_id] = orjson.dumps(report)
        if on_progress is not None:
            on_progress(done, total)

    now = timezone.now()
    with transaction.atomic():
        rows = list(
            ProgrammeCoverage.objects.select_for_update()
            .filter(programme_id__in=claimed)
            .only("id", "programme_id", "state", "stale_since", "claim")
        )
        changed, same, unchanged = [], [], []
        for row in rows:
            if row.claim != claim:
                # Claimed again since (an edit's own recompute): the later claimant read the
                # inputs after this one did, and writes (or has written) the newer report.
                result.superseded.append(row.programme_id)
                continue
            if row.state == CoverageState.COMPUTING:
                row.state, row.stale_since = CoverageState.FRESH, None
            else:
                result.still_stale.append(row.programme_id)
            row.computed_at = now
            report = reports.get(row.programme_id)
            if report is None:
                unchanged.append(row)
                result.unchanged.append(row.programme_id)
                continue
            result.rebuilt.append(row.programme_id)
            row.inputs_fingerprint = prints[row.programme_id]
            row.report_digest = _report_digest(encoded[row.programme_id])
            if row.report_digest == stored.get(row.programme_id, ("", ""))[1]:
                # Rebuilt to the very bytes stored: sending 25 kB of JSON back for PostgreSQL to
                # parse and compress again would only rewrite the same value.
                same.append(row)
            else:
                # Computed data from our own engine: nothing for full_clean to catch here.
                row.report, row.summary = report, coverage_summary(report)
                row.percent, row.score = report["percent"], report["score"]
                changed.append(row)
        _write_rows(changed, _REPORT_FIELDS, encoded)
        _write_rows(same, _SAME_REPORT_FIELDS, encoded)
        _write_rows(unchanged, _STATE_FIELDS, encoded)


def coverage_sweep() -> RecomputeResult:
    """Recompute every stale (or stuck) programme in one batch: the periodic safety net for
    recomputes that could not be enqueued."""
    ids = coverage_stale_programme_ids()
    if not ids:
        return RecomputeResult()
    return coverage_recompute(programme_ids=ids)


def coverage_import_changes(
    *,
    changes: dict,
    removed: set[int],
    reworded: set[int],
    framework_ids: set[int],
    related_ability_ids: set[int],
    position_ids: set[int],
) -> set[int]:
    """Add to a framework import's changes (inside its transaction, once it has written) the
    course links pointing at removed or reworded abilities, and the programmes whose coverage the
    import changed: percent before (the stored report) and after (computed now by the engine from
    the imported data, not stored: the usual recompute follows the commit). Writes nothing but
    `changes`; returns the removed or reworded abilities that course links still use."""
    from positions.importers.changes import CHANGES_LIST_LIMIT

    watched = removed | reworded
    links = list(
        CourseAbility.objects.filter(ability_id__in=watched)
        .order_by("course__code", "ability_id")
        .values_list(
            "id",
            "course_id",
            "course__code",
            "ability_id",
            "ability__code",
            "ability__text",
            "level__code",
        )
    )
    changes["links"] = {
        "count": len(links),
        "items": [
            {
                "id": pk,
                "course": {"id": course_id, "code": course_code},
                "ability": {"id": ability_id, "code": ability_code, "text": ability_text},
                "level": level,
                "change": "removed" if ability_id in removed else "reworded",
            }
            for pk, course_id, course_code, ability_id, ability_code, ability_text, level in links[
                :CHANGES_LIST_LIMIT
            ]
        ],
    }
    touched = Ability.objects.filter(framework_id__in=framework_ids).values("id")
    affected = set(
        ProgrammeTarget.objects.filter(
            Q(position__requirements__ability_id__in=touched)
            | Q(position__requirements__ability_id__in=related_ability_ids)
            | Q(position_id__in=position_ids)
        ).values_list("programme_id", flat=True)
    ) | set(
        ProgrammeCourse.objects.filter(
            Q(course__ability_links__ability_id__in=touched)
            | Q(course__ability_links__ability_id__in=related_ability_ids)
        ).values_list("programme_id", flat=True)
    )
    changed = []
    if affected:
        programmes, catalogue = coverage_inputs(programme_ids=affected)
        names = dict(Programme.objects.filter(id__in=affected).values_list("id", "name"))
        before = dict(
            ProgrammeCoverage.objects.filter(programme_id__in=affected).values_list(
                "programme_id", "percent"
            )
        )
        for programme_id, report in iter_reports(programmes, catalogue):
            was, now = before.get(programme_id), report["percent"]
            if was != now:
                changed.append(
                    {"id": programme_id, "name": names[programme_id], "before": was, "after": now}
                )
    changes["programmes"] = {"count": len(changed), "items": changed[:CHANGES_LIST_LIMIT]}
    return {row[3] for row in links}
