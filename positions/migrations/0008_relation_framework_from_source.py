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


def drop_relations_from_outside(apps, schema_editor):
    # Before 0005 a relation had to start at an ability: those from an external node cannot be
    # kept when going back (the framework column itself goes with 0005's reversal).
    AbilityRelation = apps.get_model("positions", "AbilityRelation")
    AbilityRelation.objects.filter(source__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("positions", "0007_relation_external_nodes")]

    operations = [migrations.RunPython(framework_from_source, drop_relations_from_outside)]
