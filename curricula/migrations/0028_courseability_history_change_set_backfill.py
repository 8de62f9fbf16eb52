"""Fill the change set columns of the link history (0027) from the change reasons of the records
that map change sets wrote before: "map change set <token>", and for an undo "map change set
<token> undoes <token>" (curricula.services.MAP_CHANGE_REASON). One UPDATE per batch of history
ids, the tokens cut out of the reasons by the database; each batch commits alone, so
a large history is never locked as a whole, and a batch already filled is skipped when run again.
"""

from django.db import migrations, models
from django.db.models.functions import Cast, Length, Substr

BATCH = 50_000
TOKEN = "[0-9a-f]{32}"
A_SET = rf"^map change set {TOKEN}( undoes {TOKEN})?$"
AN_UNDO_LENGTH = len("map change set ") + 32 + len(" undoes ") + 32


def _token_at(start: int) -> Cast:
    """The token of a reason from its character `start` (counted from 1), as a UUID."""
    return Cast(Substr("history_change_reason", start, 32), output_field=models.UUIDField())


def fill_change_sets(apps, schema_editor):
    historical = apps.get_model("curricula", "HistoricalCourseAbility")
    records = historical.objects.using(schema_editor.connection.alias)
    last = records.aggregate(last=models.Max("history_id"))["last"] or 0
    for start in range(0, last, BATCH):
        records.alias(reason_length=Length("history_change_reason")).filter(
            history_id__gt=start,
            history_id__lte=start + BATCH,
            history_change_set__isnull=True,
            history_change_reason__regex=A_SET,
        ).update(
            # After "map change set " (15 characters), and after "<token> undoes " (40 more).
            history_change_set=_token_at(16),
            history_undoes=models.Case(
                models.When(reason_length=AN_UNDO_LENGTH, then=_token_at(56)),
                default=None,
            ),
        )
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        # The planner's figures for the new columns were taken while they were empty.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(historical._meta.db_table)}")


class Migration(migrations.Migration):
    # Each batch commits on its own (see above).
    atomic = False

    dependencies = [
        ("curricula", "0027_courseability_history_change_set"),
    ]

    operations = [
        # Backwards there is nothing to undo: 0027's reverse drops the columns.
        migrations.RunPython(fill_change_sets, migrations.RunPython.noop, elidable=True),
    ]
