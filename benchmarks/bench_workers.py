"""Scale-out: 3,000 programmes made stale by one edit, recomputed by Celery worker processes.

    DATABASE_URL=postgres://.../competency_bench_x10p CELERY_BROKER_URL=redis://127.0.0.1:6391/0 \
        .venv/bin/python benchmarks/bench_workers.py [--rounds 3]

Run by benchmarks/run.py in a process of its own (its database is the esco catalogue with ten
times the programmes, 3,000, each also teaching one shared course), against a Redis server the
harness starts on a port of its own. Per round, for 1 and then 2 worker processes (a `celery
worker -c N` consuming both queues, started fresh): a staff edit of a link of the shared course
marks all 3,000 programmes stale; the clock runs from the commit until every report is fresh.
Half a second into that sweep, an edit of a course taught by few programmes is made; its latency
is from its commit until those programmes' reports are fresh again. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_CODE = "BENCH-SHARED"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the processes, from /proc (0 for those gone)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def _tree(pid: int) -> list[int]:
    """The process and its children (a prefork worker's pool)."""
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            children = (task / "children").read_text().split()
            pids += [int(child) for child in children]
    except OSError:
        pass
    return pids


def setup_shared_course() -> None:
    """One course taught by every programme (appended last), with a few links; then every report
    recomputed inline, so the runs start fresh."""
    from django.core.management import call_command

    from curricula.models import Course, CourseAbility, Programme, ProgrammeCourse
    from positions.models import Level, Requirement

    if Course.objects.filter(code=SHARED_CODE).exists():
        return
    course = Course.objects.create(code=SHARED_CODE, title="Shared by every programme")
    level = Level.objects.order_by("rank").first()
    # Abilities many positions require, so the edit changes many reports.
    abilities = (
        Requirement.objects.values_list("ability_id", flat=True).order_by("ability_id").distinct()
    )[:5]
    CourseAbility.objects.bulk_create(
        [CourseAbility(course=course, ability_id=a, level=level) for a in abilities]
    )
    ProgrammeCourse.objects.bulk_create(
        [
            ProgrammeCourse(programme_id=pid, course=course, order=1000)
            for pid in Programme.objects.values_list("id", flat=True)
        ]
    )
    call_command("recompute_coverage", all=True, verbosity=0)


class Worker:
    def __init__(self, processes: int, log: Path) -> None:
        self.processes = processes
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Worker:
        from curricula.tasks import recompute_coverage

        app = recompute_coverage.app
        env = {**os.environ, "DATABASE_CONN_MAX_AGE": "60"}
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "competency_site",
                    "worker",
                    "-P",
                    "prefork",
                    "-c",
                    str(self.processes),
                    "--without-mingle",
                    "--without-gossip",
                    "--loglevel=WARNING",
                    "--hostname",
                    f"bench-{os.getpid()}-{self.processes}@%h",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 120
        while not app.control.ping(timeout=0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start; see {self.log}")
        # The pool's children exist once the worker answers pings.
        return self

    def cpu(self) -> float:
        return _cpu_seconds(_tree(self.process.pid))

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _edit(link, levels):
    """A staff edit of the link's level (always a different one); its recompute is enqueued on
    commit, as after a request. Returns the updated link."""
    from curricula import services

    ids = [level.pk for level in levels]
    level = levels[(ids.index(link.level_id) + 1) % len(levels)]
    return services.course_ability_update(link=link, level=level)


def _drain(timeout: float = 120) -> None:
    """Wait until no task is queued or held unacknowledged by a worker."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    queues = ["celery", settings.COVERAGE_BULK_QUEUE]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(client.llen(q) for q in queues) + client.hlen("unacked") == 0:
            return
        time.sleep(0.1)
    raise RuntimeError("the queues did not drain")


def _wait_fresh(programme_ids: list[int] | None, since, timeout: float = 600) -> float:
    """Seconds until every listed programme (all when None) is fresh and computed after `since`."""
    from curricula.models import CoverageState, ProgrammeCoverage

    started = time.perf_counter()
    rows = ProgrammeCoverage.objects.all()
    if programme_ids is not None:
        rows = rows.filter(programme_id__in=programme_ids)
    while time.perf_counter() - started < timeout:
        pending = rows.exclude(state=CoverageState.FRESH, computed_at__gte=since).exists()
        if not pending:
            return time.perf_counter() - started
        time.sleep(0.05)
    raise RuntimeError("timed out waiting for fresh reports")


def measure(rounds: int, log: Path) -> dict:
    from django.db import connection
    from django.utils import timezone

    from curricula.models import CourseAbility, Programme, ProgrammeCourse, ProgrammeCoverage
    from positions.models import Level

    levels = list(Level.objects.order_by("rank"))
    shared = CourseAbility.objects.filter(course__code=SHARED_CODE).select_related("level").first()
    # A course taught by few programmes: the designer's single edit.
    small_course = (
        ProgrammeCourse.objects.exclude(course__code=SHARED_CODE)
        .values("course_id")
        .order_by("course_id")
        .first()["course_id"]
    )
    single = CourseAbility.objects.filter(course_id=small_course).select_related("level").first()
    single_programmes = list(
        ProgrammeCourse.objects.filter(course_id=small_course).values_list(
            "programme_id", flat=True
        )
    )
    total = Programme.objects.count()
    assert ProgrammeCoverage.objects.count() == total
    runs: dict[int, list[dict]] = {1: [], 2: []}
    for _ in range(rounds):
        for processes in (1, 2):
            with Worker(processes, log) as worker:
                # Idle latency of the single edit first: the baseline for "during a sweep".
                since = timezone.now()
                single = _edit(single, levels)
                idle = _wait_fresh(single_programmes, since)

                cpu_before = worker.cpu()
                since = timezone.now()
                started = time.perf_counter()
                shared = _edit(shared, levels)
                edit_seconds = time.perf_counter() - started
                time.sleep(0.5)
                single_since = timezone.now()
                single = _edit(single, levels)
                during = _wait_fresh(single_programmes, single_since)
                # Until every report is fresh again, counted from the shared edit's start.
                _wait_fresh(None, since)
                sweep = time.perf_counter() - started
                cpu = worker.cpu() - cpu_before
                _drain()
                connection.close()
            runs[processes].append(
                {
                    "sweep_seconds": sweep,
                    "worker_cpu_seconds": cpu,
                    "edit_seconds": edit_seconds,
                    "single_idle_seconds": idle,
                    "single_during_sweep_seconds": during,
                }
            )
            print(processes, runs[processes][-1], file=sys.stderr)
    ratios = [
        two["sweep_seconds"] / one["sweep_seconds"]
        for one, two in zip(runs[1], runs[2], strict=True)
    ]

    def median(processes: int, key: str) -> float:
        return statistics.median(run[key] for run in runs[processes])

    from django.conf import settings

    return {
        "programmes": total,
        "single_programmes": len(single_programmes),
        "batch_size": settings.COVERAGE_BATCH_SIZE,
        "rounds": rounds,
        "ratios": ratios,
        "median_ratio": statistics.median(ratios),
        **{
            f"{key}_{processes}": median(processes, key)
            for processes in (1, 2)
            for key in runs[processes][0]
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--log", default=str(Path(os.environ.get("TMPDIR", "/tmp")) / "bw.log"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    assert os.environ.get("CELERY_BROKER_URL"), "needs CELERY_BROKER_URL (a Redis of its own)"
    import django

    django.setup()
    import redis

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()
    setup_shared_course()
    print(json.dumps(measure(args.rounds, Path(args.log))))


if __name__ == "__main__":
    main()
