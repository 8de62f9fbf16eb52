"""Celery tasks of the positions app. A task takes ids, re-reads, and calls one service."""

from celery import shared_task

from positions.services import import_job_execute, import_uploads_purge


@shared_task(name="positions.import_job_run", acks_late=True)
def import_job_run(job_id: int) -> str:
    """Run one ImportJob; the job row carries the outcome and report."""
    job = import_job_execute(job_id=job_id)
    return job.status


@shared_task(name="positions.purge_import_uploads")
def purge_import_uploads() -> int:
    """Delete uploaded import files past IMPORT_UPLOAD_RETENTION_DAYS (run daily by beat)."""
    return import_uploads_purge()
