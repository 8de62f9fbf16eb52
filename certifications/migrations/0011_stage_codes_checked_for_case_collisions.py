"""Before training stage codes become unique regardless of case (0012): stop, naming them,
when two stored codes differ only in case (refuse_caseless_code_collisions)."""

from django.db import migrations

from core.models import refuse_caseless_code_collisions


def check_codes(apps, schema_editor):
    refuse_caseless_code_collisions(apps.get_model("certifications", "TrainingStage"))


class Migration(migrations.Migration):
    dependencies = [
        ("certifications", "0010_stage_codes_without_invisible_characters"),
    ]

    operations = [
        migrations.RunPython(check_codes, migrations.RunPython.noop),
    ]
