"""A gap a course of the programme has a pending suggestion for needs a review, not a new course.

Observed (an accounting programme built from an empty catalogue): the decide page and `manage.py
recommend` listed such gaps under "Needing a new course", each with the programme's own course
suggested for it beside the heading's advice to find or make a new course."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level
from suggestions import services
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db

REVIEW = "Review a suggestion for a course of the programme"
NEW = "Needing a new course"


@pytest.fixture
def gaps(client, staff_user):
    """A programme whose course has a pending suggestion for one missing ability (DB) and
    none for another, which no course builds."""
    framework, abilities = small_framework()
    course = database_course()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    unbuilt = AbilityFactory(text="Negotiate freight contracts with carriers")
    position = PositionFactory()
    RequirementFactory(position=position, ability=abilities["DB"], min_level=level("M"))
    RequirementFactory(position=position, ability=unbuilt, min_level=level("M"))
    programme.targets.create(position=position)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    client.force_login(staff_user)
    return client, programme, abilities["DB"], unbuilt


def _sections(text: str, first: str, second: str, end: str) -> tuple[str, str]:
    """The text under heading `first` up to `second`, and under `second` up to `end`."""
    return text.split(first, 1)[1].split(second, 1)[0], text.split(second, 1)[1].split(end, 1)[0]


def test_the_decide_page_lists_a_gap_with_a_suggested_course_for_review_not_a_new_course(gaps):
    client, programme, suggested, unbuilt = gaps
    html = client.get(reverse("curricula:programme-decide", args=[programme.pk])).content.decode()
    assert REVIEW in html
    assert NEW in html
    to_review, new_course = _sections(html, REVIEW, NEW, "</section>")
    assert suggested.text in to_review
    assert "Suggested:" in to_review
    assert unbuilt.text in new_course
    assert suggested.text not in new_course


def test_without_the_right_to_review_every_such_gap_stays_under_a_new_course(gaps, client):
    _staff, programme, suggested, _unbuilt = gaps
    client.logout()
    html = client.get(reverse("curricula:programme-decide", args=[programme.pk])).content.decode()
    assert REVIEW not in html
    assert suggested.text in html.split(NEW, 1)[1]


def test_the_recommend_command_says_the_same(gaps):
    _client, programme, suggested, unbuilt = gaps
    out = StringIO()
    call_command("recommend", program=str(programme.pk), stdout=out)
    text = out.getvalue()
    to_review, new_course = _sections(text, REVIEW, NEW, "\n### ")
    assert suggested.text in to_review
    assert unbuilt.text in new_course
    assert suggested.text not in new_course
