"""One import job run by two workers (its first worker stalled past its lease, a Celery
redelivery or the sweep handing it to a second): observed, both wrote the file, one after the
other (imports write one at a time), and each stored its own outcome on the job, the later
overwriting the earlier: the job read succeeded with "lease expires" empty while the second
still ran, and its final report counted nothing created (the first run had created it all),
the changes the import made lost. The job's outcome is now written in the import's own
transaction, only by the worker still holding the job (its attempt): a worker whose job was
taken over rolls its writes back and leaves the job alone."""

import contextlib
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from conftest import skip_or_fail
from positions import services
from positions.importers import framework_import
from positions.importers.moodle import MoodleImporter
from positions.models import Ability, Framework, ImportJob, ImportStatus

MOODLE = Path(__file__).parent / "fixtures" / "moodle" / "current.csv"


def _job() -> ImportJob:
    return ImportJob.objects.create(format="moodle", path=str(MOODLE), source_name="c.csv")


def _taken_over(job_id: int) -> None:
    """What a second worker's claim commits once the first's lease has expired."""
    ImportJob.objects.filter(pk=job_id).update(
        attempts=2, lease_expires_at=timezone.now() + timedelta(minutes=1)
    )


@pytest.mark.django_db
def test_a_worker_whose_job_was_taken_over_writes_nothing_and_leaves_the_job(monkeypatch):
    job = _job()
    real_import = framework_import

    def taken_over_meanwhile(**kwargs):
        # The first worker's claim is made; another worker takes the job before it writes.
        _taken_over(job.pk)
        return real_import(**kwargs)

    monkeypatch.setattr(services, "framework_import", taken_over_meanwhile)

    returned = services.import_job_execute(job_id=job.pk)

    job.refresh_from_db()
    assert not Framework.objects.exists()
    assert job.status == ImportStatus.RUNNING
    assert job.attempts == 2
    assert job.report == {}
    assert job.lease_expires_at is not None
    assert returned.status == ImportStatus.RUNNING


@pytest.mark.django_db
def test_a_worker_whose_job_was_taken_over_does_not_move_its_progress(monkeypatch):
    job = _job()
    real_import = framework_import

    def taken_over_meanwhile(**kwargs):
        _taken_over(job.pk)
        ImportJob.objects.filter(pk=job.pk).update(progress=40)
        return real_import(**kwargs)

    monkeypatch.setattr(services, "framework_import", taken_over_meanwhile)

    services.import_job_execute(job_id=job.pk)

    job.refresh_from_db()
    assert job.progress == 40


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_one_job_write_it_once_and_keep_the_second_s_outcome(monkeypatch):
    if connection.vendor != "postgresql":
        skip_or_fail("two workers at once need PostgreSQL (DATABASE_URL=postgres://...)")
    job = _job()
    first_writing, second_claimed = threading.Event(), threading.Event()
    write = MoodleImporter.write
    calls = []

    def write_once_stalled(self):
        calls.append(self)
        if len(calls) == 1:
            # The first worker stalls in its write (a paused machine) past its lease.
            first_writing.set()
            with contextlib.suppress(Exception):
                second_claimed.wait(timeout=20)
        return write(self)

    monkeypatch.setattr(MoodleImporter, "write", write_once_stalled)
    outcomes = {}

    def worker(name: str) -> None:
        try:
            outcomes[name] = services.import_job_execute(job_id=job.pk)
        except Exception as error:  # pragma: no cover - reported by the asserts below
            outcomes[name] = error
        finally:
            connection.close()

    first = threading.Thread(target=worker, args=("first",))
    first.start()
    assert first_writing.wait(timeout=30)
    # Its lease runs out; the redelivered task takes the job over on another worker.
    ImportJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now())
    second = threading.Thread(target=worker, args=("second",))
    second.start()
    deadline = time.monotonic() + 30
    while ImportJob.objects.get(pk=job.pk).attempts < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    second_claimed.set()
    first.join(timeout=60)
    second.join(timeout=60)

    job.refresh_from_db()
    assert not isinstance(outcomes["first"], Exception), outcomes["first"]
    assert not isinstance(outcomes["second"], Exception), outcomes["second"]
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert job.attempts == 2
    # The stored report is that of the one run that wrote: it created the framework.
    assert job.report["counts"]["framework"]["created"] == 1
    assert job.report["counts"]["ability"]["created"] == Ability.objects.count() > 0
    assert Framework.objects.count() == 1
    assert Framework.history.count() == 1
