"""The site search on the esco catalogue (3,000 positions, 13,900 abilities, 5,000 courses).

Standalone (generates the esco catalogue into the database if it is empty, as benchmarks/run.py
does):

    DATABASE_URL=postgres://root@127.0.0.1:5432/competency_bench \\
        .venv/bin/python benchmarks/bench_search.py

Each query goes through `site_search` (every kind: the word search, the counts, the hits' links),
which is what GET /search/?q= does besides rendering; the median of five runs is printed with
the process's CPU time beside the wall time (the machine is shared), and the hits per kind. No
limit was set for it: the figures say what a query that matches a whole table costs (the
synthetic abilities all say "skill") beside a selective one.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("skill", "synthetic skill track", "course 00001", "operations", "运营")


def run(runs: int = 5) -> list[tuple[str, float, float, dict]]:
    from curricula.selectors.search import site_search

    rows = []
    for query in QUERIES:
        site_search(query=query)  # jieba's dictionary and the stem cache, once
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            results = site_search(query=query)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        hits = {group.kind: group.total for group in results.groups}
        rows.append((query, statistics.median(walls), statistics.median(cpus), hits))
    return rows


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.standalone import setup

    setup(recompute=False)
    from django.db import connection

    print(f"database: {connection.vendor}")
    for query, wall, cpu, hits in run():
        print(f"{query!r:<26} wall {wall:.3f} s  cpu {cpu:.3f} s  hits {hits}")


if __name__ == "__main__":
    main()
