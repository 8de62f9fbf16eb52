"""Suggestions stored before 0047 gave them an update time got the migration's time: each gets
its latest known change instead, its decision, its skip or its creation, so a sync's first read
lists the queue in the order it was worked through rather than all at one instant."""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest


def backfill_suggestion_updated_at(apps, schema_editor):
    Suggestion = apps.get_model("curricula", "Suggestion")
    # Greatest is NULL on SQLite when any argument is: a missing time stands in as created_at.
    created = F("created_at")
    Suggestion.objects.update(
        updated_at=Greatest(
            created, Coalesce("decided_at", created), Coalesce("skipped_at", created)
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0047_suggestion_updated_at_and_deletions"),
    ]

    operations = [
        migrations.RunPython(backfill_suggestion_updated_at, migrations.RunPython.noop),
    ]
