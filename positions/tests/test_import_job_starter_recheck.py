"""Every import job asks again, when it begins to run, whether its starter may still run it
(positions.services.import_job_execute, core.jobs.starter_refusal): a framework import too, and
one whose starter's account was deleted meanwhile (its `created by` emptied, its options still
naming it). A job no user started (the command line's) runs as before."""

from pathlib import Path

import pytest

from conftest import deactivate
from positions.models import Framework, ImportJob, ImportStatus
from positions.tasks import import_job_run

pytestmark = pytest.mark.django_db

MOODLE = Path(__file__).parent / "fixtures" / "moodle" / "current.csv"


def _job(**fields) -> ImportJob:
    return ImportJob.objects.create(
        format="moodle", path=str(MOODLE), source_name="c.csv", **fields
    )


def test_a_framework_import_whose_starter_was_deactivated_writes_nothing(staff_user):
    job = _job(created_by=staff_user)
    deactivate(staff_user)

    import_job_run.apply(args=[job.pk])

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.report["error"]["message"] == (
        "the account that started this job, staff, has been deactivated since; nothing was written"
    )
    assert not Framework.objects.exists()


def test_an_import_whose_starter_was_deleted_writes_nothing(staff_user):
    job = _job(created_by=staff_user, options={"user_id": staff_user.pk})
    staff_user.delete()

    import_job_run.apply(args=[job.pk])

    job.refresh_from_db()
    assert job.created_by is None
    assert job.status == ImportStatus.FAILED
    assert job.report["error"]["message"] == (
        "the account that started this job no longer exists; nothing was written"
    )
    assert not Framework.objects.exists()


def test_an_import_no_user_started_runs():
    job = _job()

    import_job_run.apply(args=[job.pk])

    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert Framework.objects.filter(external_id="CBE-FW").exists()


def test_a_job_a_user_started_names_them_so_a_deleted_account_is_caught(
    staff_user, django_capture_on_commit_callbacks
):
    """A job from the API's imports/ door or the admin's import job form had no `user_id` in
    its options (import_job_create, which every door's job goes through, stores it now): once
    the account was deleted (`created by` emptied), the job ran as one no user started."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from positions import services

    upload = SimpleUploadedFile("c.csv", MOODLE.read_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=False):
        job = services.import_job_create(
            format="moodle", upload=upload, options={}, created_by=staff_user
        )
    assert job.options["user_id"] == staff_user.pk
    staff_user.delete()

    import_job_run.apply(args=[job.pk])

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert not Framework.objects.exists()
