"""The default scale's levels take the Chinese names the message catalogue has always shown for
them (Level.name_zh), so the pages read the same and staff can change them like any level's.
Only a level still bearing its default code and name, with no Chinese name yet, is named: a
level staff renamed keeps its own. Its change stamp moves, so a client syncing the levels
(`updated_since`) fetches the new name."""

from django.db import migrations
from django.utils import timezone

# As the catalogue translates them; written out here so the migration replays the same for ever.
CHINESE_NAMES = [
    ("I", "Introduced", "初步接触"),
    ("R", "Reinforced", "巩固提高"),
    ("M", "Mastered", "熟练掌握"),
]


def name_in_chinese(apps, schema_editor):
    Level = apps.get_model("positions", "Level")
    for code, name, name_zh in CHINESE_NAMES:
        Level.objects.filter(code=code, name=name, name_zh="").update(
            name_zh=name_zh, updated_at=timezone.now()
        )


def unname_in_chinese(apps, schema_editor):
    Level = apps.get_model("positions", "Level")
    for code, name, name_zh in CHINESE_NAMES:
        Level.objects.filter(code=code, name=name, name_zh=name_zh).update(
            name_zh="", updated_at=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [("positions", "0050_level_name_zh")]

    operations = [migrations.RunPython(name_in_chinese, unname_in_chinese)]
