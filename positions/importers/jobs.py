"""Import jobs: an upload (admin, API) or a server path becomes an ImportJob, run by a Celery task.

Progress: while the import's transaction is open, its writes to the job row are invisible to other
connections, so progress also goes to the cache (shared across processes when CACHE_URL points at
Redis); `import_job_progress` reads the cache first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from positions.importers import framework_import
from positions.models import ImportJob, ImportStatus


def import_max_upload_mb() -> int:
    return int(getattr(settings, "IMPORT_MAX_UPLOAD_MB", 200))


def import_max_upload_bytes() -> int:
    return import_max_upload_mb() * 1024 * 1024


def _progress_key(job_id: int) -> str:
    return f"positions:import-job:{job_id}:progress"


@transaction.atomic
def import_job_create(
    *,
    format: str,
    upload: UploadedFile | None = None,
    path: str = "",
    options: dict[str, Any] | None = None,
    created_by=None,
) -> ImportJob:
    """Store the upload (or remember the server path) as a pending ImportJob and enqueue
    `positions.tasks.import_job_run` once the transaction commits."""
    if upload is None and not path:
        raise ValidationError({"upload": _("Give a file to import.")})
    if upload is not None and upload.size > import_max_upload_bytes():
        raise ValidationError(
            {"upload": _("The file is larger than %(mb)s MB.") % {"mb": import_max_upload_mb()}}
        )
    job = ImportJob(
        format=format,
        path=path,
        source_name=(upload.name if upload is not None else Path(path).name)[:255],
        options=options or {},
        created_by=created_by,
    )
    if upload is not None:
        job.upload.save(Path(upload.name).name, upload, save=False)
    job.full_clean()
    job.save()

    from positions.tasks import import_job_run

    transaction.on_commit(lambda: import_job_run.delay(job.pk))
    return job


def import_job_execute(*, job_id: int) -> ImportJob:
    """Run a pending job: mark it running, import, and store status, progress and the report."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in (ImportStatus.PENDING, ImportStatus.FAILED):
        return job
    job.status, job.started_at, job.progress = ImportStatus.RUNNING, timezone.now(), 0
    job.save(update_fields=["status", "started_at", "progress", "updated_at"])

    def progress(fraction: float, stage: str) -> None:
        percent = int(fraction * 100)
        cache.set(_progress_key(job.pk), {"progress": percent, "stage": stage}, 24 * 3600)
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=job.pk).update(progress=percent)

    location = job.upload.path if job.upload else job.path
    report = framework_import(
        path=location,
        format=job.format,
        options=job.options,
        source_name=job.source_name,
        progress=progress,
    )
    job.status = ImportStatus.SUCCEEDED if report.ok else ImportStatus.FAILED
    job.progress = 100
    job.report = report.as_dict()
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "progress", "report", "finished_at", "updated_at"])
    cache.delete(_progress_key(job.pk))
    return job


def import_job_progress(job: ImportJob) -> dict[str, Any]:
    """Progress of a job: live from the cache while it runs, else from the row."""
    live = cache.get(_progress_key(job.pk)) if job.status == ImportStatus.RUNNING else None
    if live:
        return live
    return {"progress": job.progress, "stage": job.status}
