"""The curriculum-mapping convention's default depth scale: Introduced < Reinforced < Mastered."""

from django.db import migrations

DEFAULT_LEVELS = [
    ("I", "Introduced", 1, "The course introduces the ability: first exposure, basic terms and ideas."),
    ("R", "Reinforced", 2, "The course reinforces the ability: practice with feedback, growing independence."),
    ("M", "Mastered", 3, "The course brings the ability to mastery: independent use, assessed as such."),
]


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
