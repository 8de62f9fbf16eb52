"""Codes as core.models.normalized_code gives them from here on: without the invisible format
characters (a zero-width space, a byte order mark) a copy brought around them. A code that would
become another row's is left as it is and named (normalise_stored_codes)."""

from django.db import migrations

from core.models import normalise_stored_codes


def normalise_codes(apps, schema_editor):
    normalise_stored_codes(apps.get_model("certifications", "TrainingStage"))


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0009_source_ref_help_for_any_source"),
    ]

    operations = [
        migrations.RunPython(normalise_codes, migrations.RunPython.noop),
    ]
