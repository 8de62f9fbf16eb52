"""Faults: the database failing in the middle of an import (through the API, the admin upload
and the admin link import) leaves nothing half-written and answers with a report, not a 500; a
Celery worker killed (SIGKILL) in the middle of a recompute has its task redelivered, and the
report ends right.

The broker going down during edits is covered in curricula/tests/test_coverage_worker.py, whose
Redis fixture and helpers the worker test here reuses.
"""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.urls import reverse

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from conftest import skip_or_fail
from curricula.models import CourseAbility, CoverageState
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from curricula.tests.test_coverage_worker import (  # noqa: F401  (redis_broker is a fixture)
    coverage_of,
    queued,
    redis_broker,
    wait_for,
)
from positions.models import (
    Ability,
    AbilityRelation,
    Framework,
    ImportJob,
    ImportStatus,
)
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "positions" / "tests" / "fixtures"
SIMULATED = "simulated failure: could not extend file, the disk is full"


class FailingInsert:
    """A database execute wrapper that fails the nth INSERT into `table`, as a full disk or a
    dropped connection would in the middle of a multi-table write."""

    def __init__(self, table: str, nth: int = 1):
        self.prefix = f'INSERT INTO "{table}"'
        self.nth = nth
        self.seen = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().startswith(self.prefix):
            self.seen += 1
            if self.seen >= self.nth:
                raise DatabaseError(SIMULATED)
        return execute(sql, params, many, context)


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _upload(folder: str, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FIXTURES / folder / name).read_bytes())


@pytest.mark.django_db
def test_database_failing_mid_import_through_the_api_writes_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    # The package's associations are written last: framework and abilities came before them.
    failing = FailingInsert("positions_abilityrelation")
    with connection.execute_wrapper(failing), django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/imports/",
            {"file": _upload("case", "package_1_1.json"), "format": "case"},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    assert failing.seen, "the import never reached the failing step"

    job = staff_client.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert job["status"] == ImportStatus.FAILED
    assert SIMULATED in job["report"]["error"]["message"]
    assert not Framework.objects.exists()
    assert not Ability.objects.exists()
    assert not AbilityRelation.objects.exists()


@pytest.mark.django_db
def test_database_failing_mid_import_through_the_admin_upload_writes_nothing(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    # The framework row is written, then the abilities' insert fails.
    failing = FailingInsert("positions_ability")
    with connection.execute_wrapper(failing), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:positions_importjob_add"),
            {"format": "moodle", "upload": _upload("moodle", "current.csv"), "min_level": ""},
        )
    assert response.status_code == 302
    assert failing.seen, "the import never reached the failing step"
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert SIMULATED in job.report["error"]["message"]
    assert not Framework.objects.exists()
    assert not Ability.objects.exists()
    page = client.get(reverse("admin:positions_importjob_change", args=[job.pk]))
    assert page.status_code == 200


@pytest.mark.django_db
def test_database_failing_mid_link_import_in_the_admin_writes_nothing(admin_client):
    framework = FrameworkFactory()
    for code in ("A1", "A2", "A3"):
        AbilityFactory(framework=framework, code=code)
    for code in ("C-1", "C-2"):
        CourseFactory(code=code)
    rows = [f"C-{c},{framework.identifier},A{a},M," for c in (1, 2) for a in (1, 2, 3)]
    text = "\n".join(["course,framework,ability,level,note", *rows]) + "\n"
    url = reverse("admin:curricula_courseability_import")
    preview = admin_client.post(
        url,
        {"format": "0", "import_file": SimpleUploadedFile("links.csv", text.encode())},
    )
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"].initial

    failing = FailingInsert("curricula_courseability", nth=4)
    with connection.execute_wrapper(failing):
        response = admin_client.post(
            reverse("admin:curricula_courseability_process_import"), confirm, follow=True
        )
    assert failing.seen >= 4, "the import never reached the failing row"
    assert response.status_code < 500
    assert not CourseAbility.objects.exists(), "the three rows before the failure stayed"
    assert not CourseAbility.history.exists()


# --- a worker killed in the middle of a recompute ----------------------------------------------

# Redis gives an unacknowledged task to another worker after this long; production keeps the
# default (an hour, longer than any task). Checked every second here instead of every 100 s.
TRANSPORT_OPTIONS = (
    '{"visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}'
)


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def _start_worker(name: str, broker: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker,
        "CELERY_BROKER_TRANSPORT_OPTIONS": TRANSPORT_OPTIONS,
        "DJANGO_SETTINGS_MODULE": "competency_site.settings",
    }
    with open(log, "w") as out:
        return subprocess.Popen(
            [
                sys.executable,
                *("-m", "celery", "-A", "competency_site", "worker", "-P", "solo"),
                *("--without-mingle", "--without-gossip", "--loglevel=INFO"),
                *("--hostname", f"{name}-{os.getpid()}@%h"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _recompute_waiting(monitor) -> bool:
    """Whether a recompute's write waits on a lock in this test's database. Not through the
    connection holding the lock: activity statistics are a snapshot per transaction. Only this
    database's: the other xdist worker's database may hold another such test's waiting write,
    which read as this one's (observed: the task's receipt was then not yet logged)."""
    with monitor.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database() "
            "AND query LIKE 'UPDATE \"curricula_programmecoverage\"%%'"
        )
        return cursor.fetchone()[0] > 0


def _received(log: Path) -> list[str]:
    return re.findall(
        r"Task curricula\.recompute_coverage\[([0-9a-f-]+)\] received", log.read_text()
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_recompute_has_its_task_redelivered(
    redis_broker,  # noqa: F811
    staff_client,
    tmp_path,
):
    if connection.vendor != "postgresql":
        skip_or_fail("the killed-worker test needs PostgreSQL (DATABASE_URL=postgres://...)")
    ability, position, course = AbilityFactory(), PositionFactory(), CourseFactory()
    RequirementFactory(position=position, ability=ability, min_level=level("M"))
    programme = ProgrammeFactory(courses=[course], targets=[position])

    workers = []
    try:
        first = _start_worker("first", redis_broker, tmp_path / "first.log")
        workers.append(first)
        wait_for(lambda: coverage_of(programme).state == CoverageState.FRESH, "the first report")
        assert coverage_of(programme).percent == 0.0
        # Building the programme queued a recompute per write (the programme, its courses, its
        # targets); the first worker takes them all, or a leftover would later close the gap in
        # place of the redelivered task.
        wait_for(lambda: queued(redis_broker) == 0, "the first worker to drain the queue")
        _stop(first)

        # The edit commits and queues one recompute; no worker is running to take it yet.
        response = staff_client.post(
            "/api/v1/course-abilities/",
            {"course": course.pk, "ability": ability.pk, "level": "M"},
        )
        assert response.status_code == 201, response.content
        assert coverage_of(programme).state == CoverageState.STALE
        assert queued(redis_broker) == 1

        # Hold the report's row, so the next worker's recompute stops inside its first write.
        dsn = _database_url().replace("postgres://", "postgresql://")
        blocker, monitor = psycopg2.connect(dsn), psycopg2.connect(dsn)
        monitor.autocommit = True
        try:
            with blocker.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM curricula_programmecoverage WHERE programme_id = %s FOR UPDATE",
                    [programme.pk],
                )
            second_log = tmp_path / "second.log"
            second = _start_worker("second", redis_broker, second_log)
            workers.append(second)

            wait_for(lambda: _recompute_waiting(monitor), "the second worker's recompute to start")
            # The worker logs the task's receipt before running it; the log is read until it
            # shows (a loaded machine may run the task before the file is read).
            wait_for(lambda: _received(second_log), "the second worker to log the task")
            (task_id,) = _received(second_log)
            second.kill()  # SIGKILL: no warm shutdown, no acknowledgement
            second.wait(timeout=10)
        finally:
            blocker.rollback()
            blocker.close()
            monitor.close()

        assert coverage_of(programme).state != CoverageState.FRESH
        third_log = tmp_path / "third.log"
        workers.append(_start_worker("third", redis_broker, third_log))
        wait_for(
            lambda: (
                coverage_of(programme).state == CoverageState.FRESH
                and coverage_of(programme).percent == 100.0
            ),
            "the redelivered recompute",
        )
        # The same message, not a new one: nothing else was enqueued after the edit.
        assert task_id in _received(third_log)
        body = staff_client.get(f"/api/v1/programs/{programme.pk}/coverage/").json()
        (requirement,) = body["positions"][0]["requirements"]
        assert requirement["status"] == "covered"
    finally:
        for process in workers:
            _stop(process)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_recompute_whose_worker_was_killed_reads_failed_and_may_be_started_again(
    redis_broker,  # noqa: F811
    staff_client,
    tmp_path,
):
    """A worker killed outright (SIGKILL, out of memory, its machine gone) leaves its task
    reading STARTED until Redis redelivers the message, an hour later (the visibility timeout).
    Asking for the same recompute again answered that dead task, starting nothing, for that
    hour; and the page following it showed it running. The task now reads failed, saying why,
    and the recompute asked again is a new task, which a worker then runs."""
    if connection.vendor != "postgresql":
        skip_or_fail("the killed-worker test needs PostgreSQL (DATABASE_URL=postgres://...)")
    programme = ProgrammeFactory(courses=[CourseFactory()], targets=[PositionFactory()])
    url = f"/api/v1/programs/{programme.pk}/recompute/"
    workers = []
    try:
        first = _start_worker("first", redis_broker, tmp_path / "first.log")
        workers.append(first)
        wait_for(lambda: coverage_of(programme).state == CoverageState.FRESH, "the first report")
        wait_for(lambda: queued(redis_broker) == 0, "the first worker to drain the queue")
        _stop(first)

        dsn = _database_url().replace("postgres://", "postgresql://")
        blocker, monitor = psycopg2.connect(dsn), psycopg2.connect(dsn)
        monitor.autocommit = True
        try:
            asked = staff_client.post(url)
            assert asked.status_code == 202, asked.content
            task_id = asked.json()["task_id"]
            # Hold the report's row, so the worker's recompute stops at its claim.
            with blocker.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM curricula_programmecoverage WHERE programme_id = %s FOR UPDATE",
                    [programme.pk],
                )
            second = _start_worker("second", redis_broker, tmp_path / "second.log")
            workers.append(second)

            wait_for(lambda: _recompute_waiting(monitor), "the worker's recompute to start")
            assert staff_client.get(asked["Location"]).json()["state"] == "STARTED"
            second.kill()  # SIGKILL: no warm shutdown, no acknowledgement
            second.wait(timeout=10)
        finally:
            blocker.rollback()
            blocker.close()
            monitor.close()

        again = staff_client.post(url)
        assert again.status_code == 202, again.content
        assert again.json()["task_id"] != task_id
        lost = staff_client.get(asked["Location"]).json()
        assert lost["state"] == "FAILURE"
        assert "worker" in lost["error"]

        workers.append(_start_worker("third", redis_broker, tmp_path / "third.log"))
        wait_for(
            lambda: staff_client.get(again["Location"]).json()["state"] == "SUCCESS",
            "the recompute asked again",
        )
        assert coverage_of(programme).state == CoverageState.FRESH
    finally:
        for process in workers:
            _stop(process)
