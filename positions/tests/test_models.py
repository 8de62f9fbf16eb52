"""Model-level rules that hold whatever door the data comes in by."""

import pytest
from django.core.management import call_command

from positions.models import Level


@pytest.mark.django_db(transaction=True)
def test_the_default_level_scale_survives_a_database_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert list(Level.objects.values_list("code", "rank")) == [("I", 1), ("R", 2), ("M", 3)]


@pytest.mark.django_db
def test_a_customised_scale_is_left_alone_by_post_migrate():
    from positions.apps import ensure_level_scale

    Level.objects.create(code="X", name="Expert", rank=4)
    ensure_level_scale(sender=None)
    assert Level.objects.count() == 4
