"""A suggestion job asked for while the task queue (the Celery broker) is down.

The door asked the broker itself, in a copy of core.queue's question without its timeout, and
logged nothing when it refused: a 503 whose cause no log held. It now asks
core.queue.ensure_queue_reachable (one WARNING line naming the job) and answers 503 as
documented, writing nothing.
"""

import logging

import pytest

from conftest import queue_warnings
from core.exceptions import RETRY_AFTER_SECONDS, QueueUnavailable
from curricula.models import Suggestion
from curricula.tests.factories import ProgrammeFactory
from suggestions.services import SuggestionQueueUnavailable, suggestions_request_generate
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db


def test_the_generation_asked_for_with_the_queue_down_is_503_and_logged(
    staff_client, broker_down, caplog
):
    framework, _abilities = small_framework()
    course = database_course()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    with caplog.at_level(logging.WARNING):
        response = staff_client.post(
            "/api/v1/suggestions/generate/",
            {"programme": programme.pk, "framework": framework.pk},
        )
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": "The task queue is unreachable. Try again later."}
    assert not Suggestion.objects.exists()
    (warning,) = queue_warnings(caplog)
    assert "suggestion generation" in warning


def test_the_refusal_is_the_queue_being_unavailable(broker_down):
    """What core's API handler answers 503, should a door not catch its own."""
    with pytest.raises(QueueUnavailable) as refused:
        suggestions_request_generate(course_ids=[database_course().pk])
    assert isinstance(refused.value, SuggestionQueueUnavailable)
