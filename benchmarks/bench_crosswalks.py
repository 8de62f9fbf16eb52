"""The full recompute with crosswalks (issue #16): 30 % of the required abilities reachable only
through an exact match, beside the same recompute without them and the SQL bound.

Standalone (generates the esco catalogue into the database if it is empty, as benchmarks/run.py
does; use a database of your own: the variant is built inside a transaction that is rolled back):

    DATABASE_URL=postgres://root@127.0.0.1:5432/crosswalk_bench \\
        .venv/bin/python benchmarks/bench_crosswalks.py

From the harness: `bench_crosswalks.run(results)` with run.py's `Results`. Both recomputes are
timed as run.py times the full recompute: interleaved rounds with the bound, the median ratio.
Each against the statement that does its work: the plain one against BOUND_SQL, the crosswalked
one against CROSSWALK_BOUND_SQL, which also counts the exact matches (checked on the variant:
its statuses are the reports'); BOUND_SQL's time in the variant is noted beside it.

The variant: a share of the abilities the programmes' targets require (every third-ish, chosen
with a fixed seed) gets a mirror ability in a framework of its own, every course link to the
ability moves to its mirror, and an exactMatchOf relates the mirror to the ability. Those
requirements then have no direct link at all: only the exact match reaches them. Under the default
rule set the reports must come out with the same statuses and figures as before, which is checked.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARE = 0.30
TARGET = 2  # times the SQL bound, as the full recompute's
ROUNDS = 7


def _figures() -> dict[int, bytes]:
    """Per programme: a digest of its percent and score, and every requirement's status and best
    level. Digests, not the figures: kept alive beside the crosswalked recompute, the 126k rows
    decoded from the stored reports left the heap scattered, and that recompute took ~0.1 s more
    CPU (0.65-0.70 s against 0.54-0.58 s, measured in one session); the plain one, timed before
    them, did not pay it."""
    from curricula.models import ProgrammeCoverage

    found = {}
    for programme_id, report in ProgrammeCoverage.objects.values_list("programme_id", "report"):
        rows = tuple(
            (row[0], row[2], row[3])
            for position in report["positions"]
            for row in position["requirements"]
        )
        found[programme_id] = hashlib.blake2b(
            repr((report["percent"], report["score"], rows)).encode(), digest_size=16
        ).digest()
    return found


def _bound_differs(sql: str) -> list[tuple]:
    """The (programme, position, ability) rows whose status the bound's statement and the
    stored reports disagree on."""
    from django.db import connection

    from curricula.models import ProgrammeCoverage

    with connection.cursor() as cursor:
        cursor.execute(sql)
        from_sql = {(p, pos, a): status for p, pos, a, _, _, status in cursor.fetchall()}
    stored = {
        (programme_id, position["position"], row[0]): row[3]
        for programme_id, report in ProgrammeCoverage.objects.values_list("programme_id", "report")
        for position in report["positions"]
        for row in position["requirements"]
    }
    keys = from_sql.keys() | stored.keys()
    return sorted(key for key in keys if from_sql.get(key) != stored.get(key))


def build_variant(*, share: float = SHARE, seed: int = 7) -> dict[str, int]:
    """Move the links of `share` of the required abilities to exact-match mirrors (see above).
    Bulk writes without signals: the caller recomputes and rolls back."""
    from curricula.models import CourseAbility, ProgrammeTarget
    from positions.models import Ability, AbilityRelation, Framework, RelationType, Requirement

    required = sorted(
        set(
            Requirement.objects.filter(
                position_id__in=ProgrammeTarget.objects.values("position_id")
            ).values_list("ability_id", flat=True)
        )
    )
    linked = set(
        CourseAbility.objects.filter(ability_id__in=required).values_list("ability_id", flat=True)
    )
    chosen = sorted(random.Random(seed).sample(required, round(len(required) * share)))
    mirror_framework = Framework.objects.create(name="Crosswalk benchmark mirror")
    mirrors = Ability.objects.bulk_create(
        [
            Ability(framework=mirror_framework, code=f"X{ability_id}", text=f"mirror {ability_id}")
            for ability_id in chosen
        ],
        batch_size=5000,
    )
    mirror_of = {ability_id: m.pk for ability_id, m in zip(chosen, mirrors, strict=True)}
    moved = 0
    links = list(CourseAbility.objects.filter(ability_id__in=chosen).only("id", "ability_id"))
    for link in links:
        link.ability_id = mirror_of[link.ability_id]
    CourseAbility.objects.bulk_update(links, ["ability_id"], batch_size=5000)
    moved = len(links)
    AbilityRelation.objects.bulk_create(
        [
            AbilityRelation(
                framework=mirror_framework,
                source_id=mirror_of[ability_id],
                target_id=ability_id,
                relation_type=RelationType.EXACT_MATCH_OF,
            )
            for ability_id in chosen
        ],
        batch_size=5000,
    )
    requirement_rows = Requirement.objects.filter(
        position_id__in=ProgrammeTarget.objects.values("position_id")
    )
    return {
        "required_abilities": len(required),
        "crosswalked_abilities": len(chosen),
        "crosswalked_and_linked": len(set(chosen) & linked),
        "links_moved": moved,
        "target_requirements": requirement_rows.count(),
        "crosswalked_requirements": requirement_rows.filter(ability_id__in=chosen).count(),
    }


def run(results, *, rounds: int = ROUNDS) -> dict:
    from django.db import transaction

    from benchmarks.run import (
        CROSSWALK_BOUND_SQL,
        crosswalk_bound,
        full_recompute,
        interleaved,
        median_time,
        recompute_bound,
    )
    from curricula.models import ProgrammeCoverage

    def forget_fingerprints() -> None:
        ProgrammeCoverage.objects.update(inputs_fingerprint="")

    def measure(bound) -> object:
        # The first recompute after a change writes its reports: not the measure.
        forget_fingerprints()
        full_recompute()
        return interleaved(bound, full_recompute, rounds=rounds, before=forget_fingerprints)

    recompute_bound()
    plain = measure(recompute_bound)
    before = _figures()
    with transaction.atomic():
        counts = build_variant()
        crosswalked = measure(crosswalk_bound)
        after = _figures()
        # The direct statement in the same state, for comparison with the runs before the
        # crosswalk-aware bound: it leaves the crosswalked requirements missing.
        direct_bound = median_time(recompute_bound, runs=rounds)
        bound_differs = _bound_differs(CROSSWALK_BOUND_SQL)
        transaction.set_rollback(True)
    differing = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert not differing, f"the exact matches did not reproduce the direct coverage of {differing}"
    assert not bound_differs, f"the crosswalk bound's statuses differ: {bound_differs[:5]}"
    share = counts["crosswalked_requirements"] / counts["target_requirements"]
    # Judged against the full recompute's own target of round two (issue #18: 2x its bound), the
    # way run.py measures that one: the median ratio of interleaved rounds, each recompute
    # against the bound that does its work (the crosswalked one's counts the exact matches too).
    for name, measured in (
        ("full recompute, no crosswalks (same run)", plain),
        (
            f"full recompute, {share:.0%} of requirements only via exact match "
            "(bound with the exact matches)",
            crosswalked,
        ),
    ):
        results.add(
            f"{name} (median ratio of {rounds} rounds)",
            measured.median_ratio_time,
            (measured.median_bound, TARGET),
            kind="ratio",
        )
        results.note(
            "  CPU of that recompute (process + PostgreSQL backend)",
            f"{statistics.median(measured.cpus):.3f} s; round ratios "
            + ", ".join(f"{ratio:.2f}" for ratio in measured.ratios),
        )
    results.note(
        "  the same against the direct bound (BOUND_SQL, crosswalks missing)",
        f"{direct_bound:.3f} s, {crosswalked.median_ratio_time / direct_bound:.2f}x "
        "(median of as many runs, not interleaved)",
    )
    results.note(
        "  crosswalk variant",
        f"{counts['crosswalked_abilities']} of {counts['required_abilities']} required "
        f"abilities mirrored, {counts['links_moved']} links moved, "
        f"{counts['crosswalked_requirements']} of {counts['target_requirements']} target "
        "requirements reachable only through exactMatchOf; reports identical to the direct ones",
    )
    return {
        "sql": plain.median_bound,
        "crosswalk_sql": crosswalked.median_bound,
        "direct_sql_crosswalked": direct_bound,
        "plain": plain.median_ratio_time,
        "crosswalked": crosswalked.median_ratio_time,
        **counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.standalone import Printer, setup

    setup(create_database=True)
    run(Printer(60), rounds=args.rounds)


if __name__ == "__main__":
    main()
