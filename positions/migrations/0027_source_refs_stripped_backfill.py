"""Source references stored before 0026 made the field a core.models.SourceRefField, stripped of
surrounding whitespace, so the paper's rules (core.models.PaperRule) match them alike on every
backend. The history's rows keep what was written then."""

from django.db import migrations

from core.models import strip_stored_source_refs


def strip_source_refs(apps, schema_editor):
    strip_stored_source_refs(apps, "positions")


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0026_source_ref_stripped"),
    ]

    operations = [
        migrations.RunPython(strip_source_refs, migrations.RunPython.noop),
    ]
