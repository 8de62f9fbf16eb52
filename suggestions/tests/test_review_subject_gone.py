"""Deciding without JavaScript goes back to the review page, a 404 once its course (or position,
or programme) is deleted meanwhile. Observed before: whether the decision went through (the
course deleted the moment after) or failed for it (the course deleted before, its suggestion
with it), the reviewer landed on a 404 page and was not told what happened. Now they go to the
page listing the others of its kind, told so."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from curricula.models import Course, Suggestion
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import Position
from positions.tests.factories import PositionFactory, level
from suggestions import services
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

COURSE_GONE = "The course under review has been deleted meanwhile, with its suggestions."


def _decide(client, scope: str, suggestion, single: str, **headers):
    return client.post(
        reverse("suggestions:decide"),
        {
            "scope": scope,
            "single": f"{single}:{suggestion.pk}",
            f"level-{suggestion.pk}": "R",
        },
        **headers,
    )


def _said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("single", ["accept", "reject", "skip"])
def test_a_decision_whose_course_is_deleted_right_after_goes_to_the_courses_to_review(
    client, staff_user, monkeypatch, single
):
    client.force_login(staff_user)
    suggestion = SuggestionFactory(proposed_level=level("R"))
    name = {
        "accept": "suggestions_accept_many",
        "reject": "suggestion_reject",
        "skip": "suggestion_skip",
    }[single]
    decide = getattr(services, name)

    def decide_then_delete(**kwargs):
        made = decide(**kwargs)
        Course.objects.get(pk=suggestion.course_id).delete()
        return made

    monkeypatch.setattr(services, name, decide_then_delete)

    response = _decide(client, f"course:{suggestion.course_id}", suggestion, single)

    assert response.status_code == 302
    assert response["Location"] == reverse("suggestions:catalogue")
    said = _said(response)
    assert said[-1] == COURSE_GONE
    assert said[0] != COURSE_GONE, "what was decided is said first"
    assert client.get(response["Location"]).status_code == 200


def test_a_decision_whose_course_was_deleted_before_goes_to_the_courses_to_review(
    client, staff_user
):
    """The review page was open while its course was deleted: nothing was decided."""
    client.force_login(staff_user)
    suggestion = SuggestionFactory(proposed_level=level("R"))
    course_id = suggestion.course_id
    Course.objects.get(pk=course_id).delete()

    response = _decide(client, f"course:{course_id}", suggestion, "accept")

    assert response.status_code == 302
    assert response["Location"] == reverse("suggestions:catalogue")
    assert _said(response) == [f"{COURSE_GONE} Nothing was decided."]


def test_htmx_is_sent_there_too(client, staff_user):
    client.force_login(staff_user)
    suggestion = SuggestionFactory(proposed_level=level("R"))
    course_id = suggestion.course_id
    Course.objects.get(pk=course_id).delete()

    response = _decide(client, f"course:{course_id}", suggestion, "reject", HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("suggestions:catalogue")


def test_a_decision_whose_position_is_deleted_meanwhile_goes_to_the_positions(
    client, staff_user, monkeypatch
):
    client.force_login(staff_user)
    suggestion = SuggestionFactory(course=None, position=PositionFactory())
    reject = services.suggestion_reject

    def reject_then_delete(**kwargs):
        made = reject(**kwargs)
        Position.objects.get(pk=suggestion.position_id).delete()
        return made

    monkeypatch.setattr(services, "suggestion_reject", reject_then_delete)

    response = _decide(client, f"position:{suggestion.position_id}", suggestion, "reject")

    assert response.status_code == 302
    assert response["Location"] == reverse("positions:list")
    assert _said(response)[-1] == (
        "The position under review has been deleted meanwhile, with its suggestions."
    )


def test_a_programmes_review_whose_course_is_deleted_stays_on_the_programme(client, staff_user):
    """Only the review's own subject gone sends the reviewer elsewhere: a programme's course
    deleted fails the decision, and the programme's review page is still there (a guard, passing
    before)."""
    client.force_login(staff_user)
    course = CourseFactory()
    programme = ProgrammeFactory(courses=[course])
    suggestion = SuggestionFactory(course=course, proposed_level=level("R"))
    course.delete()
    assert not Suggestion.objects.exists()

    response = _decide(client, f"programme:{programme.pk}", suggestion, "accept")

    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("suggestions:programme-review", args=[programme.pk])
    )
