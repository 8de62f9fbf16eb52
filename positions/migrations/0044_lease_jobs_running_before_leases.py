"""Give a lease to the import jobs still running from a release before leases (0011).

A job running when its worker stopped during such an upgrade kept a NULL lease: the stuck-job sweep
takes over only jobs whose lease expired, and the admin and the API (`stuck`) call a job stuck only
then, so one whose task message was lost too stayed "running" for good, never taken over nor
failed, and its upload was never purged. Its lease runs from the migration, as a lease a worker
took then: past it the sweep takes the job over as any other whose worker stopped (and fails it
with the reason past IMPORT_JOB_MAX_ATTEMPTS).
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def lease_running_jobs(apps, schema_editor):
    ImportJob = apps.get_model("positions", "ImportJob")
    lease = timedelta(seconds=int(getattr(settings, "IMPORT_JOB_LEASE_SECONDS", 60)))
    ImportJob.objects.filter(status="running", lease_expires_at__isnull=True).update(
        lease_expires_at=timezone.now() + lease
    )


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0043_import_job_format_relations"),
    ]

    # Backwards there is nothing to undo: a lease is what a running job has in this release.
    operations = [migrations.RunPython(lease_running_jobs, migrations.RunPython.noop)]
