"""Clears the importance and level scores outside O*NET's scales (IM 1-5, LV 0-7) that the API
or the admin took before the scales were checked, so that 0045's checks can be added: such a
number cannot be an O*NET rating, and no import writes one (the O*NET import refuses them)."""

from django.db import migrations
from django.db.models import Q


def clear_scores_off_scale(apps, schema_editor):
    Requirement = apps.get_model("positions", "Requirement")
    Requirement.objects.filter(Q(importance_score__lt=1) | Q(importance_score__gt=5)).update(
        importance_score=None
    )
    Requirement.objects.filter(Q(level_score__lt=0) | Q(level_score__gt=7)).update(
        level_score=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0043_import_job_format_relations"),
    ]

    operations = [
        # Nothing to restore: the scores cleared were no ratings on the scales.
        migrations.RunPython(clear_scores_off_scale, migrations.RunPython.noop),
    ]
