"""Import jobs left pending that no worker will ever start.

A job is stored pending and its message queued after commit. Stored by an older release while
the broker was down (whose client was answered a 500, so believes nothing was kept), or with its
message lost (Redis restarted without persistence), it stayed pending for ever: the beat sweep
looked only at running jobs whose lease had expired. It now fails a job pending longer than
IMPORT_JOB_PENDING_SECONDS with the reason, in the job's language; it does not run it, since its
client may have started the import again meanwhile. A late message for it then does nothing.
"""

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation

from positions import services
from positions.models import Framework, ImportJob, ImportStatus
from positions.tasks import import_job_run, sweep_stuck_imports

MOODLE = Path(__file__).parent / "fixtures" / "moodle" / "current.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_hours(settings):
    settings.IMPORT_JOB_PENDING_SECONDS = 2 * 3600


def _pending(*, age: timedelta, **fields) -> ImportJob:
    job = ImportJob.objects.create(format="moodle", path=str(MOODLE), source_name="c.csv", **fields)
    # created_at is set on insert (auto_now_add): move it back as time would have.
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - age)
    job.refresh_from_db()
    return job


def test_the_sweep_fails_a_job_pending_too_long_with_the_reason(caplog):
    job = _pending(age=timedelta(hours=3))

    with caplog.at_level(logging.WARNING):
        result = sweep_stuck_imports.apply().get()

    assert result == {"enqueued": [], "failed": [job.pk]}
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.finished_at is not None
    message = job.report["error"]["message"]
    assert "no worker started this import within 2\xa0hours of its upload" in message
    assert "start the import again" in message
    assert job.report["ok"] is False
    assert not Framework.objects.exists()
    assert any(
        record.name == "positions.services" and f"Import job {job.pk}" in record.getMessage()
        for record in caplog.records
    )


def test_the_reason_is_in_the_language_the_job_was_asked_for_in():
    job = _pending(age=timedelta(hours=3), language="zh-hans")

    with translation.override("en"):
        services.import_jobs_sweep()

    job.refresh_from_db()
    assert job.report["error"]["message"].startswith("上传后 2\xa0小时内没有工作进程")
    assert "未导入任何内容" in job.report["error"]["message"]


def test_a_job_pending_for_less_is_left_to_its_message():
    job = _pending(age=timedelta(hours=1))

    assert services.import_jobs_sweep() == {"enqueued": [], "failed": []}

    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING
    assert not Framework.objects.exists()


def test_a_job_a_worker_took_is_never_failed_as_pending():
    job = _pending(
        age=timedelta(hours=3),
        status=ImportStatus.RUNNING,
        attempts=1,
        lease_expires_at=timezone.now() + timedelta(minutes=1),
    )

    assert services.import_jobs_sweep() == {"enqueued": [], "failed": []}

    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING


def test_a_late_message_for_a_job_failed_as_pending_imports_nothing():
    job = _pending(age=timedelta(hours=3))
    services.import_jobs_sweep()

    assert import_job_run.apply(args=[job.pk]).get() == ImportStatus.FAILED

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.attempts == 0
    assert not Framework.objects.exists()
