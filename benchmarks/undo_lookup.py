"""How long Undo takes to find a map change set in a large link history: the set's records, whether
it was undone already, and the chain of undos it stands in.

Standalone (not part of run.py; use a database of your own: it generates the esco catalogue if the
database has none, pads the link history to `--history` rows once, and leaves its sets behind):

    DATABASE_URL=postgres://root@127.0.0.1:5432/undo_bench \\
        .venv/bin/python benchmarks/undo_lookup.py --history 600000

The generator writes its links without history, so the history is padded with SQL: copies of the
links as past change sets of about 50 records each (a fifth of them undos of another set), every
link about equally often, beside records without a reason. Each run then saves a 20 by 10 block of
the first programme's map through the change-set service, undoes it and redoes it (the undo of
the undo), timing each write (with its commit hook: tasks run inline, so the affected reports are
recomputed inside it) and, apart, each lookup Undo makes. `--explain` prints the plans of the
lookups (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Records per padded change set, and one padded set in this many undoes another.
SET_SIZE, UNDO_EVERY = 50, 5


def _pad_history(total: int) -> int:
    """Add history records until the link history holds `total`; returns how many were added."""
    from django.db import connection

    from curricula.models import CourseAbility

    historical = CourseAbility.history.model
    have = historical.objects.count()
    links = CourseAbility.objects.count()
    if have >= total or not links:
        return 0
    rounds = -(-(total - have) // links)
    quote = connection.ops.quote_name
    tracked = [field.column for field in historical.tracked_fields]
    columns = [*tracked, "history_date", "history_type", "history_change_reason"]
    key = f"(n.i * 1000000 + l.id / {SET_SIZE})"
    other = f"(n.i * 1000000 + l.id / {SET_SIZE} + 7)"
    if connection.vendor == "postgresql":
        token, undone = (f"lpad(to_hex({k}), 32, '0')" for k in (key, other))
        date = "now() - n.i * interval '1 day'"
    else:
        token, undone = (f"printf('%032x', {k})" for k in (key, other))
        date = "datetime('now', '-' || n.i || ' days')"
    reason = (
        f"CASE WHEN n.i % 4 = 3 THEN NULL "
        f"WHEN {key} % {UNDO_EVERY} = 0 "
        f"THEN 'map change set ' || {token} || ' undoes ' || {undone} "
        f"ELSE 'map change set ' || {token} END"
    )
    values = [*(f"l.{quote(column)}" for column in tracked), date, "'~'", reason]
    # Filled here as a change set writes them, when the schema has them (after curricula 0027).
    names = {field.name for field in historical._meta.concrete_fields}
    if "history_change_set" in names:
        cast = "CAST({} AS uuid)" if connection.vendor == "postgresql" else "{}"
        columns += ["history_change_set", "history_undoes"]
        values += [
            f"CASE WHEN n.i % 4 = 3 THEN NULL ELSE {cast.format(token)} END",
            f"CASE WHEN n.i % 4 <> 3 AND {key} % {UNDO_EVERY} = 0 THEN {cast.format(undone)} END",
        ]
    table = quote(historical._meta.db_table)
    with connection.cursor() as cursor:
        for round_ in range(1, rounds + 1):
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(quote(column) for column in columns)})"
                f" SELECT {', '.join(values)} FROM {quote(CourseAbility._meta.db_table)} l"
                f" CROSS JOIN (SELECT {round_} AS i) n"
            )
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")
    return historical.objects.count() - have


def _timed(function, **kwargs):
    started = time.perf_counter()
    result = function(**kwargs)
    return result, time.perf_counter() - started


def _explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def run(*, runs: int, explain: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks.bench_map_edit import _block
    from curricula import services
    from curricula.models import CourseAbility, Programme
    from curricula.selectors.maps import CellInput

    programme = Programme.objects.order_by("id").first()
    table = CourseAbility.history.model._meta.db_table
    figures: dict[str, list[float]] = {}
    plans: dict[str, str] = {}

    def add(name: str, seconds: float) -> None:
        figures.setdefault(name, []).append(seconds)

    for run_ in range(runs):
        cells = [CellInput(course, ability, code) for course, ability, code in _block(programme)]
        saved, took = _timed(services.programme_map_change, programme=programme, cells=cells)
        add("save (200 cells, reports fresh)", took)
        token = saved.token
        for name in ("undo", "redo"):
            records, took = _timed(services.programme_map_change_records, token=token)
            add(f"{name}: the set's records", took)
            _is_undo, took = _timed(services.programme_map_change_is_undo, records=records)
            add(f"{name}: is it an undo (its chain)", took)
            with CaptureQueriesContext(connection) as captured:
                done, took = _timed(services.programme_map_undo, token=token)
            add(f"{name} (200 cells, reports fresh)", took)
            reads = [
                query
                for query in captured.captured_queries
                if query["sql"].startswith("SELECT") and f'FROM "{table}"' in query["sql"]
            ]
            add(f"{name}: its reads of the history (sum)", sum(float(q["time"]) for q in reads))
            if explain and run_ == 0:
                for query in reads:
                    where = query["sql"].partition(" WHERE ")[2]
                    plans[f"{name}: WHERE {where[:100]}"] = _explain(query["sql"])
            token = done.token
    for label, plan in plans.items():
        print(f"\n-- {label}\n{plan}")
    print()
    medians = {name: statistics.median(values) for name, values in figures.items()}
    for name, value in medians.items():
        print(f"{name:<48} {value * 1000:10.1f} ms (median of {runs})")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=600_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.standalone import setup

    setup(create_database=os.environ.get("DATABASE_URL", "").startswith("postgres"))
    from django.conf import settings

    settings.DEBUG = False
    from curricula.models import CourseAbility

    added = _pad_history(args.history)
    print(f"link history: {CourseAbility.history.count()} records ({added} added)")
    run(runs=args.runs, explain=args.explain)


if __name__ == "__main__":
    main()
