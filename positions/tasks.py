"""Celery tasks of the positions app. A task takes ids, re-reads, and calls one service."""

from celery import shared_task
from django.conf import settings

from positions.services import (
    ImportJobBusy,
    import_job_execute,
    import_jobs_sweep,
    import_uploads_purge,
)

# An import past the soft limit stops with the reason in its report (nothing is written); the
# hard limit kills a worker stuck where the soft one cannot reach (inside a database call), and
# the job's expired lease then lets the redelivered task take it over or fail it.
IMPORT_SOFT_TIME_LIMIT = int(getattr(settings, "IMPORT_SOFT_TIME_LIMIT", 1800))
IMPORT_TIME_LIMIT = int(getattr(settings, "IMPORT_TIME_LIMIT", IMPORT_SOFT_TIME_LIMIT + 120))


@shared_task(
    name="positions.import_job_run",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
    time_limit=IMPORT_TIME_LIMIT,
    max_retries=100,
)
def import_job_run(self, job_id: int) -> str | None:
    """Run one ImportJob; the job row carries the outcome and report. A job another worker
    holds under a live lease is tried again when that lease may have expired; one deleted
    before it ran ends the task with nothing done (None)."""
    try:
        job = import_job_execute(job_id=job_id)
    except ImportJobBusy as busy:
        raise self.retry(countdown=max(1.0, busy.retry_in + 1)) from None
    return None if job is None else job.status


@shared_task(name="positions.purge_import_uploads")
def purge_import_uploads() -> int:
    """Delete uploaded import files past IMPORT_UPLOAD_RETENTION_DAYS (run daily by beat)."""
    return import_uploads_purge()


@shared_task(name="positions.sweep_stuck_imports")
def sweep_stuck_imports() -> dict[str, list[int]]:
    """Periodic (Celery beat): enqueue again the jobs whose worker died without a redelivery,
    and fail those pending past IMPORT_JOB_PENDING_SECONDS (services.import_jobs_sweep)."""
    return import_jobs_sweep()
