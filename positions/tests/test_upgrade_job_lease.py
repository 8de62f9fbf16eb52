"""An import job still running from a release before leases (positions 0011) has no lease.
Observed upgrading a site of 2026-11-28 with a job running when its worker stopped: the beat sweep
takes over only jobs whose lease expired, so the job stayed "running" for good (never taken over,
never failed, shown as running, not stuck, in the admin and the API). Migration positions 0044 gives
it a lease from the upgrade; past it the sweep takes it over as any other. Migrated from the state
before it with the job, as an upgrade runs it."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from conftest import migrated_to
from positions.models import ImportJob, ImportStatus
from positions.tasks import sweep_stuck_imports

MOODLE = Path(__file__).parent / "fixtures" / "moodle" / "current.csv"
BEFORE = [("positions", "0043_import_job_format_relations")]
AFTER = [("positions", "0044_lease_jobs_running_before_leases")]

pytestmark = pytest.mark.django_db(transaction=True)


def _job(apps, **fields):
    job = apps.get_model("positions", "ImportJob")
    return job.objects.create(
        format="moodle", path=str(MOODLE), source_name="current.csv", **fields
    ).pk


def test_a_job_running_without_a_lease_gets_one_and_the_sweep_takes_it_over(
    older_release, settings
):
    settings.IMPORT_JOB_LEASE_SECONDS = 600
    running = _job(older_release, status="running", progress=40, started_at=timezone.now())
    pending = _job(older_release, status="pending")
    leased = timezone.now() + timedelta(seconds=30)
    held = _job(older_release, status="running", lease_expires_at=leased, attempts=1)

    migrated_to(AFTER)

    job = ImportJob.objects.get(pk=running)
    assert timezone.now() < job.lease_expires_at <= timezone.now() + timedelta(seconds=600)
    assert not job.is_stuck
    assert ImportJob.objects.get(pk=pending).lease_expires_at is None
    assert ImportJob.objects.get(pk=held).lease_expires_at == leased

    # Its lease runs out as a stopped worker's does: the sweep takes it over and runs it.
    ImportJob.objects.filter(pk=running).update(lease_expires_at=timezone.now() - timedelta(1))
    assert ImportJob.objects.get(pk=running).is_stuck

    assert sweep_stuck_imports.apply().get()["enqueued"] == [running]
    job = ImportJob.objects.get(pk=running)
    assert job.status == ImportStatus.SUCCEEDED
    assert job.attempts == 1
