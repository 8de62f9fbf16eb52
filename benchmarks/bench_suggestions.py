"""Link suggestions on the esco catalogue (5,000 courses, 13,900 abilities; synthetic text).

Standalone, after the harness (or `generate_catalog --preset esco`) has filled the database:

    DATABASE_URL=postgres://root@127.0.0.1:5432/competency_bench \\
        .venv/bin/python benchmarks/bench_suggestions.py [--courses N]

From the harness: `bench_suggestions.run(results)` with run.py's `Results`.

Measured against the issue's limits:
- building the index over every ability (the app's own path: read the rows, build, no cache);
- one course's suggestions with that index (rank 20 with explanations, and the level of each):
  the median and the slowest of 100 courses;
- (the generated courses have no text: each is first given its linked abilities' statements as
  outcomes, see `give_courses_text`)
- the whole catalogue as the Celery job (`suggestions.generate`, run eagerly in a fresh process
  so that its peak resident memory is the job's own): seconds, peak memory, progress updates.
  The job writes its suggestions (bulk), so the database ends with them stored.

And the ranking's quality (`quality`), as `manage.py evaluate_suggestions` scores it on the ESCO
development sample (ESCO_DEV_DIR, by default ../shared/samples/esco-dev beside the repository;
not shipped with it): recall@20 against the ICT pool (target 0.40) and the full pool (0.30), with
the plain TF-IDF baseline beside each. No database is read.
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
BUILD_LIMIT = 10.0
MEDIAN_LIMIT = 0.050
SLOWEST_LIMIT = 0.100
JOB_LIMIT = 120.0
MEMORY_LIMIT_MB = 500.0


def give_courses_text() -> int:
    """The generated catalogue's courses have a code and a title ("GEN course 00001") and no
    text, which matches no ability: nothing would be ranked or written. Give each course with
    no outcomes the statements of up to five abilities it is linked to, one per line, as a
    syllabus would list them (once per database; bulk, so no history and no refresh). Returns
    how many courses were given text."""
    from collections import defaultdict

    from curricula.models import Course, CourseAbility

    courses = list(Course.objects.filter(outcomes="").only("id", "outcomes"))
    if not courses:
        return 0
    lines: dict[int, list[str]] = defaultdict(list)
    for course_id, text in (
        CourseAbility.objects.filter(course_id__in=[c.pk for c in courses])
        .order_by("course_id", "id")
        .values_list("course_id", "ability__text")
        .iterator(chunk_size=10000)
    ):
        if len(lines[course_id]) < 5:
            lines[course_id].append(text)
    for course in courses:
        course.outcomes = "\n".join(lines.get(course.pk, [])) or "Apply what the course teaches."
    Course.objects.bulk_update(courses, ["outcomes"], batch_size=2000)
    return len(courses)


def _one_course(fw_index, course, lines_for) -> None:
    from suggestions.levels import propose_level
    from suggestions.services import course_query

    hits = fw_index.index.rank(course_query(course), k=20)
    lines = lines_for(course)
    for hit in hits:
        propose_level(outcomes=lines, matched_terms=[m.term_or_phrase for m in hit.explanation])


def measure_ranking(sample: int = 100) -> dict:
    from curricula.models import Course
    from suggestions.indexes import build_framework_index
    from suggestions.services import outcome_lines

    started = time.perf_counter()
    fw_index = build_framework_index(None)
    build = time.perf_counter() - started
    courses = list(Course.objects.order_by("id")[:sample])
    _one_course(fw_index, courses[0], outcome_lines)  # first use loads jieba's dictionary
    times = []
    for course in courses:
        started = time.perf_counter()
        _one_course(fw_index, course, outcome_lines)
        times.append(time.perf_counter() - started)
    return {
        "abilities": len(fw_index.index),
        "build_seconds": build,
        "median_seconds": statistics.median(times),
        "slowest_seconds": max(times),
        "courses_timed": len(times),
    }


def job(courses: int | None) -> dict:
    """Run the generation job over the catalogue in this process; report time and peak RSS."""
    import resource
    from unittest import mock

    from django.conf import settings

    from curricula.models import Course
    from suggestions import tasks

    # As a worker runs it: with DEBUG on (the embedded default) Django keeps every statement,
    # and a regeneration's 2,000-row UPDATEs held 170 MB of them (529 MB peak against 313 MB).
    settings.DEBUG = False

    ids = list(Course.objects.order_by("id").values_list("pk", flat=True))
    if courses is not None:
        ids = ids[:courses]
    updates = []
    real = tasks._reporter

    def counting(task):
        report = real(task)

        def wrapped(done, total):
            updates.append((done, total))
            report(done, total)

        return wrapped

    with mock.patch.object(tasks, "_reporter", counting):
        cpu = time.process_time()
        started = time.perf_counter()
        outcome = tasks.generate_suggestions.apply(kwargs={"course_ids": ids})
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    if outcome.failed():
        raise RuntimeError(outcome.traceback)
    return {
        "courses": len(ids),
        # Stored by this run: new rows, and (on a database that had them) rows updated in place.
        "created": outcome.result["created"] + outcome.result["updated"],
        "seconds": seconds,
        # This process's CPU time: on a shared machine, closer to what a quiet one would take
        # (the database server's own time is not in it).
        "cpu_seconds": cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "progress_updates": len(updates),
    }


QUALITY_TARGETS = {"ICT pool, 1,264 skills": 0.40, "full pool, 13,939 skills": 0.30}


def quality(results) -> dict:
    """recall@20 and MRR of the engine and of the TF-IDF baseline on the ESCO sample's two
    pools, or a note saying the sample is not on this machine."""
    from suggestions.engine.evaluation import evaluate_esco

    sample = Path(os.environ.get("ESCO_DEV_DIR") or ROOT.parent / "shared/samples/esco-dev")
    if not (sample / "occupations_en.csv").is_file():
        results.note("suggestions: quality", f"not measured: no ESCO sample at {sample}")
        return {}
    pools = {
        "ICT pool, 1,264 skills": None,
        "full pool, 13,939 skills": sample / "full_pool" / "skills_en.csv",
    }
    figures = {}
    for pool, skills in pools.items():
        engine = evaluate_esco(sample, 20, skills)
        baseline = evaluate_esco(sample, 20, skills, ranker="tfidf")
        results.add_floor(
            f"suggestions: recall@20, {pool} ({engine['queries']} occupations)",
            engine["recall@20"],
            QUALITY_TARGETS[pool],
        )
        results.note(
            f"suggestions: {pool}, beside it",
            f"MRR {engine['mrr']:.3f}; TF-IDF baseline recall@20 {baseline['recall@20']:.3f}, "
            f"MRR {baseline['mrr']:.3f}",
        )
        figures[pool] = {"engine": engine, "tfidf": baseline}
    return figures


def run(results, *, courses: int | None = None) -> dict:
    quality(results)
    given = give_courses_text()
    if given:
        results.note(
            "suggestions: course text", f"outcomes given to {given} generated courses (once)"
        )
    figures = measure_ranking()
    results.add(
        f"suggestions: index build ({figures['abilities']} abilities)",
        figures["build_seconds"],
        BUILD_LIMIT,
        kind="limit",
    )
    results.add(
        "suggestions: one course, median of 100",
        figures["median_seconds"],
        MEDIAN_LIMIT,
        kind="limit",
    )
    results.add(
        "suggestions: one course, slowest of 100",
        figures["slowest_seconds"],
        SLOWEST_LIMIT,
        kind="limit",
    )
    command = [sys.executable, str(Path(__file__).resolve()), "--job"]
    if courses is not None:
        command += ["--courses", str(courses)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=os.environ)
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    results.add(
        f"suggestions: job over {measured['courses']} courses",
        measured["seconds"],
        JOB_LIMIT,
        kind="limit",
    )
    results.add(
        "suggestions: job peak memory",
        measured["peak_mb"],
        MEMORY_LIMIT_MB,
        unit="MB",
        kind="limit",
    )
    results.note(
        "suggestions: job output",
        f"{measured['created']} suggestions stored; {measured['progress_updates']} progress "
        f"updates; {measured['cpu_seconds']:.1f} s of CPU in the job's process",
    )
    return {**figures, **{f"job_{k}": v for k, v in measured.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=None)
    parser.add_argument("--job", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    os.environ["CELERY_BROKER_URL"] = ""
    import django

    django.setup()
    if args.job:
        print(json.dumps(job(args.courses)))
        return
    from benchmarks.run import Results  # the full run's table, printed as it fills

    run(Results(), courses=args.courses)


if __name__ == "__main__":
    main()
