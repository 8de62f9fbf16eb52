"""A position page with no programme column: observed, it still showed the map's level legend
and "Move through the cells with the arrow keys" over a table with no cell to move through. It
says what a reader can do instead: see the programmes and make one target the position."""

import pytest
from django.urls import reverse

from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db

ARROWS = "Move through the cells with the arrow keys"


def _position():
    position = PositionFactory(name="Accountant")
    RequirementFactory(position=position, ability=AbilityFactory(text="prepare financial reports"))
    return position


def test_no_programme_at_all_shows_no_cell_hint_nor_legend(client):
    position = _position()
    html = client.get(position.get_absolute_url()).content.decode()
    assert "prepare financial reports" in html
    assert ARROWS not in html
    assert '<ul class="legend"' not in html
    assert "data-grid" not in html


def test_programmes_none_targeting_it_link_to_where_a_programme_is_made_to(client):
    position = _position()
    ProgrammeFactory(name="Accounting", courses=[], targets=[])
    html = client.get(position.get_absolute_url()).content.decode()
    assert ARROWS not in html
    assert '<ul class="legend"' not in html
    assert f'href="{reverse("curricula:programme-list")}"' in html


def test_a_programme_column_keeps_the_hint_and_the_legend(client):
    position = _position()
    programme = ProgrammeFactory(name="Accounting", courses=[], targets=[])
    programme.targets.create(position=position)
    html = client.get(position.get_absolute_url()).content.decode()
    assert ARROWS in html
    assert '<ul class="legend"' in html
    assert "data-grid" in html
