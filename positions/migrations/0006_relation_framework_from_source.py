"""Every relation existing so far was listed by its source's framework: say so."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def framework_from_source(apps, schema_editor):
    AbilityRelation = apps.get_model("positions", "AbilityRelation")
    Ability = apps.get_model("positions", "Ability")
    AbilityRelation.objects.filter(framework__isnull=True).update(
        framework_id=Subquery(
            Ability.objects.filter(pk=OuterRef("source_id")).values("framework_id")[:1]
        )
    )


def nothing_to_undo(apps, schema_editor):
    # The column is dropped by reversing the schema migration before this one.
    pass


class Migration(migrations.Migration):
    dependencies = [("positions", "0005_relation_external_nodes")]

    operations = [migrations.RunPython(framework_from_source, nothing_to_undo)]
