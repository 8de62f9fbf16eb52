"""The partial indexes on the deletions in the history (positions 0017, curricula 0019) exist once
migrated, on SQLite as on PostgreSQL. Observed: on SQLite a later migration adding a field to a
history table rebuilt it with only the indexes Django knows of, so no SQLite database had them, and
migrating back past them failed on DROP INDEX (`no such index`). Positions 0045 and curricula 0052
create them again; 0017's and 0019's reverse drop them only if they exist."""

import pytest
from django.db import connection

INDEXES = {
    "positions_historicalability": "positions_hist_ability_deleted",
    "positions_historicalabilityrelation": "positions_hist_relation_deleted",
    "positions_historicalframework": "positions_hist_framework_deleted",
    "curricula_historicalcourse": "curricula_hist_course_deleted",
    "curricula_historicalcourseability": "curricula_hist_courseability_deleted",
}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("table", "index"), INDEXES.items())
def test_the_history_deletion_index_exists_after_migrating(table, index):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    assert index in constraints
    assert constraints[index]["index"]
