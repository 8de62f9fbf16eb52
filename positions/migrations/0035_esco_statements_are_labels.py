"""ESCO skills imported before the importer stated a skill by its preferredLabel hold the skill's
description as their statement (the label only as their short name), so the curriculum map, the
gap report, exports and CASE's fullStatement named skills by paragraphs. Restate exactly those:
abilities the ESCO importer wrote (provenance "import", framework from ESCO's skills scheme)
whose statement is their description and not their short name. A short name of 255 characters
may have been cut from a longer label: those are left to the next import of the ESCO files.

update() writes no history row, as the earlier data migrations do: this corrects how the import
transcribed the skill. The change stamp moves, so cached CASE packages (their ETags) and the
suggestions' indexes are rebuilt. The reverse puts the descriptions back on the same terms.
"""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Length
from django.utils import timezone

ESCO_SKILLS = "http://data.europa.eu/esco/concept-scheme/skills"


def _esco_abilities(apps):
    ability = apps.get_model("positions", "Ability")
    return (
        ability.objects.filter(
            provenance="import",
            framework__source="ESCO",
            framework__external_id=ESCO_SKILLS,
        )
        .exclude(short_name="")
        .exclude(description="")
        .exclude(description=F("short_name"))
        .alias(short_length=Length("short_name"))
        .filter(short_length__lt=255)
    )


def forwards(apps, schema_editor):
    _esco_abilities(apps).filter(text=F("description")).update(
        text=F("short_name"), updated_at=timezone.now()
    )


def backwards(apps, schema_editor):
    _esco_abilities(apps).filter(text=F("short_name")).update(
        text=F("description"), updated_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0034_degree_levels_isced_tertiary_in_order"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
