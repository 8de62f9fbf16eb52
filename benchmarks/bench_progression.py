"""The progression on the esco catalogue: computed on read, so it must stay cheap per page view.

Standalone (generates the esco catalogue into the database if it is empty, as benchmarks/run.py
does):

    DATABASE_URL=postgres://root@127.0.0.1:5432/competency_bench \\
        .venv/bin/python benchmarks/bench_progression.py [--programmes N]

From the harness: `bench_progression.run(results)` with run.py's `Results` (anything with
`add(name, value, bound, kind="limit")` and `note(name, text)`), once the catalogue is there.

Each programme's progression is timed end to end through `programme_progression` (its five
queries, the engine, the wording of the findings): what the programme page, the report and
GET /api/v1/programs/{id}/progression/ do besides rendering. The generated programmes have no
terms, so every term is set first (one to eight, by programme order) for the order-based rules
to run. The slowest and the median are reported against a 0.25 s limit (a quarter of the
recommendations' 1 s: it is part of an ordinary page view), with wall and CPU time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 0.25


def run(results, *, programmes: int | None = None) -> dict:
    from django.db import transaction

    from curricula.models import Programme, ProgrammeCourse
    from curricula.progression.selectors import programme_progression

    rows = list(Programme.objects.with_relations().order_by("id"))
    if programmes is not None:
        rows = rows[:programmes]
    if not rows:
        raise SystemExit("No programmes: generate a catalogue first.")
    with transaction.atomic():
        # Terms for the order-based rules, rolled back afterwards (no signal: a plain UPDATE).
        for programme in rows:
            ids = list(
                ProgrammeCourse.objects.filter(programme=programme)
                .order_by("order", "id")
                .values_list("id", flat=True)
            )
            for index, pk in enumerate(ids):
                ProgrammeCourse.objects.filter(pk=pk).update(term=1 + index * 8 // max(1, len(ids)))
        programme_progression(programme=rows[0])  # warm caches and imports
        walls, cpus, findings, abilities = [], [], 0, 0
        for programme in rows:
            started, cpu = time.perf_counter(), time.process_time()
            progression = programme_progression(programme=programme)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            findings += len(progression.findings)
            abilities = max(abilities, len(progression.rows))
        transaction.set_rollback(True)
    results.add(f"progression, slowest of {len(rows)} programmes", max(walls), LIMIT_SECONDS)
    results.add("progression, median programme", statistics.median(walls), LIMIT_SECONDS)
    results.note(
        "progression, CPU time (slowest / median)",
        f"{max(cpus):.3f} s / {statistics.median(cpus):.3f} s; {findings} findings; "
        f"up to {abilities} abilities in one programme",
    )
    return {"slowest": max(walls), "median": statistics.median(walls)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, default=None, help="Only the first N.")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.standalone import Printer, setup

    setup(recompute=False)
    run(Printer(), programmes=args.programmes)


if __name__ == "__main__":
    main()
