"""Source references stored before 0007 made the field a core.models.SourceRefField, stripped of
surrounding whitespace, so the paper's rules (core.models.PaperRule) match them alike on every
backend. The history's rows keep what was written then."""

from django.db import migrations

from core.models import strip_stored_source_refs


def strip_source_refs(apps, schema_editor):
    strip_stored_source_refs(apps, "certifications")


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0007_source_ref_stripped"),
    ]

    operations = [
        migrations.RunPython(strip_source_refs, migrations.RunPython.noop),
    ]
