"""Generation meeting a concurrent change of its subjects (PostgreSQL's row locks)."""

import pytest
from django.db import connection

from conftest import skip_or_fail
from core.tests.concurrency import committed_meanwhile
from curricula.models import Course, Suggestion
from positions.models import Position
from positions.tests.factories import PositionFactory
from suggestions import services
from suggestions.tests.factories import database_course, small_framework

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _deleted_while_generating(model, pk, generate):
    """Delete the row in another connection, and generate while that deletion is uncommitted."""
    if connection.vendor != "postgresql":
        skip_or_fail("row locks need PostgreSQL (DATABASE_URL=postgres://...)")
    # Committed shortly after the generation reached the row: it then waits on it, and must
    # find it gone rather than write suggestions for it.
    with committed_meanwhile(lambda: model.objects.filter(pk=pk).delete()) as failed:
        result = generate()
    assert failed == []
    return result


def test_a_course_deleted_while_its_suggestions_are_generated_is_left_out():
    """The chunk's suggestions for the deleted course failed it on their foreign key: the job
    retried from the start, and a programme's job whose course went failed for every course."""
    framework, _abilities = small_framework()
    course = database_course()
    result = _deleted_while_generating(
        Course,
        course.pk,
        lambda: services.suggestions_generate(course_ids=[course.pk], framework=framework),
    )
    assert result.courses == 0
    assert not Suggestion.objects.filter(course_id=course.pk).exists()


def test_a_position_deleted_while_its_suggestions_are_generated_is_left_out():
    framework, _abilities = small_framework()
    position = PositionFactory(description="Designs relational databases and SQL schemas.")
    result = _deleted_while_generating(
        Position,
        position.pk,
        lambda: services.suggestions_generate(position_ids=[position.pk], framework=framework),
    )
    assert result.positions == 0
    assert not Suggestion.objects.filter(position_id=position.pk).exists()
