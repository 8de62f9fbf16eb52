"""The site search's vectors of migration 0040 stored, each in a generated column
`search_vector` of its table, and indexed there (the GIN indexes keep their names): the search
filtered on the expression's index but ranked by computing the expression again for every row
it found (folding, regexp_replace and to_tsvector of every field), and "résumé", which 14,000
of 50,000 courses have, took 0.5-0.8 s where the stored vectors rank them in 0.02 s. The
column is the very expression 0040 indexed (core.search._words_there over the fields, then the
Chinese names), computed by PostgreSQL on each write; core.search reads it where a model's
SEARCH_VECTOR_FIELDS are the fields searched, the expression otherwise.

A column a generated column reads cannot change type (PostgreSQL refuses the ALTER): a later
migration changing one of these fields' max_length drops the column first and adds it again
(`drop_vectors`, `add_vectors`). Other databases have no full-text search: nothing to do
there."""

import importlib

from django.db import migrations

indexed = importlib.import_module("curricula.migrations.0040_word_search_indexes_folded")
# Index name: (table, fields), as migration 0040 indexed them.
VECTORS = indexed.AFTER


def add_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_value
    for name, (table, fields) in VECTORS.items():
        joined = " || ' ' || ".join(
            f"COALESCE({indexed._folded(quote, field)}, '')" for field in fields
        )
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN "search_vector" tsvector '
            f"GENERATED ALWAYS AS (to_tsvector('english'::regconfig, {joined})) STORED"
        )
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" USING gin ("search_vector")')
        # The planner's statistics of the new column (it guessed 1,245 rows of 14,000 found).
        schema_editor.execute(f'ANALYZE "{table}"')


def drop_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _name, (table, _fields) in VECTORS.items():
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_vector"')
    indexed.folded(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("curricula", "0040_word_search_indexes_folded"),
    ]

    operations = [migrations.RunPython(add_vectors, drop_vectors)]
