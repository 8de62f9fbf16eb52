"""A reviewer accepting a suggestion while a regeneration of its course drops it (PostgreSQL,
two connections). The regeneration read the suggestion pending, the accept committed, and the
regeneration's delete (only of pending rows) left the accepted suggestion in place, but its
tombstone was written all the same: a sync of the review queue (deletions/) was told an
accepted suggestion was deleted, and dropped it. Now the regeneration locks what it drops,
waits for the accept, and records and deletes only what is still pending."""

import pytest
from django.db import connection

from conftest import skip_or_fail
from core.tests.concurrency import committed_meanwhile
from curricula.models import Suggestion, SuggestionDeletion, SuggestionStatus
from positions.tests.factories import level
from suggestions import services
from suggestions.tests.factories import SuggestionFactory, database_course, small_framework

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_suggestion_accepted_while_a_regeneration_drops_it_is_kept_and_not_announced_gone(
    staff_user,
):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (DATABASE_URL=postgres://...)")
    framework, abilities = small_framework()
    course = database_course()
    # Negotiation is not among a databases course's best one: the regeneration drops it.
    suggestion = SuggestionFactory(
        course=course, ability=abilities["NEG"], proposed_level=level("I")
    )

    def accept() -> None:
        services.suggestion_accept(
            suggestion=Suggestion.objects.get(pk=suggestion.pk), user=staff_user
        )

    # The accept commits while the regeneration waits on the suggestion it drops.
    with committed_meanwhile(accept) as failed:
        services.suggestions_generate(course_ids=[course.pk], framework=framework, k=1)
    assert failed == []

    assert Suggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.ACCEPTED
    assert not SuggestionDeletion.objects.filter(id=suggestion.pk).exists()
