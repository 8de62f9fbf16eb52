"""A dump of an install with its own depth scale loads into a database just migrated, whose
default scale (I < R < M, seeded by the migrations) it replaces."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from positions.apps import ensure_level_scale
from positions.models import Level
from positions.tests.factories import RequirementFactory, level

pytestmark = pytest.mark.django_db


def scale() -> list[tuple[int, str, int]]:
    return list(Level.objects.order_by("rank").values_list("pk", "code", "rank"))


@pytest.fixture
def own_scale_dump(tmp_path):
    """The levels of an install whose staff replaced the default scale by their own, as
    `dumpdata` writes them; the database then holds the default scale again, as `migrate`
    leaves a new one."""
    Level.objects.all().delete()
    for rank, code in enumerate(["B", "P", "A"], start=1):
        Level.objects.create(code=code, name=f"Level {code}", rank=rank)
    dumped = scale()
    out = io.StringIO()
    # With the levels' history, which a whole dump carries first: the default levels' deletion.
    call_command("dumpdata", "positions.historicallevel", "positions.level", stdout=out)
    path = tmp_path / "levels.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    Level.objects.all().delete()
    ensure_level_scale(sender=None)
    return path, dumped


def test_a_dumped_scale_replaces_the_default_scale_migrate_seeded(own_scale_dump):
    """Observed: loading a laptop's dump into PostgreSQL failed with "duplicate key value
    violates unique constraint positions_level_rank_key" (Key (rank)=(1) already exists): the
    default scale seeded by `migrate` held the ranks of the dump's own levels."""
    path, dumped = own_scale_dump
    history = Level.history.count()

    call_command("loaddata", path, verbosity=0)

    assert scale() == dumped
    # The dump's history only (already here): none of a deletion nobody made.
    assert Level.history.count() == history


def test_a_level_in_use_is_never_removed_for_a_dumped_one(own_scale_dump):
    """A level something points at is staff's, not the seed: the load fails as it did (one
    line naming the fixture and the row refused, core's loaddata), and the level stays."""
    path, _dumped = own_scale_dump
    RequirementFactory(min_level=level("I"))

    with pytest.raises(CommandError, match=r"Could not load positions\.Level"):
        call_command("loaddata", path, verbosity=0)

    assert Level.objects.filter(code="I").exists()
