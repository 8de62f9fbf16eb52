"""Two reviewers deciding the same suggestion at once (PostgreSQL's row locks): the second waits
for the first, then is told it was decided already; one link is made, never two or a 500."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import skip_or_fail
from core.tests.concurrency import committed_meanwhile
from curricula.models import CourseAbility, Suggestion, SuggestionStatus
from positions.tests.factories import level
from suggestions import services
from suggestions.tests.factories import SuggestionFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("second", ["accept", "reject", "skip"])
def test_a_suggestion_accepted_while_another_reviewer_decides_it(
    staff_user, django_user_model, second
):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (DATABASE_URL=postgres://...)")
    suggestion = SuggestionFactory(proposed_level=level("I"))
    other = django_user_model.objects.create_user(username="second-reviewer", is_staff=True)

    def first_reviewer() -> None:
        services.suggestion_accept(
            suggestion=Suggestion.objects.get(pk=suggestion.pk), user=staff_user
        )

    decide = {
        "accept": lambda s: services.suggestion_accept(suggestion=s, user=other),
        "reject": lambda s: services.suggestion_reject(suggestion=s, user=other),
        "skip": lambda s: services.suggestion_skip(suggestion=s),
    }[second]
    # The first commits while the second waits on the row.
    with committed_meanwhile(first_reviewer) as failed, pytest.raises(ValidationError) as refused:
        decide(Suggestion.objects.get(pk=suggestion.pk))
    assert failed == []
    assert "was already accepted" in " ".join(refused.value.messages)
    assert CourseAbility.objects.filter(course=suggestion.course).count() == 1
    decided = Suggestion.objects.get(pk=suggestion.pk)
    assert (decided.status, decided.decided_by_id) == (SuggestionStatus.ACCEPTED, staff_user.pk)
