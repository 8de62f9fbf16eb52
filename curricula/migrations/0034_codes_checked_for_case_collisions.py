"""Before course and module codes become unique regardless of case (0035): stop, naming them,
when two stored codes differ only in case (refuse_caseless_code_collisions)."""

from django.db import migrations

from core.models import refuse_caseless_code_collisions


def check_codes(apps, schema_editor):
    refuse_caseless_code_collisions(apps.get_model("curricula", "Course"))
    refuse_caseless_code_collisions(apps.get_model("curricula", "Module"))


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0033_codes_without_invisible_characters"),
    ]

    operations = [
        migrations.RunPython(check_codes, migrations.RunPython.noop),
    ]
