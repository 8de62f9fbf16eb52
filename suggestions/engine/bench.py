"""Time and memory of the engine on an ESCO skills CSV, with course-sized queries.

Run: python -m suggestions.engine.bench SKILLS_CSV [--queries 100] [--batch 5000]

Queries are made from the pool itself, deterministically: a title (one skill's label), a
paragraph (three skills' descriptions) and eight outcomes (eight skills' labels), which is the
size of a course record. They measure speed, not quality.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from .evaluation import _read_csv, skill_candidate
from .index import build_index
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


def main(argv: list[str] | None = None) -> int:
    """Print build time, per-query latency, batch throughput and memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("skills", type=Path)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args(argv)

    candidates = [skill_candidate(r) for r in _read_csv(args.skills)]
    print(f"candidates: {len(candidates)}; peak RSS after reading: {_rss_mb():.0f} MB")

    start = time.perf_counter()
    index = build_index(candidates)
    build = time.perf_counter() - start
    size = len(index.dumps())
    print(f"index build: {build:.2f} s; pickled {size / 2**20:.1f} MB; peak RSS {_rss_mb():.0f} MB")

    queries = course_queries(candidates, args.queries)
    index.rank(queries[0], k=20)  # warm-up: first-use costs (caches) are not per query
    times = []
    for q in queries:
        start = time.perf_counter()
        index.rank(q, k=20)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"rank() one query, {len(times)} queries, k=20 with explanations: "
        f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms"
    )

    batch = course_queries(candidates, args.batch, seed=1)
    start = time.perf_counter()
    results = index.rank_many(batch, k=20)
    elapsed = time.perf_counter() - start
    print(
        f"rank_many() {len(batch)} queries, k=20 with explanations: {elapsed:.1f} s "
        f"({elapsed / len(batch) * 1000:.1f} ms/query); results kept: {sum(map(len, results))}"
    )
    print(f"peak RSS of the whole run: {_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
