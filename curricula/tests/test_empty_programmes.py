"""A programme with nothing to measure (no target position, or targets requiring only optional
abilities) says so on its pages: never that every requirement is covered, nor that its coverage
report has yet to be computed while the report is fresh."""

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import Importance
from positions.tests.factories import PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_targets(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = CourseFactory(code="OWN1")
        return ProgrammeFactory(courses=[course])


@pytest.fixture
def only_optional(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        position = PositionFactory(name="Helper")
        requirement = RequirementFactory(position=position, importance=Importance.OPTIONAL)
        course = CourseFactory(code="OWN1")
        CourseAbilityFactory(course=course, ability=requirement.ability, level=level("I"))
        return ProgrammeFactory(courses=[course], targets=[position])


def test_decide_page_without_targets_does_not_claim_everything_is_covered(client, without_targets):
    html = client.get(reverse("curricula:programme-decide", args=[without_targets.pk])).content
    html = html.decode()
    assert "Every essential requirement is covered" not in html
    assert "no target positions yet: nothing to recommend" in html


def test_decide_page_with_only_optional_requirements_does_not_claim_they_are_covered(
    client, only_optional
):
    html = client.get(reverse("curricula:programme-decide", args=[only_optional.pk])).content
    html = html.decode()
    assert "Every essential requirement is covered" not in html
    assert "Its target positions require no essential ability: nothing to recommend." in html


@pytest.mark.parametrize(
    "name", ["curricula:programme-detail", "curricula:programme-report", "curricula:programme-gaps"]
)
def test_a_fresh_report_of_a_programme_without_targets_is_not_called_missing(
    client, without_targets, name
):
    html = client.get(reverse(name, args=[without_targets.pk])).content.decode()
    assert "No coverage report yet." not in html
    assert "This programme has no target positions yet." in html


def test_the_chart_of_a_programme_without_targets_says_why_it_is_empty(client, without_targets):
    svg = client.get(reverse("curricula:programme-chart", args=[without_targets.pk])).content
    svg = svg.decode()
    assert "No coverage report yet." not in svg
    assert "No target positions yet." in svg


def test_the_map_of_a_programme_without_targets_does_not_speak_of_its_targets(
    client, without_targets
):
    html = client.get(without_targets.get_absolute_url()).content.decode()
    assert "Its target positions require no abilities yet." not in html
    assert "No target positions yet, so no required abilities to map." in html


def test_the_printable_report_of_a_programme_without_targets_blames_no_filter(
    client, without_targets
):
    """The report's map said "Nothing in the map matches these filters." when no filter was
    set: the programme has no targets, so nothing is required."""
    html = client.get(reverse("curricula:programme-report", args=[without_targets.pk])).content
    html = html.decode()
    assert "Nothing in the map matches these filters." not in html
    assert "No target positions yet, so no required abilities to map." in html


def test_the_overview_card_of_a_programme_without_targets_does_not_say_no_gaps(
    client, without_targets
):
    """The overview's card said "No gaps." beside "0 of 0 essential abilities covered"."""
    for url in (reverse("home"), reverse("curricula:programme-list")):
        html = client.get(url).content.decode()
        assert "No gaps." not in html
    assert "No target positions yet." in client.get(reverse("home")).content.decode()
