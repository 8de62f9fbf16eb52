"""A sync's reads of the lists whose update time is computed (positions, programs,
certifications, requirements), through the API as a client makes them, on the esco catalogue.

    DATABASE_URL=postgres://root@127.0.0.1:5432/competency_bench \\
        .venv/bin/python benchmarks/bench_sync.py

The database must hold the catalogue already (benchmarks/run.py or any bench_*.py generates
it); nothing is written to it but in transactions rolled back. Each request is timed through
Django's test client (the project's URLs, anonymous, warm), the median of several runs, in two
ways: "full" filters `?updated_since=` as the lists did before, on the whole update-time
expression computed for every row; "indexed" as they do now, first by conditions that each
stop early (`ChangedAt.changed_since`), the expression then computed for the rows that pass.
The answers are compared: a difference is an error. The whole run is one transaction rolled
back, in which the indexes the conditions use (positions.Ability's) are made if the database
lacks them.

The reads: a poll with nothing changed (`updated_since` a minute ago), a poll where three
records changed (in a transaction rolled back: three of the abilities positions and
requirements show, three courses programmes and certifications show), and a first sync's first
two pages of 1,000 (`1970-01-01T00:00:00Z`, then `after_id` from the first page's last row).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
FIRST_SYNC = "1970-01-01T00:00:00Z"
LISTS = ("positions", "programs", "certifications", "requirements")


def full_expression_filter(self, qs, value):
    """UpdatedSinceFilter.filter as it was: the annotation itself in the WHERE clause."""
    if value is None:
        return qs
    return qs.filter(**{f"{self.field_name}__gte": value}).order_by(self.field_name, "pk")


def full_expression_after(self, queryset, since, after_id):
    stamp = self.filters["updated_since"].field_name
    return queryset.exclude(**{stamp: since, "pk__lte": after_id})


@contextmanager
def full_expression():
    from core.api.filters import SyncFilterSet, UpdatedSinceFilter

    with (
        mock.patch.object(UpdatedSinceFilter, "filter", full_expression_filter),
        mock.patch.object(SyncFilterSet, "filter_after", full_expression_after),
    ):
        yield


def timed(client, url: str, runs: int) -> tuple[float, list]:
    times = []
    body = None
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        body = response.json()
    results = body["results"] if isinstance(body, dict) else body
    return statistics.median(times), results


def url(name: str, **params) -> str:
    return f"/api/v1/{name}/?{urlencode(params)}"


@contextmanager
def three_changed():
    """Three abilities and three courses touched, in a transaction rolled back."""
    from django.db import transaction
    from django.utils import timezone

    from curricula.models import Course, ProgrammeCourse
    from positions.models import Ability, Requirement

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            now = timezone.now()
            abilities = Requirement.objects.order_by("position_id").values_list("ability_id")
            Ability.objects.filter(pk__in=[pk for (pk,) in abilities[:3]]).update(updated_at=now)
            courses = ProgrammeCourse.objects.order_by("programme_id").values_list("course_id")
            Course.objects.filter(pk__in=[pk for (pk,) in courses[:3]]).update(updated_at=now)
            yield
            raise Rollback
    except Rollback:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="requests per figure (median)")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/competency_bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ.setdefault("API_ANON_THROTTLE_RATE", "1000000/minute")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction
    from django.test import Client

    from curricula.generator import generated_catalogue_exists

    if not generated_catalogue_exists():
        sys.exit("No generated catalogue in DATABASE_URL: run benchmarks/run.py first.")

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            missing_indexes()
            rows = measure_all(Client(), args.runs)
            raise Rollback
    except Rollback:
        pass

    print(f"{'read':<28} {'list':<15} {'rows':>5} {'full ms':>9} {'indexed ms':>11} {'x':>6}")
    for label, name, count, before, after in rows:
        print(
            f"{label:<28} {name:<15} {count:>5} {before * 1000:>9.1f} {after * 1000:>11.1f} "
            f"{before / after:>6.1f}"
        )


def missing_indexes() -> None:
    """The indexes the sync's conditions use, made (in the transaction rolled back) where the
    database was not migrated since they were added."""
    from django.db import connection

    from positions.models import Ability

    with connection.cursor() as cursor:
        present = connection.introspection.get_constraints(cursor, Ability._meta.db_table)
    for index in Ability._meta.indexes:
        if index.name not in present:
            print(f"Index {index.name} made for the run (the database lacks its migration).")
            with connection.schema_editor() as editor:
                editor.add_index(Ability, index)
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Ability._meta.db_table}")


def measure_all(client, runs: int) -> list[tuple]:
    minute_ago = (datetime.now(UTC) - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    rows = []

    def measure(label: str, name: str, make_url) -> None:
        with full_expression():
            before, old = timed(client, make_url(), runs)
        after, new = timed(client, make_url(), runs)
        if old != new:
            sys.exit(f"{label} {name}: the answers differ ({len(old)} rows before, {len(new)} now)")
        rows.append((label, name, len(new), before, after))

    for name in LISTS:
        measure("poll, nothing changed", name, lambda n=name: url(n, updated_since=minute_ago))
    with three_changed():
        for name in LISTS:
            measure("poll, 3 changed", name, lambda n=name: url(n, updated_since=minute_ago))
    for name in LISTS:
        first = url(name, updated_since=FIRST_SYNC, page_size=1000)
        measure("first sync, page 1", name, lambda f=first: f)
        _, page = timed(client, first, 1)
        last = page[-1]
        measure(
            "first sync, after_id page",
            name,
            lambda n=name, r=last: url(
                n, updated_since=r["updated_at"], after_id=r["id"], page_size=1000
            ),
        )

    return rows


if __name__ == "__main__":
    main()
