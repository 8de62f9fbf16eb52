"""Partial indexes on the deletions recorded in the history of courses and course-ability links:
the course catalogue's last change includes its latest deletion (curricula.case.selectors).
Raw SQL for the reason given in positions 0017."""

from django.db import migrations

INDEXES = (
    ("curricula_hist_course_deleted", "curricula_historicalcourse"),
    ("curricula_hist_courseability_deleted", "curricula_historicalcourseability"),
)


class Migration(migrations.Migration):
    dependencies = [("curricula", "0018_suggestion_proposed_importance")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX {name} ON {table} (history_date) WHERE history_type = '-'",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table in INDEXES
    ]
