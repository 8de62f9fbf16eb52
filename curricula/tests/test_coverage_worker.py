"""End to end with the real services: a Celery worker process on Redis, PostgreSQL, the API.

Skipped without PostgreSQL or Redis, unless REQUIRE_SERVICES=1 (CI), where it fails instead.
The worker runs against pytest-django's test database, so the tests commit (transactional_db).
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.db import connection

from conftest import skip_or_fail
from curricula.models import CoverageState, ProgrammeCoverage
from curricula.tasks import sweep_stale_coverage
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# The project's Celery app, as the tasks know it.
celery_app = sweep_stale_coverage.app

BASE_DIR = Path(__file__).resolve().parents[2]


def _this_workers_redis(url: str) -> str:
    """Under pytest-xdist each worker process has a Redis database of its own (15, 14, ... for
    gw0, gw1, ...), as it has a test database of its own: the tests flush it, and a Celery worker
    one of them starts must never take another's tasks."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.removeprefix("gw").isdigit():
        return url
    parts = urlsplit(url)
    database = int(parts.path.lstrip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(database - int(worker[2:])) % 16}"))


REDIS_URL = _this_workers_redis(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
# Nothing listens on port 1: connections are refused at once, like a broker that is down.
DEAD_BROKER_URL = "redis://127.0.0.1:1/15"
WAIT_SECONDS = 60


def _use_broker(url: str) -> None:
    """Point this process's Celery app at `url`, dropping connections made to the previous one."""
    celery_app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@pytest.fixture
def redis_broker():
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis is unreachable at {REDIS_URL}: {error}")
    client.flushdb()
    saved = {
        key: celery_app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")
    }
    _use_broker(REDIS_URL)
    yield REDIS_URL
    celery_app.conf.update(saved)
    _use_broker(saved["broker_url"])
    celery_app.conf.update(saved)
    client.flushdb()


@pytest.fixture
def worker(transactional_db, redis_broker, tmp_path):
    """A `celery worker -P solo` subprocess on the test database; stopped at the end."""
    if connection.vendor != "postgresql":
        skip_or_fail("the worker test needs PostgreSQL (DATABASE_URL=postgres://...)")
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    database_url = (
        f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": redis_broker,
        "DJANGO_SETTINGS_MODULE": "competency_site.settings",
    }
    with open(tmp_path / "worker.log", "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "competency_site",
                "worker",
                "-P",
                "solo",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=INFO",
                "--hostname",
                f"coverage-test-{os.getpid()}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + WAIT_SECONDS
            while not celery_app.control.ping(timeout=0.5):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the Celery worker did not start; see {log.name}")
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def wait_for(predicate, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {WAIT_SECONDS}s waiting for {what}")


def queued(broker_url: str = REDIS_URL) -> int:
    """Messages waiting in the default queue or taken by a worker and not yet acknowledged."""
    import redis

    client = redis.Redis.from_url(broker_url)
    return client.llen("celery") + client.hlen("unacked")


def coverage_of(programme) -> ProgrammeCoverage:
    return ProgrammeCoverage.objects.get(programme=programme)


@pytest.fixture
def gap(worker):
    """A programme whose one target requires an ability at M that no course builds; its first
    report, computed by the worker, shows the gap."""
    ability = AbilityFactory()
    position = PositionFactory()
    RequirementFactory(position=position, ability=ability, min_level=level("M"))
    course = CourseFactory()
    programme = ProgrammeFactory(courses=[course], targets=[position])
    wait_for(
        lambda: coverage_of(programme).state == CoverageState.FRESH, "the first report (worker)"
    )
    assert coverage_of(programme).percent == 0.0
    # Building the programme queued a recompute per write; one left over would recompute the
    # report after the test's edit and blur what the test sees.
    wait_for(lambda: queued() == 0, "the worker to drain the queue")
    return {"programme": programme, "course": course, "ability": ability}


def add_link(client, gap):
    return client.post(
        "/api/v1/course-abilities/",
        {"course": gap["course"].pk, "ability": gap["ability"].pk, "level": "M"},
    )


def test_a_link_added_through_the_api_closes_the_gap_via_the_worker(staff_client, gap):
    response = add_link(staff_client, gap)
    assert response.status_code == 201, response.content
    programme = gap["programme"]
    wait_for(
        lambda: (
            coverage_of(programme).state == CoverageState.FRESH
            and coverage_of(programme).percent == 100.0
        ),
        "the worker to recompute the report",
    )
    body = staff_client.get(f"/api/v1/programs/{programme.pk}/coverage/").json()
    (requirement,) = body["positions"][0]["requirements"]
    assert requirement["status"] == "covered"
    assert requirement["courses"][0]["course"]["id"] == gap["course"].pk


def test_with_the_broker_down_the_edit_is_kept_stale_then_the_sweep_recovers(staff_client, gap):
    _use_broker(DEAD_BROKER_URL)
    started = time.monotonic()
    response = add_link(staff_client, gap)
    elapsed = time.monotonic() - started
    assert response.status_code == 201, response.content
    assert elapsed < 5, f"the edit waited {elapsed:.1f}s for a dead broker"
    programme = gap["programme"]
    assert programme.courses.get().ability_links.filter(ability=gap["ability"]).exists()
    coverage = coverage_of(programme)
    assert (coverage.state, coverage.percent) == (CoverageState.STALE, 0.0)

    # The broker comes back; the periodic sweep (sent as beat would) recomputes what was missed.
    _use_broker(REDIS_URL)
    sweep_stale_coverage.delay()
    wait_for(
        lambda: (
            coverage_of(programme).state == CoverageState.FRESH
            and coverage_of(programme).percent == 100.0
        ),
        "the sweep to recompute the stale report",
    )


def test_a_task_sent_to_the_broker_reads_sent_until_a_worker_takes_it(
    redis_broker, staff_client, staff_user
):
    """Published for real (no worker running): its status reads SENT, where an id nobody sent
    is a 404; before, both read PENDING."""
    from core.jobs import task_starter_record

    sent = sweep_stale_coverage.apply_async()
    task_starter_record(task_id=sent.id, user=staff_user, permissions=())

    body = staff_client.get(f"/api/v1/tasks/{sent.id}/").json()

    assert body["state"] == "SENT"
    assert staff_client.get(f"/api/v1/tasks/{uuid.uuid4()}/").status_code == 404


def test_a_recompute_asked_again_before_it_ends_is_the_same_task_across_processes(
    redis_broker, staff_client, settings, monkeypatch, request
):
    """A second POST .../recompute/ while the first waits for a worker answers the same task;
    once the worker (another process, sharing the Redis cache as CACHE_URL makes it) has run
    it, the claim is let go and the next POST starts a new one."""
    from core.jobs import task_claim

    settings.CACHES = {
        "default": {"BACKEND": "core.cache.TolerantRedisCache", "LOCATION": redis_broker}
    }
    programme = ProgrammeFactory()
    first = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")
    again = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")
    assert (first.status_code, again.status_code) == (202, 202)
    task_id = first.json()["task_id"]
    assert again.json()["task_id"] == task_id
    assert staff_client.get(first["Location"]).json()["state"] == "SENT"

    monkeypatch.setenv("CACHE_URL", redis_broker.replace("redis://", "rediscache://"))
    request.getfixturevalue("worker")
    wait_for(
        lambda: staff_client.get(first["Location"]).json()["state"] == "SUCCESS",
        "the worker to run the recompute",
    )
    wait_for(
        lambda: (
            task_claim(operation="coverage.recompute", scope={"programme": programme.pk}) is None
        ),
        "the worker to let go of the claim",
    )
    assert (
        staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/").json()["task_id"]
        != task_id
    )
