"""Accepting a suggestion while its course (or position, or ability) is being deleted (PostgreSQL's
row locks, two connections). Observed before: a deadlock, which PostgreSQL broke by failing one
of the two: the accept locked its suggestion, and at its commit the new link's foreign key
(checked then: Django makes them deferred) waited for the course the deletion had locked first,
while the deletion waited for the suggestion it takes with the course. The accept lost (a 503,
"try again", for a suggestion that no longer existed), or, the deletion having come second, the
deletion did (a 409). Now the accept locks the course first, as the deletion does: one waits
for the other."""

import functools
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from conftest import skip_or_fail
from core.tests.concurrency import committed_meanwhile
from curricula import services as curricula_services
from curricula.models import Course, CourseAbility, Suggestion
from positions import services as positions_services
from positions.models import Ability, Position, Requirement
from positions.tests.factories import PositionFactory, level
from suggestions import services
from suggestions.tests.factories import SuggestionFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _deleting(model, pk: int, delete):
    """A deletion that has locked its row (as core.services.deleting does first) and waits for
    `go` before deleting it: run in a thread of its own, on its own connection."""
    locked, go, failed = threading.Event(), threading.Event(), []

    def deletion():
        try:
            with transaction.atomic():
                record = model.objects.select_for_update().get(pk=pk)
                locked.set()
                go.wait(30)
                delete(record)
        except Exception as error:
            failed.append(error)
        finally:
            from django.db import connection as own

            own.close()

    thread = threading.Thread(target=deletion)
    thread.start()
    assert locked.wait(30)
    return thread, go, failed


@pytest.mark.parametrize("deleted", ["course", "position", "ability"])
@pytest.mark.parametrize("many", [False, True], ids=["one", "many"])
def test_an_accept_while_its_subject_is_deleted_waits_and_is_told_it_is_gone(
    staff_user, deleted, many
):
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (DATABASE_URL=postgres://...)")
    if deleted == "position":
        suggestion = SuggestionFactory(course=None, position=PositionFactory())
    else:
        suggestion = SuggestionFactory(proposed_level=level("R"))
    model, pk, delete = {
        "course": (
            Course,
            suggestion.course_id,
            lambda course: curricula_services.course_delete(course=course),
        ),
        "position": (
            Position,
            suggestion.position_id,
            lambda position: positions_services.position_delete(position=position),
        ),
        "ability": (Ability, suggestion.ability_id, lambda ability: ability.delete()),
    }[deleted]
    fresh = Suggestion.objects.get(pk=suggestion.pk)
    if many:
        accept = functools.partial(services.suggestions_accept_many, suggestions=[fresh])
    else:
        accept = functools.partial(services.suggestion_accept, suggestion=fresh)
    thread, go, failed = _deleting(model, pk, delete)
    # Let the deletion go on once the accept waits (on its row, or before the fix on the
    # suggestion's subject with the suggestion locked).
    threading.Timer(0.5, go.set).start()
    try:
        with pytest.raises(ValidationError) as refused:
            accept(user=staff_user, level=level("R"))
    finally:
        go.set()
        thread.join(30)
    assert failed == [], "the deletion went through"
    assert f"Suggestion {suggestion.pk} no longer exists." in refused.value.messages
    assert not model.objects.filter(pk=pk).exists()
    assert not CourseAbility.objects.exists()
    assert not Requirement.objects.exists()


def test_a_deletion_while_an_accept_is_under_way_waits_and_takes_the_link(staff_user):
    """The other order (observed before: the deletion lost, DeletionConflict, a 409): the
    deletion waits for the accept, then deletes the link it made with the course."""
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (DATABASE_URL=postgres://...)")
    suggestion = SuggestionFactory(proposed_level=level("R"))

    def reviewer() -> None:
        services.suggestion_accept(
            suggestion=Suggestion.objects.get(pk=suggestion.pk), user=staff_user
        )

    # The accept commits while the deletion waits on the course.
    with committed_meanwhile(reviewer) as failed:
        curricula_services.course_delete(course=Course.objects.get(pk=suggestion.course_id))
    assert failed == []
    assert not CourseAbility.objects.exists()
    assert not Suggestion.objects.exists()
