"""Codes as core.models.normalized_code gives them from here on: without the invisible format
characters (a zero-width space, a byte order mark) a copy brought around them. A code that would
become another row's is left as it is and named (normalise_stored_codes)."""

from django.db import migrations

from core.models import normalise_stored_codes


def normalise_codes(apps, schema_editor):
    normalise_stored_codes(apps.get_model("curricula", "Course"))
    normalise_stored_codes(apps.get_model("curricula", "Module"))


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0032_coverage_report_json_text"),
    ]

    operations = [
        migrations.RunPython(normalise_codes, migrations.RunPython.noop),
    ]
