"""Fill the new coverage summaries from the stored reports (all but their per-requirement part)."""

from django.db import migrations


def backfill(apps, schema_editor):
    ProgrammeCoverage = apps.get_model("curricula", "ProgrammeCoverage")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"UPDATE {ProgrammeCoverage._meta.db_table} SET summary = report - 'positions'"
        )
        return
    rows = list(ProgrammeCoverage.objects.only("id", "report"))
    for row in rows:
        row.summary = {k: v for k, v in (row.report or {}).items() if k != "positions"}
    ProgrammeCoverage.objects.bulk_update(rows, ["summary"], batch_size=200)


def forget(apps, schema_editor):
    ProgrammeCoverage = apps.get_model("curricula", "ProgrammeCoverage")
    ProgrammeCoverage.objects.update(summary={})


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", '0009_coverage_summary'),
    ]

    operations = [migrations.RunPython(backfill, forget)]
