"""`make load`: the load-and-faults run of issue #15, on this machine, loopback only.

    LOAD_DATABASE_URL=postgres://root@127.0.0.1:5432/competency_load \\
        .venv/bin/python benchmarks/load/run.py [--users 50] [--duration 120]

1. The database (created if missing) is migrated and given the esco-preset catalogue once
   (generate_catalog --preset esco, seed 7; reused afterwards), a staff user with a token, and
   fresh coverage reports.
2. A Redis of its own (redis-server on LOAD_REDIS_PORT, 6390, no persistence) is started, so
   other work on the usual Redis is not disturbed; then `make prod`'s three processes with
   `make prod`'s environment (DEBUG off, PostgreSQL, Redis broker and cache, whitenoise): gunicorn
   (WEB_CONCURRENCY workers) on LOAD_PORT (8090), a Celery worker, Celery beat. They are started
   one by one here, not through `make prod`, because `make prod` stops everything when one
   process dies and this run kills one on purpose (a supervisor restarts it in production; this
   script plays the supervisor). The beat's stale-coverage sweep runs every 10 s here
   (COVERAGE_SWEEP_SECONDS).
3. Locust, headless, `--users` users (4 anonymous visitors to 1 staff editor) for `--duration`
   seconds (benchmarks/load/locustfile.py). A third of the way in, the worker's whole process
   group is SIGKILLed (restarted 5 s later); two thirds in, Redis is shut down without saving
   (its queues and cache are lost) and restarted 3 s later.
4. Afterwards: every response's status (no 5xx allowed), every acknowledged edit in the database
   (the last one per link) and in the links' history, and every programme's report fresh
   (state "fresh"), polled for up to 60 s, with the time it took. Percentiles per request type
   from Locust's CSV; CPU seconds of the server processes beside the wall time.

Writes benchmarks/out/load-<time>.md and prints it. Exits non-zero if a check fails.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
PY = str(VENV / "python")
DEFAULT_URL = "postgres://root@127.0.0.1:5432/competency_load"


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


def prepare(url: str, out: Path) -> dict:
    """Database, catalogue, staff token, fresh reports; the ids the locustfile uses."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")
    from benchmarks.run import ensure_database

    ensure_database(url)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from curricula.models import CourseAbility, Programme, ProgrammeCourse

    call_command("migrate", verbosity=0)
    if not Programme.objects.exists():
        log("generating the esco catalogue (once per database)")
        call_command("generate_catalog", preset="esco", seed=7, verbosity=0)
    user, _ = get_user_model().objects.get_or_create(
        username="load-editor", defaults={"is_staff": True}
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="curricula", codename__endswith="ability")
    )
    token, _ = Token.objects.get_or_create(user=user)
    log("recomputing the stale reports, so the run starts fresh")
    call_command("recompute_coverage", "--stale", verbosity=0)
    programmes = list(Programme.objects.order_by("pk").values_list("pk", flat=True))
    courses: dict[str, list[int]] = defaultdict(list)
    for programme_id, course_id in ProgrammeCourse.objects.values_list("programme_id", "course_id"):
        courses[str(programme_id)].append(course_id)
    # Links of courses the first programmes teach, so every edit touches some report.
    taught = [c for p in programmes[:40] for c in courses[str(p)]]
    links = list(
        CourseAbility.objects.filter(course_id__in=taught)
        .order_by("pk")
        .values_list("pk", flat=True)[:1280]
    )
    data = {"programmes": programmes, "courses": courses, "links": links, "token": token.key}
    (out / "data.json").write_text(json.dumps(data))
    return data


class Servers:
    def __init__(self, env: dict, out: Path, port: int, redis_port: int):
        self.env, self.out, self.port, self.redis_port = env, out, port, redis_port
        self.processes: dict[str, subprocess.Popen] = {}

    def _start(self, name: str, command: list[str]) -> None:
        log_file = open(self.out / f"{name}.log", "a")  # noqa: SIM115 (kept open for the process)
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole
        )

    def start_redis(self) -> None:
        self._start(
            "redis",
            [
                "redis-server",
                *("--port", str(self.redis_port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
        )
        for _ in range(50):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(self.redis_port), "ping"], capture_output=True
                ).stdout.strip()
                == b"PONG"
            ):
                return
            time.sleep(0.1)
        raise SystemExit("redis did not start")

    def stop_redis(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.redis_port), "shutdown", "nosave"], capture_output=True
        )
        self.processes["redis"].wait(timeout=10)

    def start_worker(self) -> None:
        self._start(
            "worker", [str(VENV / "celery"), "-A", "competency_site", "worker", "--loglevel=INFO"]
        )

    def kill_worker(self) -> None:
        os.killpg(self.processes["worker"].pid, signal.SIGKILL)
        self.processes["worker"].wait(timeout=10)

    def start_all(self, web_concurrency: int) -> None:
        self.start_redis()
        self._start(
            "gunicorn",
            [
                str(VENV / "gunicorn"),
                "competency_site.wsgi",
                *("--bind", f"127.0.0.1:{self.port}", "--workers", str(web_concurrency)),
                "--access-logfile",
                "-",
            ],
        )
        self.start_worker()
        self._start(
            "beat",
            [
                str(VENV / "celery"),
                "-A",
                "competency_site",
                "beat",
                "--loglevel=INFO",
                "--schedule",
                str(self.out / "celerybeat-schedule"),
            ],
        )
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v1/levels/", timeout=5)
                return
            except Exception:
                time.sleep(0.5)
        raise SystemExit("gunicorn did not answer")

    def cpu_seconds(self) -> float:
        import psutil

        total = 0.0
        for process in self.processes.values():
            try:
                root = psutil.Process(process.pid)
                for p in [root, *root.children(recursive=True)]:
                    times = p.cpu_times()
                    total += times.user + times.system + times.children_user + times.children_system
            except psutil.Error:
                pass
        return total

    def stop_all(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is None:
                if name == "redis":
                    self.stop_redis()
                    continue
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def faults(servers: Servers, started: float, duration: int, events: list[str]) -> None:
    def at(offset: float) -> None:
        time.sleep(max(0.0, started + offset - time.time()))

    at(duration / 3)
    servers.kill_worker()
    events.append(f"{time.time() - started:5.1f} s: worker SIGKILLed (whole process group)")
    log(events[-1])
    at(duration / 3 + 5)
    servers.start_worker()
    events.append(f"{time.time() - started:5.1f} s: worker restarted")
    log(events[-1])
    at(2 * duration / 3)
    servers.stop_redis()
    events.append(f"{time.time() - started:5.1f} s: Redis shut down without saving")
    log(events[-1])
    at(2 * duration / 3 + 3)
    servers.start_redis()
    events.append(f"{time.time() - started:5.1f} s: Redis restarted (empty)")
    log(events[-1])


def check(result: dict, ended: float, redis_back: float) -> tuple[list[str], list[str]]:
    from curricula.models import CourseAbility, CoverageState, ProgrammeCoverage

    lines, failures = [], []
    edits = result["edits"]
    last: dict[int, dict] = {}
    for edit in sorted(edits, key=lambda e: e["at"]):
        last[edit["link"]] = edit
    stored = dict(CourseAbility.objects.filter(pk__in=last).values_list("pk", "note"))
    lost = [link for link, edit in last.items() if stored.get(link) != edit["note"]]
    notes = [e["note"] for e in edits]
    in_history = set(CourseAbility.history.filter(note__in=notes).values_list("note", flat=True))
    missing = [note for note in notes if note not in in_history]
    lines.append(
        f"- Acknowledged edits: {len(edits)} on {len(last)} links; last edit per link not in "
        f"the database: {len(lost)}; edits missing from history: {len(missing)}"
    )
    if lost or missing:
        failures.append("lost edits")
    server_errors = result["server_errors"]
    lines.append(f"- 5xx responses: {len(server_errors)}")
    if server_errors:
        failures.append("5xx responses")
    fresh_at = None
    for _ in range(120):
        stale = ProgrammeCoverage.objects.exclude(state=CoverageState.FRESH).count()
        if stale == 0:
            fresh_at = time.time()
            break
        time.sleep(0.5)
    if fresh_at is None:
        lines.append(f"- Reports: {stale} still not fresh 60 s after the end")
        failures.append("stale reports")
    else:
        after_end, after_redis = fresh_at - ended, fresh_at - redis_back
        lines.append(
            f"- Every report fresh {after_end:.1f} s after the end of the load "
            f"({after_redis:.1f} s after Redis came back)"
        )
        if after_end > 30 or after_redis > 60:
            failures.append("reports fresh too late")
    return lines, failures


def percentiles(stats_csv: Path) -> list[str]:
    rows = list(csv.DictReader(stats_csv.open()))
    table = [
        "| Request | Count | Failures | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        table.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | "
            f"{row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} |"
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=120)
    parser.add_argument("--spawn-rate", type=float, default=10)
    args = parser.parse_args()
    url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    port = int(os.environ.get("LOAD_PORT", "8090"))
    redis_port = int(os.environ.get("LOAD_REDIS_PORT", "6390"))
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    out = ROOT / "benchmarks" / "out" / f"load-{stamp}"
    out.mkdir(parents=True, exist_ok=True)

    data = prepare(url, out)
    redis = f"redis://127.0.0.1:{redis_port}"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": f"{redis}/0",
        "CACHE_URL": f"{redis}/1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        # The visitors all come from 127.0.0.1: one anonymous client to the throttle.
        "API_ANON_THROTTLE_RATE": "1000000/minute",
        "COVERAGE_SWEEP_SECONDS": "10",
    }
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    servers = Servers(env, out, port, redis_port)
    events: list[str] = []
    try:
        log("starting redis, gunicorn, worker, beat")
        servers.start_all(int(os.environ.get("WEB_CONCURRENCY", "2")))
        cpu_before = servers.cpu_seconds()
        load_before = os.getloadavg()
        log(f"locust: {args.users} users for {args.duration} s")
        started = time.time()
        injector = threading.Thread(
            target=faults, args=(servers, started, args.duration, events), daemon=True
        )
        injector.start()
        subprocess.run(
            [
                str(VENV / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "load" / "locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{args.duration}s",
                "--csv",
                str(out / "locust"),
                "--only-summary",
                "--stop-timeout",
                "10",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "LOAD_DATA": str(out / "data.json"),
                "LOAD_RESULT": str(out / "result.json"),
            },
            check=False,
        )
        ended = time.time()
        injector.join(timeout=30)
        wall = ended - started
        cpu = servers.cpu_seconds() - cpu_before
        redis_back = started + 2 * args.duration / 3 + 3
        lines, failures = check(json.loads((out / "result.json").read_text()), ended, redis_back)
    finally:
        servers.stop_all()
    report = [
        f"### Load and faults, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M}",
        "",
        f"`benchmarks/load/run.py --users {args.users} --duration {args.duration}` on "
        f"{platform.node()} ({os.cpu_count()} CPUs, load average {load_before[0]:.1f} at the "
        f"start), {len(data['programmes'])} programmes; server processes used {cpu:.0f} CPU s "
        f"in {wall:.0f} s wall.",
        "",
        *[f"- {event}" for event in events],
        *lines,
        "",
        *percentiles(out / "locust_stats.csv"),
        "",
        "Checks: " + ("all passed" if not failures else "FAILED: " + ", ".join(failures)),
    ]
    text = "\n".join(report) + "\n"
    (out / "report.md").write_text(text)
    print(text)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
