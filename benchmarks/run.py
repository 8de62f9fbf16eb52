"""`make bench`: measure the issue's targets on PostgreSQL beside their bounds; write BENCHMARKS.md.

    DATABASE_URL=postgres://root@127.0.0.1:5432/competency_bench .venv/bin/python benchmarks/run.py

The database is created if missing, migrated, and given the esco catalogue once (generate_catalog
--preset esco, seed 7); later runs reuse it. The ESCO import runs into a second database (the
name with `_import` appended), dropped and recreated each run so it always starts empty.
Every figure is the median of several runs, measured in this one process, beside its bound.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://root@127.0.0.1:5432/competency_bench"

# One SQL statement computing every (programme, target position, required ability) gap: the best
# level the programme's courses reach for the ability against the requirement's minimum. It reads
# the same tables the engine reads and returns every row to Python, so it is the floor for a full
# recompute (which must also build and store the reports).
_GAPS_SQL = """
SELECT pt.programme_id, r.position_id, r.ability_id, ml.rank AS min_rank,
       COALESCE(b.best_rank, 0) AS best_rank,
       CASE WHEN b.best_rank >= ml.rank THEN 'covered'
            WHEN b.best_rank IS NOT NULL THEN 'partial' ELSE 'missing' END AS status
FROM curricula_programmetarget pt
JOIN positions_requirement r ON r.position_id = pt.position_id
JOIN positions_level ml ON ml.id = r.min_level_id
LEFT JOIN {best} b ON b.programme_id = pt.programme_id AND b.ability_id = r.ability_id
"""
_DIRECT_BEST_SQL = """(
    SELECT pc.programme_id, ca.ability_id, MAX(l.rank) AS best_rank
    FROM curricula_programmecourse pc
    JOIN curricula_courseability ca ON ca.course_id = pc.course_id
    JOIN positions_level l ON l.id = ca.level_id
    GROUP BY pc.programme_id, ca.ability_id
)"""
BOUND_SQL = _GAPS_SQL.format(best=_DIRECT_BEST_SQL)

# BOUND_SQL for programmes whose rule sets count crosswalks: the best level also over the links to
# the abilities related to the required one by a relation type the programme counts
# (exactMatchOf under `crosswalk_exact_match`, isRelatedTo under `crosswalk_related`), either end
# of the relation, one step from the direct links as the engine judges it. The children rule is
# not in it: a programme counting children is not bounded by this statement.
# benchmarks/test_generator.py checks that it finds the engine's statuses.
CROSSWALK_BOUND_SQL = f"""
WITH direct AS {_DIRECT_BEST_SQL}, partners AS (
    SELECT source_id AS required_id, target_id AS linked_id, relation_type
    FROM positions_abilityrelation
    WHERE relation_type IN ('exactMatchOf', 'isRelatedTo') AND source_id <> target_id
    UNION ALL
    SELECT target_id, source_id, relation_type
    FROM positions_abilityrelation
    WHERE relation_type IN ('exactMatchOf', 'isRelatedTo') AND source_id <> target_id
), reached AS (
    SELECT programme_id, ability_id, best_rank FROM direct
    UNION ALL
    SELECT d.programme_id, x.required_id, d.best_rank
    FROM direct d
    JOIN partners x ON x.linked_id = d.ability_id
    JOIN curricula_programme p ON p.id = d.programme_id
    WHERE (x.relation_type = 'exactMatchOf' AND p.crosswalk_exact_match)
       OR (x.relation_type = 'isRelatedTo' AND p.crosswalk_related)
), best AS (
    SELECT programme_id, ability_id, MAX(best_rank) AS best_rank FROM reached GROUP BY 1, 2
)""" + _GAPS_SQL.format(best="best")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def ensure_database(url: str, *, fresh: bool = False) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(with_database(url, "postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def median_time(func: Callable[[], object], *, runs: int, setup: Callable | None = None) -> float:
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


class Results:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, name: str, value: float, bound: float, *, unit: str = "s", kind: str) -> None:
        """`kind` is 'ratio' (bound is a measured floor, target a multiple of it) or 'limit'."""
        if kind == "ratio":
            target, multiple = bound
            ratio = value / target
            verdict = "met" if ratio <= multiple else "missed"
            bound_text = f"{target:.3f} {unit} (target {multiple:g}x)"
            ratio_text = f"{ratio:.2f}x"
        else:
            ratio = value / bound
            verdict = "met" if value <= bound else "missed"
            bound_text = f"{bound:g} {unit} (limit)"
            ratio_text = f"{ratio:.2f} of limit"
        row = (name, f"{value:.3f} {unit}", bound_text, ratio_text, verdict)
        self.rows.append(row)
        print(f"{name:<48} {row[1]:>12}  bound {bound_text:<28} {ratio_text:<14} {verdict}")

    def add_floor(self, name: str, value: float, floor: float) -> None:
        """A figure that must reach `floor` (a quality score: higher is better)."""
        verdict = "met" if value >= floor else "missed"
        row = (
            name,
            f"{value:.3f}",
            f">= {floor:g} (target)",
            f"{value / floor:.2f} of target",
            verdict,
        )
        self.rows.append(row)
        print(f"{name:<48} {row[1]:>12}  target {row[2]:<28} {row[3]:<14} {verdict}")

    def note(self, name: str, value: str) -> None:
        self.rows.append((name, value, "", "", ""))
        print(f"{name:<48} {value}")


def machine() -> dict[str, str]:
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus (nproc)": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        # Other work on the machine shifts every figure; the ratios to bounds less so.
        "load average (1/5/15 min) at start": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        "postgresql": pg,
        "postgresql autovacuum": f"{autovacuum} (the pages are read after vacuum_analyze())",
        "python": platform.python_version(),
        "command": "make bench",
    }


def vacuum_analyze() -> None:
    """VACUUM ANALYZE the database, as autovacuum keeps a production server's. Run before the
    pages are read: the steps before them rewrite every coverage report dozens of times and move
    links about, and on a server with autovacuum off (as on the development machines) the tables
    stay bloated and their statistics stale, which made the programme page 0.20 s where it is
    0.13 s once vacuumed (same data, same code)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def setup_catalogue(results: Results) -> None:
    from django.core.management import call_command

    from curricula.generator import generated_catalogue_exists

    call_command("migrate", verbosity=0)
    if generated_catalogue_exists():
        results.note("generate_catalog --preset esco", "reused; timed when the database is fresh")
        return
    print("Generating the esco catalogue (once per database)...")
    started = time.perf_counter()
    call_command("generate_catalog", preset="esco", verbosity=0)
    results.add("generate_catalog --preset esco", time.perf_counter() - started, 120, kind="limit")
    call_command("recompute_coverage", all=True, verbosity=0)


def _backend_cpu() -> float:
    """CPU seconds (user + system) of this connection's PostgreSQL backend, from /proc: the
    bound's work is mostly the server's, the recompute's mostly this process's. Parallel query
    workers are not counted (the plans here use at most one)."""
    from django.db import connection

    from benchmarks.bench_workers import _cpu_seconds

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return _cpu_seconds([cursor.fetchone()[0]])


def _timed(func: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its PostgreSQL backend)."""
    cpu = time.process_time() + _backend_cpu()
    started = time.perf_counter()
    func()
    wall = time.perf_counter() - started
    return wall, time.process_time() + _backend_cpu() - cpu


def _fetched(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        cursor.fetchall()


def recompute_bound() -> None:
    """The full recompute's bound: BOUND_SQL run and fetched."""
    _fetched(BOUND_SQL)


def crosswalk_bound() -> None:
    """The crosswalked recompute's bound: CROSSWALK_BOUND_SQL run and fetched."""
    _fetched(CROSSWALK_BOUND_SQL)


def full_recompute() -> None:
    """`coverage_recompute(force=True)` over the esco catalogue's 300 programmes, each rebuilt
    (the caller clears their fingerprints first)."""
    from curricula.coverage.services import coverage_recompute

    result = coverage_recompute(force=True)
    assert len(result.rebuilt) == 300, result.as_dict()


@dataclass
class Rounds:
    """Interleaved rounds of a bound and a measured function: walls and CPUs of each, per round."""

    bound_walls: list[float] = field(default_factory=list)
    walls: list[float] = field(default_factory=list)
    bound_cpus: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [wall / bound for wall, bound in zip(self.walls, self.bound_walls, strict=True)]

    @property
    def median_bound(self) -> float:
        return statistics.median(self.bound_walls)

    @property
    def median_ratio_time(self) -> float:
        """The median round's ratio, expressed as a time against the median bound."""
        return statistics.median(self.ratios) * self.median_bound


def interleaved(
    bound: Callable[[], object],
    func: Callable[[], object],
    *,
    rounds: int,
    before: Callable[[], object] | None = None,
) -> Rounds:
    """`rounds` rounds of: the bound, `before` (untimed), `func`; timed by `_timed`. Taken in
    turns, both see the same load, which a whole run of one and then the other does not."""
    measured = Rounds()
    for _ in range(rounds):
        bound_wall, bound_cpu = _timed(bound)
        if before is not None:
            before()
        wall, cpu = _timed(func)
        measured.bound_walls.append(bound_wall)
        measured.walls.append(wall)
        measured.bound_cpus.append(bound_cpu)
        measured.cpus.append(cpu)
    return measured


def bench_recompute(results: Results, *, rounds: int = 7) -> None:
    """The full recompute beside its one-statement bound, in interleaved rounds (bound, then
    recompute), so both see the same load; the median and the slowest round's ratio are both
    reported. Every report is rebuilt (fingerprints cleared). In the first variant the rebuilt
    reports come out as stored, so their write is skipped by digest; in the second the digests
    are cleared too and all 300 reports are written, as after an engine change."""
    from curricula.coverage.services import coverage_recompute
    from curricula.models import ProgrammeCoverage

    variants = [
        ("full recompute, 300 programmes rebuilt", {"inputs_fingerprint": ""}, 2.0),
        (
            "full recompute, 300 rebuilt and all written",
            {"inputs_fingerprint": "", "report_digest": ""},
            2.0,
        ),
    ]
    recompute_bound()  # warm the cache for both
    ProgrammeCoverage.objects.update(inputs_fingerprint="")
    full_recompute()
    for name, forget, target in variants:
        measured = interleaved(
            recompute_bound,
            full_recompute,
            rounds=rounds,
            before=partial(ProgrammeCoverage.objects.update, **forget),
        )
        median_bound = measured.median_bound
        results.add(
            f"{name} (median ratio of {rounds} rounds)",
            measured.median_ratio_time,
            (median_bound, target),
            kind="ratio",
        )
        ratios = measured.ratios
        worst = max(range(rounds), key=lambda i: ratios[i])
        results.add(
            f"{name}: slowest round",
            measured.walls[worst],
            (measured.bound_walls[worst], 2.5),
            kind="ratio",
        )
        cpu, bound_cpu = statistics.median(measured.cpus), statistics.median(measured.bound_cpus)
        results.note(
            f"{name}: CPU (process + PostgreSQL backend)",
            f"{cpu:.3f} s vs bound {bound_cpu:.3f} s ({cpu / bound_cpu:.2f}x); "
            f"round ratios {', '.join(f'{r:.2f}' for r in ratios)}",
        )
    unchanged = median_time(lambda: coverage_recompute(force=True), runs=3)
    results.add(
        "full recompute, inputs unchanged (skipped)", unchanged, (median_bound, 2.0), kind="ratio"
    )


def bench_incremental(results: Results) -> None:
    from django.db import transaction

    from curricula import services
    from curricula.coverage.services import coverage_recompute
    from curricula.models import CourseAbility, ProgrammeCourse
    from positions.models import Level

    link = (
        CourseAbility.objects.filter(course_id__in=ProgrammeCourse.objects.values("course_id"))
        .order_by("id")
        .first()
    )
    programmes = sorted(
        ProgrammeCourse.objects.filter(course_id=link.course_id).values_list(
            "programme_id", flat=True
        )
    )
    levels = list(Level.objects.order_by("rank"))
    task_times, edit_times = [], []
    for _ in range(7):
        # Always a different level, so every edit really changes the programmes' inputs.
        level = levels[(levels.index(link.level) + 1) % len(levels)]
        # The edit's transaction marks the programmes stale; the task after commit is timed alone.
        started = time.perf_counter()
        with transaction.atomic():
            link = services.course_ability_update(link=link, level=level)
            # Keep the inline task from running on commit: it is timed on its own below.
            transaction.get_connection().run_on_commit.clear()
        edit_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = coverage_recompute(programme_ids=programmes)
        task_times.append(time.perf_counter() - started)
        assert sorted(result.rebuilt) == programmes, result.as_dict()
    results.add(
        f"incremental: one link edit, task time ({len(programmes)} programmes)",
        statistics.median(task_times),
        0.050,
        kind="limit",
    )
    results.note(
        "incremental: the edit itself (marks stale)", f"{statistics.median(edit_times):.3f} s"
    )


def _client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True}
    )
    client = Client()
    # Staff are exempt from the anonymous throttle, which would otherwise cut the runs short.
    client.force_login(user)
    return client


def _get(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def bench_api(results: Results) -> None:
    import json

    from django.test import Client, override_settings

    # Anonymous, as the public reads the API: a logged-in client would add the session and user
    # queries to the API's side only (the bare views never look at request.user). The anonymous
    # throttle (600/minute by default) leaves room for the ~70 requests made here.
    client = Client()
    cases = [
        (
            "API positions/ 100 per page",
            "/api/v1/positions/?page_size=100&page=3",
            "/bare/positions/?page_size=100&page=3",
        ),
        (
            "API course-abilities/ 1000 per page",
            "/api/v1/course-abilities/?page_size=1000&page=3",
            "/bare/course-abilities/?page_size=1000&page=3",
        ),
    ]
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        for name, api, bare in cases:
            api_rows = json.loads(_get(client, api))["results"]
            bare_rows = json.loads(_get(client, bare))["results"]
            assert [r["id"] for r in api_rows] == [r["id"] for r in bare_rows], name
            # Interleaved pairs: both sides see the same load.
            api_times, bare_times = [], []
            for _ in range(31):
                api_times.append(_timed_wall(lambda url=api: _get(client, url)))
                bare_times.append(_timed_wall(lambda url=bare: _get(client, url)))
            results.add(
                name,
                statistics.median(api_times),
                (statistics.median(bare_times), 1.5),
                kind="ratio",
            )


def _timed_wall(func: Callable[[], object]) -> float:
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def bench_exports(results: Results) -> None:
    from core.models import Provenance
    from curricula.models import CourseAbility
    from positions.models import Framework

    client = _client()
    url = "/api/v1/course-abilities/export/"
    body = _get(client, url)
    rows = body.count(b"\n") - 1
    assert rows == CourseAbility.objects.count(), rows
    seconds = median_time(lambda: _get(client, url), runs=3)
    results.add(f"CSV export of {rows} links", seconds, 2.0, kind="limit")

    tracemalloc.start()
    response = client.get(url)
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    results.note(
        "CSV export peak Python memory (tracemalloc)",
        f"{peak / 2**20:.1f} MiB for a {size / 2**20:.1f} MiB body",
    )

    framework = Framework.objects.filter(provenance=Provenance.GENERATED).get()
    case_url = f"/ims/case/v1p1/CFPackages/{framework.identifier}"
    _get(client, case_url)
    seconds = median_time(lambda: _get(client, case_url), runs=3)
    results.add(
        f"CASE package, {framework.abilities.count()} abilities", seconds, 3.0, kind="limit"
    )


def bench_conditional(results: Results) -> None:
    """A 304 (If-None-Match holding the current ETag) against the full 200 of the same GET: the
    single-object reads compare the representation's ETag before rendering it; a CASE package
    compares its version (one query) before building anything."""
    from django.test import Client

    from curricula.models import Programme
    from positions.models import Framework, Position

    client = Client()  # anonymous: cache headers and throttling as the public sees them
    position = Position.objects.order_by("-id").first()
    programme = Programme.objects.order_by("id").first()
    framework = Framework.objects.order_by("id").first()
    cases = [
        (
            f"GET positions/{{id}}/ ({position.requirements.count()} requirements)",
            f"/api/v1/positions/{position.pk}/",
        ),
        ("GET programs/{id}/ (courses and targets)", f"/api/v1/programs/{programme.pk}/"),
        (
            f"GET CFPackages/{{id}} ({framework.abilities.count()} abilities, cached)",
            f"/ims/case/v1p1/CFPackages/{framework.identifier}",
        ),
    ]
    for name, url in cases:
        etag = client.get(url)["ETag"]
        _get(client, url)  # warm (and, for the package, write its file once)

        def revalidate(url=url, etag=etag):
            response = client.get(url, HTTP_IF_NONE_MATCH=etag)
            assert response.status_code == 304, (url, response.status_code)

        size = len(_get(client, url))
        full = median_time(lambda url=url: _get(client, url), runs=15)
        not_modified = median_time(revalidate, runs=15)
        results.add(f"304 vs 200: {name}", not_modified, (full, 1), kind="ratio")
        results.note(f"304 vs 200 bytes: {name}", f"0 vs {size}")


def write_esco_trio(folder: Path) -> None:
    """The benchmark catalogue's positions, abilities and requirements as ESCO v1.2 CSVs."""
    from core.models import Provenance
    from positions.importers.esco import esco_csv_write
    from positions.models import Ability, Position, Requirement

    occupation = "http://data.europa.eu/esco/occupation/bench-{}"
    skill = "http://data.europa.eu/esco/skill/bench-{}"
    generated = {"provenance": Provenance.GENERATED}
    esco_csv_write(
        folder,
        occupations=(
            {
                "conceptType": "Occupation",
                "conceptUri": occupation.format(pk),
                "preferredLabel": name,
                "status": "released",
            }
            for pk, name in Position.objects.filter(**generated).values_list("id", "name")
        ),
        skills=(
            {
                "conceptType": "KnowledgeSkillCompetence",
                "conceptUri": skill.format(pk),
                "skillType": "skill/competence",
                "preferredLabel": text,
                "status": "released",
            }
            for pk, text in Ability.objects.filter(**generated).values_list("id", "text")
        ),
        relations=(
            {
                "occupationUri": occupation.format(position_id),
                "relationType": importance,
                "skillType": "skill/competence",
                "skillUri": skill.format(ability_id),
            }
            for position_id, ability_id, importance in Requirement.objects.filter(**generated)
            .values_list("position_id", "ability_id", "importance")
            .iterator(chunk_size=5000)
        ),
    )


IMPORT_SCRIPT = """
import time
from positions.importers import framework_import
started = time.perf_counter()
report = framework_import(path={path!r}, format="esco")
assert report.ok, report.error
print(time.perf_counter() - started)
"""


def bench_import(results: Results, url: str) -> None:
    target = with_database(url, urlsplit(url).path.lstrip("/") + "_import")
    ensure_database(target, fresh=True)
    env = {**os.environ, "DATABASE_URL": target}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True, cwd=ROOT)
    with tempfile.TemporaryDirectory() as folder:
        write_esco_trio(Path(folder))
        done = subprocess.run(
            [*manage, "shell", "--verbosity", "0", "-c", IMPORT_SCRIPT.format(path=folder)],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    seconds = float(done.stdout.strip().splitlines()[-1])
    results.add("ESCO trio import (3,000 / 13,900 / 126,000)", seconds, 60, kind="limit")


GROWTH_FACTORS = (1, 2, 4)
# What the generator is given at each factor: every count of the esco preset times the factor
# (programmes keep 40 courses and 10 targets each).
GROWTH_FIELDS = ("positions", "abilities", "requirements", "courses", "links", "programmes")


def _manage(env: dict, *args: str, capture: bool = False) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=capture,
        text=True,
    )
    return done.stdout if capture else ""


def scaled_database(url: str, suffix: str, overrides: dict[str, int]) -> str:
    """A database of its own (the bench database's name + suffix) holding the esco catalogue
    with `overrides`, generated and recomputed once, reused after."""
    target = with_database(url, urlsplit(url).path.lstrip("/") + suffix)
    ensure_database(target)
    env = {**os.environ, "DATABASE_URL": target, "CELERY_BROKER_URL": ""}
    _manage(env, "migrate", "--verbosity", "0")
    exists = _manage(
        env,
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from curricula.generator import generated_catalogue_exists as e; print(e())",
        capture=True,
    )
    if exists.strip().splitlines()[-1] != "True":
        print(f"Generating the catalogue of {target} (once)...")
        flags = [f"--{key.replace('_', '-')}={value}" for key, value in overrides.items()]
        _manage(env, "generate_catalog", "--preset", "esco", "--verbosity", "0", *flags)
        _manage(env, "recompute_coverage", "--all", "--verbosity", "0")
    return target


def _import_seconds(url: str, folder: str) -> float:
    target = with_database(url, urlsplit(url).path.lstrip("/") + "_import")
    ensure_database(target, fresh=True)
    env = {**os.environ, "DATABASE_URL": target}
    _manage(env, "migrate", "--verbosity", "0")
    out = _manage(
        env, "shell", "--verbosity", "0", "-c", IMPORT_SCRIPT.format(path=folder), capture=True
    )
    return float(out.strip().splitlines()[-1])


def _exponent(factors: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) against log(factor)."""
    import math

    xs = [math.log(f) for f in factors]
    ys = [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def bench_growth(results: Results, url: str) -> dict:
    """Full recompute, incremental edit, ESCO import and one programme page at 1x, 2x, 4x the
    esco preset, each with its fitted exponent; drawn in docs/growth.png."""
    from curricula.generator import PRESETS

    esco = PRESETS["esco"]
    series: dict[str, list[float]] = {
        "full_recompute": [],
        "incremental": [],
        "programme_page": [],
        "esco_import": [],
    }
    for factor in GROWTH_FACTORS:
        overrides = {key: getattr(esco, key) * factor for key in GROWTH_FIELDS}
        target = url if factor == 1 else scaled_database(url, f"_x{factor}", overrides)
        env = {**os.environ, "DATABASE_URL": target, "CELERY_BROKER_URL": ""}
        with tempfile.TemporaryDirectory() as folder:
            done = subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / "bench_growth.py"), "--trio", folder],
                env=env,
                check=True,
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            figures["esco_import"] = _import_seconds(url, folder)
        for key, values in series.items():
            values.append(figures[key])
        results.note(
            f"growth x{factor} ({figures['programmes']} programmes, "
            f"{esco.requirements * factor} requirements)",
            ", ".join(f"{key} {figures[key]:.3f} s" for key in series),
        )
    limits = {
        "full_recompute": 1.1,
        "esco_import": 1.1,
        "incremental": 0.2,
        "programme_page": 0.2,
    }
    exponents = {}
    for key, values in series.items():
        exponent = _exponent(list(GROWTH_FACTORS), values)
        exponents[key] = exponent
        verdict = "met" if exponent <= limits[key] else "missed"
        bound = "flat (<= 0.2)" if limits[key] < 1 else "<= 1.1"
        results.rows.append((f"growth exponent: {key}", f"{exponent:.2f}", bound, "", verdict))
        print(f"growth exponent {key:<20} {exponent:.2f}  {bound}  {verdict}")
    _plot_growth(series, exponents, ROOT / "docs" / "growth.png")
    return {"series": series, "exponents": exponents}


def _plot_growth(series: dict[str, list[float]], exponents: dict[str, float], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 4.5), dpi=110)
    for key, values in series.items():
        axes.plot(
            GROWTH_FACTORS, values, marker="o", label=f"{key} (exponent {exponents[key]:.2f})"
        )
    axes.set_xscale("log", base=2)
    axes.set_yscale("log")
    axes.set_xticks(GROWTH_FACTORS, [f"x{f}" for f in GROWTH_FACTORS])
    axes.set_xlabel("catalogue size (multiple of the esco preset)")
    axes.set_ylabel("seconds (median)")
    axes.set_title("Growth with the catalogue (make bench)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(exist_ok=True)
    figure.savefig(path)
    pyplot.close(figure)


def _redis(port: int):
    """A Redis server of the benchmark's own on `port` (or the one already answering there):
    (url, the process started or None)."""
    import redis

    url = f"redis://127.0.0.1:{port}/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return url, None
    except redis.RedisError:
        pass
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
            return url, process
        except redis.RedisError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"redis-server did not start on port {port}")


def bench_workers(results: Results, url: str) -> dict:
    """3,000 programmes made stale by one edit, recomputed by 1 and by 2 worker processes
    (benchmarks/bench_workers.py, on the esco catalogue with ten times the programmes)."""
    from curricula.generator import PRESETS

    target = scaled_database(url, "_x10p", {"programmes": PRESETS["esco"].programmes * 10})
    broker, process = _redis(int(os.environ.get("BENCH_REDIS_PORT", "6391")))
    try:
        env = {
            **os.environ,
            "DATABASE_URL": target,
            "CELERY_BROKER_URL": broker,
            "CELERY_RESULT_BACKEND": broker,
        }
        done = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "bench_workers.py"), "--rounds", "3"],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    n = figures["programmes"]
    results.note(
        f"workers: {n} programmes stale, 1 process, until all fresh",
        f"{figures['sweep_seconds_1']:.1f} s (worker CPU {figures['worker_cpu_seconds_1']:.1f} s)",
    )
    results.add(
        f"workers: {n} programmes stale, 2 processes",
        figures["sweep_seconds_2"],
        (figures["sweep_seconds_1"], 0.65),
        kind="ratio",
    )
    results.note(
        "workers: 2 vs 1, ratio per round",
        ", ".join(f"{r:.2f}" for r in figures["ratios"])
        + f"; worker CPU with 2: {figures['worker_cpu_seconds_2']:.1f} s; "
        f"batches of {figures['batch_size']}",
    )
    for processes in (1, 2):
        results.note(
            f"workers: one edit ({figures['single_programmes']} programmes) during the sweep, "
            f"{processes} process(es)",
            f"{figures[f'single_during_sweep_seconds_{processes}']:.2f} s until fresh "
            f"(idle: {figures[f'single_idle_seconds_{processes}']:.2f} s; "
            f"sweep: {figures[f'sweep_seconds_{processes}']:.1f} s)",
        )
    results.note(
        f"workers: the edit marking {n} programmes stale (commit)",
        f"{figures['edit_seconds_1']:.3f} s",
    )
    return figures


def write_markdown(results: Results, info: dict[str, str], path: Path) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (benchmarks/run.py); the notes below the table are kept by hand",
        "in benchmarks/NOTES.md and copied in. Every figure is a median of several runs in one",
        "process, beside its bound measured in the same run.",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        "## Results",
        "",
        "| Figure | Measured | Bound | Ratio | Target |",
        "|---|---|---|---|---|",
        *[f"| {' | '.join(row)} |" for row in results.rows],
        "",
    ]
    notes = ROOT / "benchmarks" / "NOTES.md"
    if notes.exists():
        lines.append(notes.read_text())
    path.write_text("\n".join(lines))


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    # Inline tasks: the incremental figure is the task's own time, with no broker in between.
    os.environ["CELERY_BROKER_URL"] = ""
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database(url)
    import django

    django.setup()
    results = Results()
    setup_catalogue(results)
    info = machine()
    for step in (bench_recompute, bench_incremental, bench_api, bench_exports, bench_conditional):
        step(results)
    from benchmarks import (
        bench_crosswalks,
        bench_deletions,
        bench_map_edit,
        bench_pages,
        bench_recommendations,
        bench_suggestions,
    )

    bench_crosswalks.run(results)
    vacuum_analyze()
    bench_pages.run(results)

    bench_recommendations.run(results)
    bench_map_edit.run(results)
    # Before the suggestion job stores its suggestions (a database reused from an earlier run
    # holds them already: the queue is then larger, and the figures print its size).
    bench_deletions.run(results)
    bench_suggestions.run(results)
    bench_import(results, url)
    bench_workers(results, url)
    bench_growth(results, url)
    write_markdown(results, info, ROOT / "BENCHMARKS.md")
    print("Wrote BENCHMARKS.md")


if __name__ == "__main__":
    main()
