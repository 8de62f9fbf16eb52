"""Two reviewers deciding the same suggestion at once (PostgreSQL's row locks): the second waits
for the first, then is told it was decided already; one link is made, never two or a 500."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from conftest import skip_or_fail
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
    accepted, release = threading.Event(), threading.Event()

    def first_reviewer():
        try:
            with transaction.atomic():
                services.suggestion_accept(
                    suggestion=Suggestion.objects.get(pk=suggestion.pk), user=staff_user
                )
                accepted.set()
                release.wait(30)
        finally:
            from django.db import connection as own

            own.close()

    thread = threading.Thread(target=first_reviewer)
    thread.start()
    assert accepted.wait(30)
    threading.Timer(0.5, release.set).start()  # commits while the second waits on the row
    decide = {
        "accept": lambda s: services.suggestion_accept(suggestion=s, user=other),
        "reject": lambda s: services.suggestion_reject(suggestion=s, user=other),
        "skip": lambda s: services.suggestion_skip(suggestion=s),
    }[second]
    try:
        with pytest.raises(ValidationError) as refused:
            decide(Suggestion.objects.get(pk=suggestion.pk))
    finally:
        release.set()
        thread.join(30)
    assert "was already accepted" in " ".join(refused.value.messages)
    assert CourseAbility.objects.filter(course=suggestion.course).count() == 1
    decided = Suggestion.objects.get(pk=suggestion.pk)
    assert (decided.status, decided.decided_by_id) == (SuggestionStatus.ACCEPTED, staff_user.pk)
