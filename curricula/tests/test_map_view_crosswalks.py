"""The curriculum map and its filtered views count crosswalks as the stored report does: a row
reached through an exact match has that level and status, a filter keeps its figures (the
engine with the programme's rule set), and a filter on the rows never calls a course that builds
a required ability unused."""

import pytest
from django.urls import reverse

from curricula.selectors.maps import MapFilters, programme_map_view
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import AbilityRelation, RelationType
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """Target requires CBE.7 (reached only through its exact match S1.2, at M) and CBE.8
    (built directly by C2, at I)."""
    with django_capture_on_commit_callbacks(execute=True):
        cbe, esco = FrameworkFactory(name="CBE"), FrameworkFactory(name="ESCO")
        crosswalked = AbilityFactory(framework=cbe, code="CBE.7", text="Run online promotions")
        direct = AbilityFactory(framework=cbe, code="CBE.8", text="Write product copy")
        other = AbilityFactory(framework=esco, code="S1.2", text="manage online marketing")
        AbilityRelation.objects.create(
            framework=cbe,
            source=crosswalked,
            target=other,
            relation_type=RelationType.EXACT_MATCH_OF,
        )
        position = PositionFactory(name="Marketer")
        for ability in (crosswalked, direct):
            RequirementFactory(position=position, ability=ability, min_level=level("M"))
        c1 = CourseFactory(code="C1", title="Digital marketing")
        c2 = CourseFactory(code="C2", title="Copywriting")
        CourseAbilityFactory(course=c1, ability=other, level=level("M"))
        CourseAbilityFactory(course=c2, ability=direct, level=level("I"))
        programme = ProgrammeFactory(courses=[c1, c2], targets=[position])
    return {"programme": programme, "crosswalked": crosswalked, "c1": c1, "c2": c2}


def _rows(view):
    return {row.code: row for group in view.map.areas for row in group.rows}


def test_the_stored_report_counts_the_exact_match(world):
    view = programme_map_view(programme=world["programme"])
    assert (view.report.figures["covered"], view.report.figures["partial"]) == (1, 1)


def test_a_row_reached_through_an_exact_match_is_covered_in_the_map(world):
    row = _rows(programme_map_view(programme=world["programme"]))["CBE.7"]
    assert row.status == "covered"
    assert row.best.code == "M"


def test_a_filter_matching_every_row_keeps_the_stored_figures(world):
    view = programme_map_view(programme=world["programme"], filters=MapFilters(q="CBE"))
    figures = view.report.figures
    assert (figures["covered"], figures["partial"], figures["missing"]) == (1, 1, 0)


def test_a_status_filter_finds_the_row_covered_through_the_crosswalk(world):
    view = programme_map_view(
        programme=world["programme"], filters=MapFilters(statuses=("covered",))
    )
    assert set(_rows(view)) == {"CBE.7"}
    assert view.report.figures["covered"] == 1


def test_a_row_filter_does_not_call_a_course_building_a_required_ability_unused(world):
    view = programme_map_view(
        programme=world["programme"], filters=MapFilters(statuses=("covered",))
    )
    assert [course["code"] for course in view.report.unused_courses] == []


def test_the_page_filtered_by_status_shows_the_crosswalked_row(client, world):
    html = client.get(world["programme"].get_absolute_url(), {"status": "covered"}).content
    html = html.decode()
    assert "Run online promotions" in html
    assert "Courses building nothing the targets require" not in html


def _row_page(client, world, **headers):
    url = reverse(
        "curricula:programme-ability", args=[world["programme"].pk, world["crosswalked"].pk]
    )
    return client.get(url, headers=headers).content.decode()


def test_the_row_page_of_an_ability_reached_through_a_crosswalk_says_so(client, world):
    html = _row_page(client, world)
    assert "status-pill--covered" in html
    assert "covered via C1 → ESCO ‘manage online marketing’ (exact match), at M" in html  # noqa: RUF001


def test_the_cell_panel_agrees_with_the_row_it_opens_from(client, world):
    html = _row_page(client, world, **{"X-Map-Editor": "1"})
    assert "status-pill--covered" in html
    assert "No course of the programme builds it." not in html
    assert "The programme reaches Mastered." in html
