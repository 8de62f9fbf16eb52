"""A suggestion deleted while its review page was open (its course or its ability deleted, which
deletes it too) is refused with what happened, not with its id: "These suggestions are not in
this review: 145" was all a reviewer was told, which they could do nothing with."""

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import level
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

GONE = (
    "This suggestion no longer exists: its course or its ability was deleted, or suggestions "
    "were generated again without it."
)


@pytest.mark.parametrize("deleted", ["course", "ability"])
def test_a_suggestion_deleted_meanwhile_is_refused_saying_why(client, staff_user, deleted):
    client.force_login(staff_user)
    course, kept = CourseFactory(), CourseFactory()
    programme = ProgrammeFactory(courses=[course, kept])
    gone = SuggestionFactory(course=course, proposed_level=level("I"))
    other = SuggestionFactory(course=kept, proposed_level=level("I"))
    getattr(gone, deleted).delete()
    data = {
        "scope": f"programme:{programme.pk}",
        "required": "0",
        "single": f"accept:{gone.pk}",
        f"level-{gone.pk}": "I",
        f"level-{other.pk}": "I",
    }

    answer = client.post(reverse("suggestions:decide"), data, HTTP_HX_REQUEST="true")

    assert answer.status_code == 422
    html = answer.content.decode()
    error = html.split('review-status__error">')[1].split("</strong>")[0]
    assert error == GONE
    assert f'id="suggestion-{other.pk}"' in html  # the queue as it now is


def test_a_suggestion_of_another_review_is_still_named_so(client, staff_user):
    client.force_login(staff_user)
    mine, elsewhere = CourseFactory(), CourseFactory()
    theirs = SuggestionFactory(course=elsewhere)
    answer = client.post(
        reverse("suggestions:decide"),
        {"scope": f"course:{mine.pk}", "single": f"reject:{theirs.pk}"},
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 422
    assert f"These suggestions are not in this review: {theirs.pk}" in answer.content.decode()


def test_a_bulk_accept_holding_a_deleted_suggestion_says_nothing_was_accepted(client, staff_user):
    client.force_login(staff_user)
    course, doomed = CourseFactory(), CourseFactory()
    programme = ProgrammeFactory(courses=[course, doomed])
    kept = SuggestionFactory(course=course, proposed_level=level("I"))
    gone = SuggestionFactory(course=doomed, proposed_level=level("I"))
    doomed.delete()
    answer = client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"programme:{programme.pk}",
            "required": "0",
            "bulk": "1",
            "selected": [kept.pk, gone.pk],
        },
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 422
    error = answer.content.decode().split('review-status__error">')[1].split("</strong>")[0]
    assert error == f"Nothing was accepted. {GONE}"
    kept.refresh_from_db()
    assert kept.status == "pending"
