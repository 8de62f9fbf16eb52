"""GIN indexes for the site search's PostgreSQL full-text search (curricula.selectors.search,
core.search) on the large tables: abilities, courses, programmes. Each indexes exactly the
expression Django writes for `SearchVector(*fields, config="english")`, so the planner uses it;
a test checks that it does. Other databases have no full-text search: nothing to do there."""

from django.db import migrations

TABLES = {
    "positions_ability_words": (
        "positions_ability",
        ("text", "code", "short_name", "alt_labels", "description"),
    ),
    "curricula_course_words": ("curricula_course", ("title", "code", "description", "outcomes")),
    "curricula_programme_words": ("curricula_programme", ("name", "description")),
}


def _expression(fields: tuple[str, ...]) -> str:
    joined = " || ' ' || ".join(f"COALESCE(\"{field}\", '')" for field in fields)
    return f"to_tsvector('english'::regconfig, {joined})"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, fields) in TABLES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({_expression(fields)})'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TABLES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0013_coverage_stale_for_crosswalks"),
        ("positions", "0012_import_format_links"),
    ]

    operations = [migrations.RunPython(create, drop)]
