"""The site search's GIN indexes (migration 0014) again, over the fields with their Chinese runs
read as spaces (core.search._without_chinese): PostgreSQL's parser reads a Chinese character as
a letter, so "Python程序设计" held no word python. Each indexes exactly the expression Django
writes for the search's vector, so the planner uses it; a test checks that it does. Other
databases have no full-text search: nothing to do there."""

from django.db import migrations

TABLES = {
    "positions_ability_words": (
        "positions_ability",
        ("text", "code", "short_name", "alt_labels", "description"),
    ),
    "curricula_course_words": ("curricula_course", ("title", "code", "description", "outcomes")),
    "curricula_programme_words": ("curricula_programme", ("name", "description")),
}
# core.search._CJK: the Chinese characters, as a regular expression's class.
CHINESE = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"


def _expression(fields: tuple[str, ...], *, apart: bool) -> str:
    def read(field: str) -> str:
        return f"regexp_replace(\"{field}\", '{CHINESE}', ' ', 'g')" if apart else f'"{field}"'

    joined = " || ' ' || ".join(f"COALESCE({read(field)}, '')" for field in fields)
    return f"to_tsvector('english'::regconfig, {joined})"


def _indexes(schema_editor, *, apart: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, fields) in TABLES.items():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        schema_editor.execute(
            f'CREATE INDEX "{name}" ON "{table}" USING gin ({_expression(fields, apart=apart)})'
        )


def apart(apps, schema_editor):
    _indexes(schema_editor, apart=True)


def together(apps, schema_editor):
    _indexes(schema_editor, apart=False)


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0037_text_refuses_control_characters"),
        ("positions", "0031_placement_title_optional"),
    ]

    operations = [migrations.RunPython(apart, together)]
