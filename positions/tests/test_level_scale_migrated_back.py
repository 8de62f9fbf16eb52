"""post_migrate's default depth scale follows the state `migrate` left, not the current models.
Observed checking that every app migrates to zero and back: `manage.py migrate positions zero`
unapplied every migration and then failed with `no such table: positions_level` (exit 1), as
the scale was looked for in a table just dropped."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ProjectState

from positions.apps import ensure_level_scale
from positions.models import Level


@pytest.mark.django_db
def test_no_scale_is_looked_for_when_positions_is_migrated_to_zero(django_assert_num_queries):
    with django_assert_num_queries(0):
        ensure_level_scale(sender=None, apps=ProjectState().apps, using="default")


@pytest.mark.django_db
def test_the_scale_is_seeded_with_the_models_of_the_state_migrated_to():
    Level.objects.all().delete()
    state = MigrationExecutor(connection).loader.project_state()

    ensure_level_scale(sender=None, apps=state.apps, using="default")

    assert list(Level.objects.order_by("rank").values_list("code", flat=True)) == ["I", "R", "M"]
