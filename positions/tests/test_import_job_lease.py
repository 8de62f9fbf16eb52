"""Import jobs hold a lease (issue #15: a worker SIGKILLed mid-import left its job "running" at
0 % for ever, because the redelivered task saw "running" and returned)."""

import logging
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from positions import services
from positions.importers import framework_import
from positions.importers.moodle import MoodleImporter
from positions.models import Framework, ImportJob, ImportStatus
from positions.tasks import import_job_run

MOODLE = Path(__file__).parent / "fixtures" / "moodle" / "current.csv"


def _job(**fields) -> ImportJob:
    return ImportJob.objects.create(
        format="moodle", path=str(MOODLE), source_name="c.csv", **fields
    )


def _died(attempts: int = 1) -> ImportJob:
    """A job whose worker was killed: running, its lease expired a while ago."""
    return _job(
        status=ImportStatus.RUNNING,
        attempts=attempts,
        started_at=timezone.now() - timedelta(minutes=5),
        lease_expires_at=timezone.now() - timedelta(minutes=1),
    )


@pytest.mark.django_db
def test_a_redelivered_task_takes_over_a_job_whose_lease_expired():
    job = _died(attempts=1)

    assert import_job_run.apply(args=[job.pk]).get() == ImportStatus.SUCCEEDED

    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED
    assert job.attempts == 2
    assert job.progress == 100
    assert job.lease_expires_at is None
    assert Framework.objects.filter(external_id="CBE-FW").exists()


@pytest.mark.django_db
def test_a_job_whose_worker_died_too_often_is_failed_with_the_reason(settings):
    settings.IMPORT_JOB_MAX_ATTEMPTS = 2
    job = _died(attempts=2)

    services.import_job_execute(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "lease expired" in job.report["error"]["message"]
    assert job.finished_at is not None
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_a_job_under_a_live_lease_is_left_to_its_worker_and_retried_later():
    job = _job(
        status=ImportStatus.RUNNING,
        attempts=1,
        lease_expires_at=timezone.now() + timedelta(seconds=30),
    )

    with pytest.raises(services.ImportJobBusy) as busy:
        services.import_job_execute(job_id=job.pk)

    assert 25 < busy.value.retry_in <= 30
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
    assert job.attempts == 1


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ImportStatus.SUCCEEDED, ImportStatus.FAILED])
def test_a_finished_job_is_not_run_again_by_a_late_duplicate(status):
    job = _job(status=status, progress=100, attempts=1)

    services.import_job_execute(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == status
    assert job.attempts == 1
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_the_sweep_takes_over_stuck_jobs_and_leaves_live_ones():
    stuck = _died(attempts=1)
    live = _job(
        status=ImportStatus.RUNNING,
        attempts=1,
        lease_expires_at=timezone.now() + timedelta(minutes=1),
    )

    # Tasks run inline here (no broker): the enqueued run happens at once.
    result = services.import_jobs_sweep()

    assert result == {"enqueued": [stuck.pk], "failed": []}
    stuck.refresh_from_db()
    live.refresh_from_db()
    assert stuck.status == ImportStatus.SUCCEEDED
    assert live.status == ImportStatus.RUNNING


@pytest.mark.django_db
def test_a_stuck_job_shows_as_stuck_in_the_api_and_the_admin(staff_client, admin_client):
    job = _died()

    body = staff_client.get(f"/api/v1/imports/{job.pk}/").json()
    assert body["status"] == "running"
    assert body["stuck"] is True
    assert body["attempts"] == 1

    listing = admin_client.get(reverse("admin:positions_importjob_changelist"))
    assert listing.status_code == 200
    assert (
        'class="field-stuck"><img src="/static/admin/img/icon-yes.svg"' in listing.content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_renews_the_lease_while_the_import_runs(settings):
    settings.IMPORT_JOB_LEASE_SECONDS = 0.3  # renewed every 0.1 s
    job = _job(
        status=ImportStatus.RUNNING,
        attempts=1,
        lease_expires_at=timezone.now() + timedelta(seconds=0.3),
    )
    first = job.lease_expires_at
    heartbeat = services._Heartbeat(job.pk, 1)
    heartbeat.start()
    try:
        time.sleep(1.0)
    finally:
        heartbeat.stop()
    job.refresh_from_db()
    assert job.lease_expires_at > first + timedelta(seconds=0.5)
    # A worker that lost its job to a take-over (another attempt) no longer renews it.
    assert not services.import_job_heartbeat(job_id=job.pk, attempt=0)


@pytest.mark.django_db
def test_progress_moves_while_the_abilities_are_written(tmp_path):
    path = tmp_path / "m.csv"
    rows = "".join(f",C{n},C{n},,1,,,,0,null,,,,\n" for n in range(40))
    path.write_text(MOODLE.read_text().splitlines()[0] + "\n,FW,FW,,1,,,,,,,,1,d\n" + rows)
    seen = []

    report = framework_import(
        path=path,
        format="moodle",
        options={"batch_size": 10},
        progress=lambda fraction, stage: seen.append((round(fraction * 100), stage)),
    )

    assert report.ok, report.error
    writing = [fraction for fraction, stage in seen if stage == "writing abilities"]
    assert writing == [41, 48, 54, 60]


@pytest.mark.django_db
def test_an_import_past_its_soft_time_limit_fails_with_the_reason(monkeypatch):
    def slow(self):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(MoodleImporter, "write", slow)

    report = framework_import(path=MOODLE, format="moodle")

    assert not report.ok
    assert "IMPORT_SOFT_TIME_LIMIT" in report.error["message"]
    assert import_job_run.soft_time_limit > 0
    assert import_job_run.time_limit > import_job_run.soft_time_limit


@pytest.mark.django_db
def test_the_task_retries_when_the_lease_may_have_expired(monkeypatch):
    """A task redelivered while the dead worker's lease still runs does not give up: it comes
    back once the lease may have expired, and then takes the job over."""
    job = _job(
        status=ImportStatus.RUNNING,
        attempts=1,
        lease_expires_at=timezone.now() + timedelta(seconds=20),
    )
    retries = []

    class Retry(Exception):
        pass

    def retry(**kwargs):
        retries.append(kwargs)
        return Retry()

    monkeypatch.setattr(import_job_run, "retry", retry)

    with pytest.raises(Retry):
        import_job_run.run(job.pk)

    (call,) = retries
    assert 19 < call["countdown"] <= 21


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_is_quiet_while_the_import_holds_sqlites_write_lock(caplog):
    """Observed (the embedded default, SQLite): a long import logged "Could not renew the lease"
    with a traceback about every 40 s. SQLite has one writer, the import's own transaction, so a
    renewal cannot land while it writes, and no other worker can take the job over meanwhile:
    nothing to warn about. Any other database error still warns."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's single write lock")
    job = _job(status=ImportStatus.RUNNING, attempts=1, lease_expires_at=timezone.now())
    results = []
    with transaction.atomic():
        Framework.objects.create(name="Held by the import's transaction")
        beat = threading.Thread(
            target=lambda: results.append(services.import_job_heartbeat(job_id=job.pk, attempt=1))
        )
        beat.start()
        beat.join(timeout=60)
    assert results == [False]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
