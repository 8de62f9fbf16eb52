"""Course codes as core.models.CodeField stores them from 0021 on: NFKC, no surrounding
whitespace. A stored code that would become another course's code (CS101 beside a full-width
ＣＳ１０１) is left as it is and named on the console: the two are one course to merge by hand,
not a reason for the migration to fail or to pick one. Such a row can still be read and deleted;
saving it again is refused as a duplicate code until its code is changed."""

from django.db import migrations

from core.models import normalise_stored_codes


def normalise_codes(apps, schema_editor):
    normalise_stored_codes(apps.get_model("curricula", "Course"))


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0019_history_deletion_indexes"),
    ]

    operations = [
        migrations.RunPython(normalise_codes, migrations.RunPython.noop),
    ]
