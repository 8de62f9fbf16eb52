"""Date the claims of reports computing when `claimed_at` was added: their recompute may still
run, so the stale sweep gives them STUCK_AFTER from now instead of taking them back at once."""

from django.db import migrations
from django.utils import timezone


def date_claims(apps, schema_editor):
    ProgrammeCoverage = apps.get_model("curricula", "ProgrammeCoverage")
    ProgrammeCoverage.objects.filter(state="computing", claimed_at__isnull=True).update(
        claimed_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0045_coverage_claimed_at"),
    ]

    operations = [migrations.RunPython(date_claims, migrations.RunPython.noop)]
