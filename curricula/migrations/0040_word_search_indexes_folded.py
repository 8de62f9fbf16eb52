"""The site search's GIN indexes (migrations 0014, 0038) again, over the fields folded
(core.search.Folded: lowercase, accents away, full width as ASCII; "resume" finds "Résumé") and
with the records' Chinese names after them (an English word written against Chinese, "SQL数据库",
is a word of the record), a dot between letters of a dotted word without a digit read as a space
(PostgreSQL's parser read Node.js as one host name). Built-in immutable functions only
(normalize, lower, translate, replace, regexp_replace): no extension, no right beyond the ones a
migration needs. Each indexes exactly the expression Django writes for the search's vector
(core.search._words_there), so the planner uses it; a test checks that it does. Other
databases have no full-text search: nothing to do there."""

from django.db import migrations

# Before: the fields of migration 0038. After: the same, then the Chinese names.
BEFORE = {
    "positions_ability_words": (
        "positions_ability",
        ("text", "code", "short_name", "alt_labels", "description"),
    ),
    "curricula_course_words": ("curricula_course", ("title", "code", "description", "outcomes")),
    "curricula_programme_words": ("curricula_programme", ("name", "description")),
}
AFTER = {
    "positions_ability_words": (
        "positions_ability",
        ("text", "code", "short_name", "alt_labels", "description", "text_zh"),
    ),
    "curricula_course_words": (
        "curricula_course",
        ("title", "code", "description", "outcomes", "title_zh"),
    ),
    "curricula_programme_words": (
        "curricula_programme",
        ("name", "description", "name_zh", "description_zh"),
    ),
}
# core.search as this migration was written: _CJK, _MARKS_THERE, _FOLD_CHANGES, _STROKED,
# _LIGATURES, _NOT_WORDS_THERE.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
MARKS_THERE = r"[\u0300-\u036f]+"
FOLD_CHANGES = r"[^\u0001-\u007f\u4e00-\u9fff]"
STROKED = {"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ı": "i", "ƀ": "b", "ƶ": "z"}  # noqa: RUF001
LIGATURES = {"ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"}
NOT_WORDS_THERE = (
    f"[{CJK}]+"
    r"|(?<=[a-z\u00c0-\u024f])(?<![0-9][a-z\u00c0-\u024f.]*)\."
    r"(?=[a-z\u00c0-\u024f])(?![a-z\u00c0-\u024f.]*[0-9])"
)


def _folded(quote, field: str) -> str:
    """core.search.Folded over `field`, then core.search._words_there's regexp_replace."""
    column = f'"{field}"'
    changed = f"regexp_replace(LOWER(normalize({column}, NFKD)), {quote(MARKS_THERE)}, '', 'g')"
    changed = f"translate({changed}, {quote(''.join(STROKED))}, {quote(''.join(STROKED.values()))})"
    for ligature, letters in LIGATURES.items():
        changed = f"replace({changed}, {quote(ligature)}, {quote(letters)})"
    folded = (
        f"CASE WHEN ({column}) ~ {quote(FOLD_CHANGES)} THEN {changed} ELSE LOWER({column}) END"
    )
    return f"regexp_replace({folded}, {quote(NOT_WORDS_THERE)}, ' ', 'g')"


def _apart(quote, field: str) -> str:
    return f"regexp_replace(\"{field}\", {quote(f'[{CJK}]+')}, ' ', 'g')"


def _indexes(schema_editor, tables, read) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_value
    for name, (table, fields) in tables.items():
        joined = " || ' ' || ".join(f"COALESCE({read(quote, field)}, '')" for field in fields)
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        schema_editor.execute(
            f'CREATE INDEX "{name}" ON "{table}" '
            f"USING gin (to_tsvector('english'::regconfig, {joined}))"
        )


def folded(apps, schema_editor):
    _indexes(schema_editor, AFTER, _folded)


def as_before(apps, schema_editor):
    _indexes(schema_editor, BEFORE, _apart)


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0039_course_language_refuses_control_characters"),
        ("positions", "0032_codes_identifiers_and_uris_refuse_control_characters"),
    ]

    operations = [migrations.RunPython(folded, as_before)]
