"""Observed (an administrator deleting an import job from the admin while its worker ran it): the
worker's last write, the job's outcome and report, found no row, and the task failed with a
DatabaseError ("Save with update_fields did not affect any rows"); a job deleted before its
worker took it failed its task with ImportJob.DoesNotExist. A job deleted meanwhile now ends its
task cleanly: nothing of the job is written again (its record is not brought back, no error is
raised), the import it ran stays written, and it is logged."""

import logging
from pathlib import Path

import pytest

from positions import services
from positions.models import Framework, ImportJob
from positions.tasks import import_job_run

MOODLE = Path(__file__).parent / "fixtures" / "moodle" / "current.csv"


def _job() -> ImportJob:
    return ImportJob.objects.create(format="moodle", path=str(MOODLE), source_name="c.csv")


@pytest.mark.django_db
def test_a_job_deleted_while_its_import_runs_ends_its_task_cleanly(monkeypatch, caplog):
    job = _job()
    imported = services.framework_import

    def deleted_meanwhile(**kwargs):
        report = imported(**kwargs)
        ImportJob.objects.filter(pk=job.pk).delete()
        return report

    monkeypatch.setattr(services, "framework_import", deleted_meanwhile)
    with caplog.at_level(logging.WARNING, logger="positions.services"):
        result = import_job_run.apply(args=[job.pk])

    assert result.successful(), result.traceback
    assert not ImportJob.objects.exists()
    assert Framework.objects.filter(external_id="CBE-FW").exists()
    assert f"Import job {job.pk} was deleted" in caplog.text


@pytest.mark.django_db
def test_a_job_deleted_while_its_import_runs_is_not_written_again_by_a_direct_run():
    job = _job()
    deleted = []

    def progress(fraction: float, stage: str) -> None:
        if not deleted:
            deleted.append(ImportJob.objects.filter(pk=job.pk).delete())

    ran = services.import_job_execute(job_id=job.pk, progress=progress)

    assert not ImportJob.objects.exists()
    # The command line still has the import's report to print.
    assert ran is not None
    assert ran.import_report.ok


@pytest.mark.django_db
def test_a_job_deleted_before_its_worker_took_it_ends_its_task_cleanly(caplog):
    job = _job()
    ImportJob.objects.filter(pk=job.pk).delete()

    with caplog.at_level(logging.WARNING, logger="positions.services"):
        result = import_job_run.apply(args=[job.pk])

    assert result.successful(), result.traceback
    assert result.get() is None
    assert not ImportJob.objects.exists()
    assert not Framework.objects.exists()
    assert f"Import job {job.pk} was deleted" in caplog.text
