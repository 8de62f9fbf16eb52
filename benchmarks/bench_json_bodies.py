"""What the API's JSON parser costs for bodies just under the upload bound (2.5 MB), each the
best of several reads in one process with Django set up (the objects a worker holds are what
Python's garbage collector walks), beside orjson's read alone:

    .venv/bin/python benchmarks/bench_json_bodies.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAIN = b"[" * 31 + b"]" * 31

BODIES = {
    "830,000 empty arrays": b'{"courses": [' + b",".join([b"[]"] * 830_000) + b"]}",
    "830,000 empty objects": b'{"courses": [' + b",".join([b"{}"] * 830_000) + b"]}",
    "180,000 objects of two keys": b"[" + b",".join([b'{"a":1,"b":2}'] * 180_000) + b"]",
    "the same, a key twice in the last": (
        b"[" + b",".join([b'{"a":1,"b":2}'] * 180_000) + b',{"a":1,"a":2}]'
    ),
    "38,000 arrays 32 deep (the bound)": b"[" + b",".join([CHAIN] * 38_000) + b"]",
    "38,000 arrays 33 deep (refused)": b"[" + b",".join([b"[" + CHAIN + b"]"] * 37_000) + b"]",
    "830,000 empty arrays, broken at the end": (
        b'{"courses": [' + b",".join([b"[]"] * 830_000) + b"]x"
    ),
}


def _best(read, body: bytes, rounds: int) -> tuple[float, str]:
    best, outcome = float("inf"), ""
    for _ in range(rounds):
        start = time.perf_counter()
        try:
            read(body)
            outcome = "read"
        except Exception as exc:  # a refusal is an outcome here
            outcome = str(getattr(exc, "detail", exc))[:60]
        best = min(best, time.perf_counter() - start)
    return best, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    import django

    django.setup()
    import orjson

    from core.api.parsers import JSONParser

    def parse(body: bytes):
        return JSONParser().parse(io.BytesIO(body), parser_context={"encoding": "utf-8"})

    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    for name, body in BODIES.items():
        parsed, outcome = _best(parse, body, args.rounds)
        alone, _ = _best(orjson.loads, body, args.rounds)
        print(
            f"{name} ({len(body) / 1e6:.2f} MB): parser {parsed:.3f} s, "
            f"orjson.loads alone {alone:.3f} s; {outcome}"
        )


if __name__ == "__main__":
    main()
