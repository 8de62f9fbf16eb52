"""A decision that went through is answered as done, even when what it decided is deleted the
moment after (its course or position deleted, or a generation run without it): the API read the
suggestion again after the service committed, and answered that accept or reject with a 404, which
a client takes for "not done" and may send again."""

import pytest
from django.urls import reverse

from curricula.models import Course, CourseAbility, Suggestion
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import Position, Requirement
from positions.tests.factories import PositionFactory, level
from suggestions import services
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


def _then(monkeypatch, name: str, deleted):
    """Make `services.<name>` delete what `deleted(suggestion)` returns once it has committed
    (the first suggestion decided): a deletion landing between the decision and its answer."""
    decide = getattr(services, name)

    def decide_then_delete(**kwargs):
        made = decide(**kwargs)
        deleted(kwargs.get("suggestion") or kwargs["suggestions"][0]).delete()
        return made

    monkeypatch.setattr(services, name, decide_then_delete)


def test_an_accept_whose_course_is_deleted_right_after_answers_201_naming_the_link(
    staff_client, staff_user, monkeypatch
):
    suggestion = SuggestionFactory(proposed_level=level("R"))
    _then(monkeypatch, "suggestion_accept", lambda s: Course.objects.get(pk=s.course_id))

    response = staff_client.post(f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "M"})

    assert response.status_code == 201, response.content
    body = response.json()
    assert isinstance(body["link"], int)
    assert body["requirement"] is None
    assert body["suggestion"]["id"] == suggestion.pk
    assert body["suggestion"]["status"] == "accepted"
    assert body["suggestion"]["decided_by"] == staff_user.username
    assert body["suggestion"]["decided_at"]
    assert body["suggestion"]["course"] == suggestion.course_id
    assert not Suggestion.objects.filter(pk=suggestion.pk).exists()
    assert not CourseAbility.objects.exists()  # deleted with its course


def test_an_accept_answers_the_link_it_made_as_the_service_returned_it(staff_client):
    suggestion = SuggestionFactory(proposed_level=level("R"))
    response = staff_client.post(f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "M"})
    assert response.status_code == 201, response.content
    link = CourseAbility.objects.get()
    assert response.json()["link"] == link.pk
    assert response.json()["suggestion"]["status"] == "accepted"


def test_an_accept_whose_position_is_deleted_right_after_answers_201_naming_the_requirement(
    staff_client, monkeypatch
):
    suggestion = SuggestionFactory(course=None, position=PositionFactory())
    _then(monkeypatch, "suggestion_accept", lambda s: Position.objects.get(pk=s.position_id))

    response = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "R", "importance": "optional"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["link"] is None
    assert isinstance(body["requirement"], int)
    assert body["suggestion"]["status"] == "accepted"
    assert body["suggestion"]["position"] == suggestion.position_id
    assert not Requirement.objects.exists()


@pytest.mark.parametrize("deleted", ["course", "suggestion"])
def test_a_reject_whose_suggestion_is_deleted_right_after_answers_200_rejected(
    staff_client, staff_user, monkeypatch, deleted
):
    suggestion = SuggestionFactory()
    if deleted == "course":
        _then(monkeypatch, "suggestion_reject", lambda s: Course.objects.get(pk=s.course_id))
    else:
        _then(monkeypatch, "suggestion_reject", lambda s: Suggestion.objects.filter(pk=s.pk))

    response = staff_client.post(f"/api/v1/suggestions/{suggestion.pk}/reject/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["status"]) == (suggestion.pk, "rejected")
    assert body["decided_by"] == staff_user.username
    assert body["decided_at"]


def test_a_skip_whose_suggestion_a_generation_drops_right_after_answers_200_skipped(
    staff_client, monkeypatch
):
    suggestion = SuggestionFactory()
    _then(monkeypatch, "suggestion_skip", lambda s: Suggestion.objects.filter(pk=s.pk))

    response = staff_client.post(f"/api/v1/suggestions/{suggestion.pk}/skip/")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["status"]) == (suggestion.pk, "pending")
    assert body["skipped_at"]


@pytest.mark.parametrize("form", ["single", "bulk"])
@pytest.mark.parametrize("kind", ["course", "programme"])
def test_an_htmx_accept_whose_course_is_deleted_right_after_says_it_was_accepted(
    client, staff_user, monkeypatch, kind, form
):
    """The review page answers from the scope it read before deciding, not from the decided
    suggestion read again: it already says the accept went through (a guard, passing before)."""
    client.force_login(staff_user)
    course, other = CourseFactory(), CourseFactory()
    programme = ProgrammeFactory(courses=[course, other])
    suggestion = SuggestionFactory(course=course, proposed_level=level("R"))
    kept = SuggestionFactory(course=other, proposed_level=level("R"))
    _then(monkeypatch, "suggestions_accept_many", lambda s: Course.objects.get(pk=s.course_id))
    scope = f"course:{course.pk}" if kind == "course" else f"programme:{programme.pk}"

    answer = client.post(
        reverse("suggestions:decide"),
        {
            "scope": scope,
            "required": "0",
            **(
                {"single": f"accept:{suggestion.pk}"}
                if form == "single"
                else {"bulk": "", "selected": [suggestion.pk]}
            ),
            f"level-{suggestion.pk}": "R",
            f"level-{kept.pk}": "R",
        },
        HTTP_HX_REQUEST="true",
    )

    assert answer.status_code == 200, answer.content
    assert "Accepted 1 suggestion" in answer.content.decode()


@pytest.mark.parametrize("action", ["accept", "reject", "skip"])
@pytest.mark.parametrize("subject", ["course", "position"])
def test_a_decision_s_answer_is_the_suggestion_as_its_get_answers_it_after(
    staff_client, action, subject
):
    """Answered from what the service did rather than read again: the same representation a GET
    answers once the decision is stored, field for field."""
    if subject == "course":
        suggestion = SuggestionFactory(proposed_level=level("R"))
    else:
        suggestion = SuggestionFactory(course=None, position=PositionFactory())
    body = {"level": "R"} if action == "accept" else {}

    response = staff_client.post(f"/api/v1/suggestions/{suggestion.pk}/{action}/", body)

    assert response.status_code in (200, 201), response.content
    answered = response.json()["suggestion"] if action == "accept" else response.json()
    assert answered == staff_client.get(f"/api/v1/suggestions/{suggestion.pk}/").json()
