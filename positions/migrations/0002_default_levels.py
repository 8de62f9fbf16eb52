"""The curriculum-mapping convention's default depth scale: Introduced < Reinforced < Mastered."""

from django.db import migrations

from positions.levels import DEFAULT_LEVELS


def add_levels(apps, schema_editor):
    Level = apps.get_model("positions", "Level")
    for code, name, rank, description in DEFAULT_LEVELS:
        Level.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank, "description": description}
        )


def remove_levels(apps, schema_editor):
    Level = apps.get_model("positions", "Level")
    Level.objects.filter(code__in=[code for code, *_ in DEFAULT_LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("positions", "0001_initial")]

    operations = [migrations.RunPython(add_levels, remove_levels)]
