"""A sync's reads of `deletions/`, for every resource it serves, through the API as a client makes
them, on the esco catalogue with a review queue: 20,000 pending suggestions (16,000 of courses,
4,000 of positions, and 2,000 decided), 400 deleted (SuggestionDeletion), and 400 settled
elsewhere (300 course suggestions whose pair was then linked by hand, 100 position suggestions
whose pair was then required by hand) and the suggestions of two retired abilities; and 250
deletions in the lists' histories (200 course-ability links, 50 requirements). Every time is
spread over the last 30 days.

    DATABASE_URL=postgres://root@127.0.0.1:5432/competency_bench \\
        .venv/bin/python benchmarks/bench_deletions.py [--runs 7]

From the harness: `bench_deletions.run(results)` with run.py's `Results`.

The database must hold the catalogue already (benchmarks/run.py or any bench_*.py generates
it); the review queue and the deletions are written in one transaction rolled back at the end,
analysed first. Each request is timed through Django's test client (a superuser, warm), the
median of several runs. Where suggestions are read, in two ways: "narrowed" as deletions/ does,
the suggestions settled elsewhere first narrowed to those that may have left since `since`
(`SuggestionQuerySet.left_since`), and "full" without that narrowing (`left_at` computed for
every pending suggestion settled elsewhere, then filtered). The answers are compared: a
difference is an error.

The reads, of each resource alone and of all at once: a poll with nothing changed (`since` a
minute ago), a poll after a few changes (in a transaction rolled back: three links deleted,
three suggestions deleted, three pending suggestions' pairs linked by hand), and a first sync's
pages of 1,000 (`since=1970-01-01T00:00:00Z`; where that page is full, the next, by
`after_resource` and `after_id` from its last row). A database that holds suggestions already
(the harness's suggestion job of an earlier run) keeps them: the queue is then larger, and the
run prints its size.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
FIRST_SYNC = "1970-01-01T00:00:00Z"
SEED = 11
PENDING_COURSE, PENDING_POSITION, DECIDED = 16_000, 4_000, 2_000
DELETED, LINKED, REQUIRED, RETIRED = 400, 300, 100, 2
HISTORY_LINKS, HISTORY_REQUIREMENTS = 200, 50
SPREAD = timedelta(days=30)
# The harness's target for a poll of the suggestions' deletions: at most this multiple of the
# same poll of the course-ability links' (a history's deletions only). A poll reads what changed
# since, a few rows, and must not cost what reading the whole queue does (unnarrowed, the
# poll took 6-13x the links' on 2026-12-06).
POLL_TARGET = 4.0


class Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


@contextmanager
def not_narrowed():
    """deletions/ as if `left_since` did not narrow: the same rows, `left_at` computed for every
    pending suggestion settled elsewhere."""
    from curricula.models import SuggestionQuerySet

    with mock.patch.object(SuggestionQuerySet, "left_since", lambda self, since: self):
        yield


@contextmanager
def stamped_as_given(*models):
    """bulk_create writing the `updated_at` each row is given (auto_now off): a row updated
    after its insert would leave the update-time index with an entry per version, which a
    queue written long ago and vacuumed does not have."""
    fields = [model._meta.get_field("updated_at") for model in models]
    with contextlib.ExitStack() as stack:
        for field in fields:
            stack.enter_context(mock.patch.object(field, "auto_now", False))
        yield


def _backdate(table: str, column: str, pairs: list[tuple[int, datetime]], key: str = "id") -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {column} = %s WHERE {key} = %s",
            [(stamp, pk) for pk, stamp in pairs],
        )


def review_queue() -> dict[str, int]:
    """The review queue and the deletions (see the module's docstring), in the transaction the
    caller rolls back; the tables read analysed. Returns what was written, by kind."""
    from django.db import connection
    from django.db.models import Max

    from curricula.models import (
        CourseAbility,
        Suggestion,
        SuggestionDeletion,
        SuggestionStatus,
    )
    from positions.models import Ability, Level, Position, Requirement

    rng = random.Random(SEED)
    now = datetime.now(UTC)

    def stamp() -> datetime:
        """A time in the last 30 days, at least ten minutes ago."""
        return now - SPREAD * rng.random() - timedelta(minutes=10)

    level = Level.objects.order_by("rank").first()
    abilities = list(
        Ability.objects.filter(retired=False).order_by("id").values_list("id", flat=True)
    )
    framework_of = dict(Ability.objects.values_list("id", "framework_id"))
    course_ids = list(
        CourseAbility.objects.order_by().values_list("course_id", flat=True).distinct()
    )
    # Pairs neither linked (required) nor suggested already (the harness's suggestion job may
    # have run before).
    linked = set(CourseAbility.objects.values_list("course_id", "ability_id"))
    linked |= set(
        Suggestion.objects.filter(course__isnull=False).values_list("course_id", "ability_id")
    )
    required = set(Requirement.objects.values_list("position_id", "ability_id"))
    required |= set(
        Suggestion.objects.filter(position__isnull=False).values_list("position_id", "ability_id")
    )
    position_ids = list(Position.objects.order_by("id").values_list("id", flat=True))

    def pairs(owners, taken, count):
        found = set()
        while len(found) < count:
            pair = (rng.choice(owners), rng.choice(abilities))
            if pair not in taken:
                found.add(pair)
        return sorted(found)

    course_pairs = pairs(course_ids, linked, PENDING_COURSE + DECIDED)
    position_pairs = pairs(position_ids, required, PENDING_POSITION)
    rows = []
    for index, (course_id, ability_id) in enumerate(course_pairs):
        decided = index >= PENDING_COURSE
        rows.append(
            Suggestion(
                course_id=course_id,
                ability_id=ability_id,
                framework_id=framework_of[ability_id],
                score=rng.random(),
                rank=rng.randint(1, 20),
                method="bench",
                status=rng.choice([SuggestionStatus.ACCEPTED, SuggestionStatus.REJECTED])
                if decided
                else SuggestionStatus.PENDING,
                decided_at=now if decided else None,
                updated_at=stamp(),
            )
        )
    for position_id, ability_id in position_pairs:
        rows.append(
            Suggestion(
                position_id=position_id,
                ability_id=ability_id,
                framework_id=framework_of[ability_id],
                score=rng.random(),
                rank=rng.randint(1, 20),
                method="bench",
                updated_at=stamp(),
            )
        )
    with stamped_as_given(Suggestion, CourseAbility, Requirement):
        made = Suggestion.objects.bulk_create(rows, batch_size=2000)
        pending_course = [s for s in made if s.course_id and s.status == SuggestionStatus.PENDING]
        pending_position = [s for s in made if s.position_id]
        # Settled elsewhere: pairs linked or required by hand after the suggestion was made.
        links = CourseAbility.objects.bulk_create(
            [
                CourseAbility(
                    course_id=s.course_id, ability_id=s.ability_id, level=level, updated_at=stamp()
                )
                for s in rng.sample(pending_course, LINKED)
            ]
        )
        requirements = Requirement.objects.bulk_create(
            [
                Requirement(
                    position_id=s.position_id,
                    ability_id=s.ability_id,
                    min_level=level,
                    updated_at=stamp(),
                )
                for s in rng.sample(pending_position, REQUIRED)
            ]
        )

    retired = rng.sample(sorted({s.ability_id for s in pending_course}), RETIRED)
    Ability.objects.filter(pk__in=retired).update(retired=True)
    _backdate("positions_ability", "updated_at", [(pk, stamp()) for pk in retired])

    # Deleted suggestions: ids past every suggestion's (ids are never reused).
    first = (Suggestion.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    SuggestionDeletion.objects.bulk_create(
        [
            SuggestionDeletion(id=first + n, history_date=stamp(), for_course=n % 5 != 0)
            for n in range(DELETED)
        ]
    )

    # Deletions in the lists' histories, as an editor makes them (one by one, signals and all).
    settled = {r.pk for r in [*links, *requirements]}

    def some(model, count):
        ids = sorted(set(model.objects.values_list("pk", flat=True)) - settled)
        return list(model.objects.filter(pk__in=rng.sample(ids, count)))

    gone_links = some(CourseAbility, HISTORY_LINKS)
    gone_requirements = some(Requirement, HISTORY_REQUIREMENTS)
    gone_ids = {
        model: [r.pk for r in gone]
        for model, gone in ((CourseAbility, gone_links), (Requirement, gone_requirements))
    }
    for record in [*gone_links, *gone_requirements]:
        record.delete()
    for model, gone in gone_ids.items():
        history = model.history.model
        ids = list(
            history.objects.filter(history_type="-", id__in=gone).values_list(
                "history_id", flat=True
            )
        )
        _backdate(
            history._meta.db_table,
            "history_date",
            [(pk, stamp()) for pk in ids],
            key="history_id",
        )

    with connection.cursor() as cursor:
        for table in (
            "curricula_suggestion",
            "curricula_suggestiondeletion",
            "curricula_courseability",
            "positions_requirement",
            "positions_ability",
            CourseAbility.history.model._meta.db_table,
            Requirement.history.model._meta.db_table,
        ):
            cursor.execute(f"ANALYZE {table}")
    return {
        "pending suggestions": Suggestion.objects.pending().count(),
        "settled elsewhere": Suggestion.objects.settled_elsewhere().count(),
        "deleted suggestions": DELETED,
        "history deletions": len(gone_links) + len(gone_requirements),
    }


@contextmanager
def few_changed():
    """Three links deleted, three suggestions deleted and three pending suggestions' pairs
    linked by hand, now, in a transaction rolled back."""
    from curricula.models import CourseAbility, Suggestion
    from curricula.services import suggestion_deletions_record
    from positions.models import Level

    with rolled_back():
        for link in CourseAbility.objects.order_by("id")[:3]:
            link.delete()
        gone = Suggestion.objects.to_review().filter(course__isnull=False).order_by("id")[:3]
        gone = Suggestion.objects.filter(pk__in=list(gone.values_list("pk", flat=True)))
        suggestion_deletions_record(suggestions=gone)
        gone.delete()
        level = Level.objects.order_by("rank").first()
        for suggestion in (
            Suggestion.objects.to_review().filter(course__isnull=False).order_by("-id")[:3]
        ):
            CourseAbility.objects.create(
                course_id=suggestion.course_id, ability_id=suggestion.ability_id, level=level
            )
        yield


def url(**params) -> str:
    return f"/api/v1/deletions/?{urlencode({k: v for k, v in params.items() if v})}"


def measure_all(client, runs: int) -> list[tuple]:
    """(read, resource, rows, narrowed s, full s or None) for every read of every resource."""
    from audit.selectors import DELETION_RESOURCES, SUGGESTIONS_RESOURCE
    from benchmarks.bench_sync import timed  # the median of runs, a 200 checked

    minute_ago = (datetime.now(UTC) - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    rows = []

    def measure(label: str, resource: str, address: str) -> list:
        after, new = timed(client, address, runs)
        before = None
        if resource in (SUGGESTIONS_RESOURCE, ""):
            with not_narrowed():
                before, old = timed(client, address, runs)
            if old != new:
                sys.exit(f"{label} {resource}: the answers differ ({len(old)} rows, {len(new)})")
        rows.append((label, resource or "(all)", len(new), after, before))
        return new

    resources = ["", *DELETION_RESOURCES]
    for resource in resources:
        measure("poll, nothing changed", resource, url(since=minute_ago, resource=resource))
    with few_changed():
        for resource in resources:
            measure("poll, a few changed", resource, url(since=minute_ago, resource=resource))
    for resource in resources:
        page = measure(
            "first sync, page 1",
            resource,
            url(since=FIRST_SYNC, resource=resource, page_size=1000),
        )
        if len(page) < 1000:
            continue
        last = page[-1]
        measure(
            "first sync, page 2",
            resource,
            url(
                since=last["deleted_at"],
                resource=resource,
                after_resource=last["resource"],
                after_id=last["id"],
                page_size=1000,
            ),
        )
    return rows


def _superuser_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return client


def measure(runs: int) -> tuple[dict[str, int], list[tuple]]:
    """The review queue written, every read measured, everything rolled back."""
    with rolled_back():
        written = review_queue()
        client = _superuser_client()
        rows = measure_all(client, runs)
    return written, rows


def print_rows(written: dict[str, int], rows: list[tuple]) -> None:
    print(", ".join(f"{value:,} {name}" for name, value in written.items()))
    print(f"{'read':<22} {'resource':<18} {'rows':>5} {'narrowed ms':>12} {'full ms':>9}")
    for label, resource, count, after, before in rows:
        full = f"{before * 1000:>9.1f}" if before is not None else f"{'':>9}"
        print(f"{label:<22} {resource:<18} {count:>5} {after * 1000:>12.1f} {full}")


def run(results, *, runs: int = 7) -> None:
    """For run.py: the suggestions' polls beside the same poll of the course-ability links (a
    history's deletions only, the same request otherwise), the first sync's pages as notes."""
    written, rows = measure(runs)
    print_rows(written, rows)
    bound = {
        label: after for label, resource, _, after, _ in rows if resource == "course-abilities"
    }
    for label, resource, count, after, _ in rows:
        name = f"deletions/ {resource} {label} ({count} rows)"
        if resource == "suggestions" and label.startswith("poll"):
            results.add(name, after, (bound[label], POLL_TARGET), kind="ratio")
        elif resource in ("suggestions", "(all)"):
            results.note(name, f"{after * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="requests per figure (median)")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/competency_bench")
    sys.path.insert(0, str(ROOT))
    from benchmarks.standalone import setup

    setup(recompute=False)
    print_rows(*measure(args.runs))


if __name__ == "__main__":
    main()
