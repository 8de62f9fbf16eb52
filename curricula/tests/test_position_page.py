"""One position's page: its requirements by competency area, and which programmes build each
one and how deeply (a page of curricula, since it combines positions with programmes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    PlacementFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)

pytestmark = pytest.mark.django_db


def test_position_page_groups_requirements_and_shows_programme_depth(client):
    position = PositionFactory(name="Data analyst")
    requirement = RequirementFactory(position=position, ability=AbilityFactory(text="use python"))
    course = CourseFactory()
    CourseAbilityFactory(course=course, ability=requirement.ability, level=level("R"))
    ProgrammeFactory(name="Data programme", courses=[course], targets=[position])
    response = client.get(position.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "use python" in html
    assert requirement.ability.area.name in html
    assert "Data programme" in html
    assert "targets this position" in html
    assert 'class="level-cell shade-2"' in html  # R, below the minimum M


def test_position_without_requirements_says_so(client):
    position = PositionFactory(name="Data modeler")
    html = client.get(position.get_absolute_url()).content.decode()
    assert "No requirements defined" in html


def test_a_position_with_requirements_but_no_programme_yet_says_where_programmes_are_added(
    client,
):
    """Observed (a new university's database: positions and their requirements entered before
    any programme): the page said "Each column is a programme" above a table of no programme
    column and said nothing else; the next step was nowhere."""
    position = PositionFactory(name="Registered nurse")
    RequirementFactory(position=position, ability=AbilityFactory(text="assess patients"))
    html = client.get(position.get_absolute_url()).content.decode()
    assert "assess patients" in html
    assert "No programmes yet. Staff add them in the administration (Programmes, Add)" in html
    programme = ProgrammeFactory(name="Nursing", courses=[], targets=[])
    html = client.get(position.get_absolute_url()).content.decode()
    assert "No programmes yet" not in html
    assert "No programme targets this position or builds an ability it requires yet" in html
    programme.targets.create(position=position)
    html = client.get(position.get_absolute_url()).content.decode()
    assert "No programme targets this position" not in html
    assert "Nursing" in html


def test_unknown_position_is_404(client):
    assert client.get("/positions/999999/").status_code == 404


def test_markup_in_names_is_escaped(client):
    evil = "<script>alert(1)</script>"
    placement = PlacementFactory(position__name=evil, title=evil, track=TrackFactory(name=evil))
    RequirementFactory(position=placement.position, ability=AbilityFactory(text=evil))
    for url in (reverse("positions:list"), placement.position.get_absolute_url()):
        html = client.get(url).content.decode()
        assert evil not in html
        assert "&lt;script&gt;" in html


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_detail_query_count_does_not_grow_with_rows(client):
    small, large = PositionFactory(), PositionFactory()
    for position, rows in ((small, 1), (large, 10)):
        for _ in range(rows):
            requirement = RequirementFactory(position=position)
            course = CourseFactory()
            CourseAbilityFactory(course=course, ability=requirement.ability)
            ProgrammeFactory(courses=[course], targets=[position])
    assert _count(client, large.get_absolute_url()) == _count(client, small.get_absolute_url())
