"""Keep coverage reports as PostgreSQL `json` rather than `jsonb` (core.models.TextJSONField).

A full recompute that writes all 300 reports of the esco catalogue (~6 MB of JSON) spent most of
the UPDATE's database time parsing them into jsonb; stored as `json` the text is only checked
(measured on PostgreSQL 15: ~0.17 s of backend CPU down to ~0.07 s). Reports are only written and
read whole, never queried by key. Changing the column's type rewrites every report and resets the
column's TOAST compression to the server's default: lz4 (migration 0002) is the session's default
for that rewrite and set on the column again after it, both ways. Other databases keep the column
as it was.
"""

from django.db import migrations

import core.models

TABLE = "curricula_programmecoverage"


def use_lz4(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' "
            "AND 'lz4' = ANY(enumvals)"
        )
        if cursor.fetchone() is None:
            return
        cursor.execute("SET LOCAL default_toast_compression = lz4")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN report SET COMPRESSION lz4")


class Migration(migrations.Migration):
    dependencies = [("curricula", "0031_source_ref_help_for_any_source")]

    operations = [
        # Before and after the type change, whichever way it runs.
        migrations.RunPython(use_lz4, use_lz4),
        migrations.AlterField(
            model_name="programmecoverage",
            name="report",
            field=core.models.TextJSONField(blank=True, default=dict, verbose_name="report"),
        ),
        migrations.RunPython(use_lz4, use_lz4),
    ]
