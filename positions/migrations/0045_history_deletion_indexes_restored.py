"""Create again, where they are missing, the partial indexes of 0017 on the deletions in the history
of frameworks, abilities and relations.

On SQLite a later change to one of those tables (a field added to the history) rebuilds the table
with the indexes Django knows of, and these raw-SQL ones are not among them: every SQLite database
migrated past 0017 had lost them, and migrating back failed on 0017's DROP INDEX (which now reads
IF EXISTS). PostgreSQL alters tables in place and keeps them: IF NOT EXISTS leaves it as it is. A
later migration rebuilding one of these tables on SQLite must create its index again too.
"""

from django.db import migrations

INDEXES = (
    ("positions_hist_ability_deleted", "positions_historicalability", "framework_id, history_date"),
    (
        "positions_hist_relation_deleted",
        "positions_historicalabilityrelation",
        "framework_id, history_date",
    ),
    ("positions_hist_framework_deleted", "positions_historicalframework", "history_date"),
)


class Migration(migrations.Migration):
    dependencies = [("positions", "0044_lease_jobs_running_before_leases")]

    # Backwards nothing is dropped: the indexes are 0017's, which drops them.
    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns}) "
            "WHERE history_type = '-'",
            reverse_sql=migrations.RunSQL.noop,
        )
        for name, table, columns in INDEXES
    ]
