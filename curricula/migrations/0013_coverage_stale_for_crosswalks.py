"""Reports computed before crosswalks counted may now be wrong wherever a required ability has an
exact match: mark every fresh report stale, so the sweep (or `recompute_coverage --stale`)
recomputes them. Reports whose inputs have no crosswalk keep their fingerprint and are skipped
as unchanged, so this costs one pass over the inputs."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def mark_stale(apps, schema_editor):
    ProgrammeCoverage = apps.get_model("curricula", "ProgrammeCoverage")
    ProgrammeCoverage.objects.filter(Q(state="fresh")).update(
        state="stale", stale_since=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("curricula", "0012_course_ability_count_triggers")]

    operations = [migrations.RunPython(mark_stale, migrations.RunPython.noop)]
