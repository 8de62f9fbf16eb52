"""Create again, where they are missing, the partial indexes of 0019 on the deletions in the history
of courses and course-ability links, for the reason given in positions 0045 (SQLite's table
rebuilds had dropped them; 0019's reverse now reads DROP INDEX IF EXISTS)."""

from django.db import migrations

INDEXES = (
    ("curricula_hist_course_deleted", "curricula_historicalcourse"),
    ("curricula_hist_courseability_deleted", "curricula_historicalcourseability"),
)


class Migration(migrations.Migration):
    dependencies = [("curricula", "0051_paper_table_i_only_descriptions")]

    # Backwards nothing is dropped: the indexes are 0019's, which drops them.
    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} (history_date) "
            "WHERE history_type = '-'",
            reverse_sql=migrations.RunSQL.noop,
        )
        for name, table in INDEXES
    ]
