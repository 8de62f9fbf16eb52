"""Growth: the same figures on catalogues of 1x, 2x and 4x the esco preset.

    DATABASE_URL=postgres://.../competency_bench_x2 .venv/bin/python benchmarks/bench_growth.py \
        --trio /tmp/folder

Run by benchmarks/run.py once per catalogue, in a process of its own (a database each). Prints one
JSON object: a full recompute (every report rebuilt and written: fingerprints and digests
cleared), an incremental edit's task time, and one programme page (Django test client, warm),
each the median of a few runs; with --trio, also writes the catalogue as an ESCO trio there so
that the harness can time its import into an empty database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def median_time(func, *, runs: int, setup=None) -> float:
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(runs: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client

    from curricula import services
    from curricula.coverage.services import coverage_recompute
    from curricula.models import CourseAbility, Programme, ProgrammeCourse, ProgrammeCoverage
    from positions.models import Level

    programmes = Programme.objects.count()

    def forget() -> None:
        ProgrammeCoverage.objects.update(inputs_fingerprint="", report_digest="")

    full = median_time(lambda: coverage_recompute(force=True), runs=runs, setup=forget)

    link = (
        CourseAbility.objects.filter(course_id__in=ProgrammeCourse.objects.values("course_id"))
        .order_by("id")
        .first()
    )
    affected = list(
        ProgrammeCourse.objects.filter(course_id=link.course_id).values_list(
            "programme_id", flat=True
        )
    )
    levels = list(Level.objects.order_by("rank"))
    task_times = []
    for _ in range(runs + 2):
        level = levels[(levels.index(link.level) + 1) % len(levels)]
        with transaction.atomic():
            link = services.course_ability_update(link=link, level=level)
            transaction.get_connection().run_on_commit.clear()
        started = time.perf_counter()
        coverage_recompute(programme_ids=affected)
        task_times.append(time.perf_counter() - started)

    from benchmarks.run import vacuum_analyze

    vacuum_analyze()  # the pages are read as bench_pages reads them
    user, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True}
    )
    client = Client()
    client.force_login(user)
    url = f"/programs/{Programme.objects.order_by('id').first().pk}/"
    assert client.get(url).status_code == 200
    page = median_time(lambda: client.get(url), runs=runs + 2)
    return {
        "programmes": programmes,
        "full_recompute": full,
        "incremental": statistics.median(task_times),
        "incremental_programmes": len(affected),
        "programme_page": page,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--trio", help="write the catalogue as an ESCO trio into this folder")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    os.environ["CELERY_BROKER_URL"] = ""
    import django

    django.setup()
    figures = measure(args.runs)
    if args.trio:
        from benchmarks.run import write_esco_trio

        write_esco_trio(Path(args.trio))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
