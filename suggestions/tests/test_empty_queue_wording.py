"""The empty queue says what to do only when there is something to do: observed "Nothing to
review. Generate suggestions above, or choose another framework." under "This programme has no
courses yet: there is nothing to generate suggestions for." (and under "There is no competency
framework yet"), where no button is above. The queue is also the answer to htmx (a decision), so
the answer says the same."""

import re

import pytest
from django.urls import reverse

from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import PositionFactory
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db

GENERATE_ABOVE = "Generate suggestions above"


def _empty(html: str) -> str:
    match = re.search(r"<p[^>]*data-review-empty[^>]*>(.*?)</p>", html, re.S)
    assert match, html
    return match.group(1)


def _decide(client, scope: str) -> str:
    """The queue htmx is answered after a decision on a suggestion the review does not hold."""
    response = client.post(
        reverse("suggestions:decide"),
        {"scope": scope, "single": "skip:999999"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    return response.content.decode()


def test_a_programme_without_courses_is_not_told_to_generate(client, staff_user):
    small_framework()
    programme = ProgrammeFactory()
    client.force_login(staff_user)
    html = client.get(reverse("suggestions:programme-review", args=[programme.pk])).content.decode()
    assert "This programme has no courses yet" in html
    assert GENERATE_ABOVE not in _empty(html)
    assert "Nothing to review." in _empty(html)
    assert GENERATE_ABOVE not in _empty(_decide(client, f"programme:{programme.pk}"))


def test_without_a_framework_no_review_is_told_to_generate(client, staff_user):
    programme = ProgrammeFactory()
    course = database_course()
    programme.programme_courses.create(course=course, order=0)
    position = PositionFactory()
    client.force_login(staff_user)
    for kind, pk in (("programme", programme.pk), ("course", course.pk), ("position", position.pk)):
        html = client.get(reverse(f"suggestions:{kind}-review", args=[pk])).content.decode()
        assert "There is no competency framework yet" in html
        assert GENERATE_ABOVE not in _empty(html)
        assert GENERATE_ABOVE not in _empty(_decide(client, f"{kind}:{pk}"))


def test_with_courses_and_a_framework_the_queue_still_points_to_the_button(client, staff_user):
    small_framework()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=database_course(), order=0)
    client.force_login(staff_user)
    html = client.get(reverse("suggestions:programme-review", args=[programme.pk])).content.decode()
    assert GENERATE_ABOVE in _empty(html)
    assert GENERATE_ABOVE in _empty(_decide(client, f"programme:{programme.pk}"))
