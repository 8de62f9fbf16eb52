"""Relations of an ability to itself, which a CASE package's association from an item to
itself brought in (the API and the Moodle import refused them), are deleted before 0049 makes
the database refuse them. Each is recorded in the history as deleted, so the packages of the
frameworks listing them date the change (a package's lastChangeDateTime reads deletions from
the history), and the number deleted is printed. The reverse restores nothing: the history
keeps each relation as it was."""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

REASON = "migration: a relation of an ability to itself"


def delete_relations_to_themselves(apps, schema_editor):
    AbilityRelation = apps.get_model("positions", "AbilityRelation")
    HistoricalAbilityRelation = apps.get_model("positions", "HistoricalAbilityRelation")
    found = list(AbilityRelation.objects.filter(source__isnull=False, source=F("target")))
    if not found:
        return
    now = timezone.now()
    fields = [
        f.attname
        for f in AbilityRelation._meta.concrete_fields
        if f.attname in {h.attname for h in HistoricalAbilityRelation._meta.concrete_fields}
    ]
    HistoricalAbilityRelation.objects.bulk_create(
        [
            HistoricalAbilityRelation(
                **{name: getattr(relation, name) for name in fields},
                history_date=now,
                history_type="-",
                history_change_reason=REASON,
            )
            for relation in found
        ]
    )
    AbilityRelation.objects.filter(pk__in=[relation.pk for relation in found]).delete()
    print(
        f"\n  Deleted {len(found)} relation(s) of an ability to itself: "
        + ", ".join(str(relation.identifier) for relation in found[:20])
    )


class Migration(migrations.Migration):
    dependencies = [("positions", "0047_framework_ability_language_names_as_tags")]

    operations = [migrations.RunPython(delete_relations_to_themselves, migrations.RunPython.noop)]
