"""Time and memory of the engine on an ESCO skills CSV, with course-sized queries.

Run: python -m suggestions.engine.bench SKILLS_CSV [--queries 100] [--batch 5000] [--lexical]
     [--no-freeze]

Queries are made from the pool itself, deterministically: a title (one skill's label), a
paragraph (three skills' descriptions) and eight outcomes (eight skills' labels), which is the
size of a course record. They measure speed, not quality.

Each time is printed as wall-clock time and as this process's CPU time. On an idle machine the
two are close (CPU slightly above wall where the tokeniser or BLAS use both cores); when other
work shares the machine, wall time grows with the load and CPU time does not, so the load
average is printed too.

After the build, the index is moved out of the garbage collector's walks (`gc.freeze`), as the
app does with each index it builds (suggestions.indexes); `--no-freeze` leaves it in them, so that
a full collection walks it in the middle of whichever query falls on one.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from .evaluation import _read_csv, skill_candidate
from .index import Settings, build_index
from .types import Candidate, Query


def course_queries(candidates: list[Candidate], n: int, seed: int = 0) -> list[Query]:
    """`n` course-sized queries stitched from the pool's texts."""
    rng = random.Random(seed)
    labels = [c.fields.get("label") or c.fields.get("alt_labels", "") for c in candidates]
    labels = [x.split("\n")[0] for x in labels if x]
    texts = [c.fields["description"] for c in candidates if c.fields.get("description")]
    return [
        Query(
            {
                "title": rng.choice(labels),
                "description": " ".join(rng.sample(texts, 3)),
                "outcomes": "\n".join(rng.sample(labels, 8)),
            }
        )
        for _ in range(n)
    ]


def _rss_mb() -> float:
    # ru_maxrss is the process's peak resident set, in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _model_state(index, lexical: bool) -> str:
    if lexical:
        return "off (--lexical)"
    return "on" if index.semantic is not None else "not installed"


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


class _Timer:
    """Wall-clock and process CPU seconds of a `with` block."""

    def __enter__(self) -> _Timer:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s wall, {self.cpu:.2f} s CPU"


def main(argv: list[str] | None = None) -> int:
    """Print build time, per-query latency, batch throughput and memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("skills", type=Path)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument(
        "--lexical", action="store_true", help="the engine without its model by meaning"
    )
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave the index in the garbage collector's walks (the app freezes it)",
    )
    args = parser.parse_args(argv)

    print(f"load average at start: {_load()}")
    candidates = [skill_candidate(r) for r in _read_csv(args.skills)]
    print(f"candidates: {len(candidates)}; peak RSS after reading: {_rss_mb():.0f} MB")

    with _Timer() as t:
        index = build_index(
            candidates, settings=Settings(semantic_model=None) if args.lexical else None
        )
    size = len(index.dumps())
    print(
        f"index build: {t}; pickled {size / 2**20:.1f} MB; peak RSS {_rss_mb():.0f} MB "
        f"(model by meaning: {_model_state(index, args.lexical)})"
    )
    if not args.no_freeze:
        gc.collect()
        gc.freeze()
    print(f"index frozen out of the garbage collector's walks: {not args.no_freeze}")

    queries = course_queries(candidates, args.queries)
    index.rank(queries[0], k=20)  # warm-up: first-use costs (caches) are not per query
    wall, cpu = [], []
    for q in queries:
        with _Timer() as t:
            index.rank(q, k=20)
        wall.append(t.wall * 1000)
        cpu.append(t.cpu * 1000)
    print(
        f"rank() one query, {len(wall)} queries, k=20 with explanations: "
        f"wall median {statistics.median(wall):.1f} ms, max {max(wall):.1f} ms; "
        f"CPU median {statistics.median(cpu):.1f} ms, max {max(cpu):.1f} ms"
    )

    batch = course_queries(candidates, args.batch, seed=1)
    with _Timer() as t:
        results = index.rank_many(batch, k=20)
    print(
        f"rank_many() {len(batch)} queries, k=20 with explanations: {t} "
        f"({t.wall / len(batch) * 1000:.1f} ms/query wall); results kept: "
        f"{sum(map(len, results))}"
    )
    print(f"peak RSS of the whole run: {_rss_mb():.0f} MB; load average at end: {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
