"""A suggestion job asked for while the task queue (the Celery broker) is down.

The door asked the broker itself, in a copy of core.queue's question without its timeout, and
logged nothing when it refused: a 503 whose cause no log held. It now asks
core.queue.ensure_queue_reachable (one WARNING line naming the job) and answers 503 as
documented, writing nothing.
"""

import logging

import pytest
from celery import current_app

from core.exceptions import RETRY_AFTER_SECONDS, QueueUnavailable
from curricula.models import Suggestion
from curricula.tests.factories import ProgrammeFactory
from suggestions.services import SuggestionQueueUnavailable, suggestions_request_generate
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: connections are refused at once, as while Redis restarts.
DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(monkeypatch):
    monkeypatch.setitem(current_app.conf, "broker_url", DEAD_BROKER)
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)


def _queue_warnings(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "core.queue" and record.levelno == logging.WARNING
    ]


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
    (warning,) = _queue_warnings(caplog)
    assert "suggestion generation" in warning


def test_the_refusal_is_the_queue_being_unavailable(broker_down):
    """What core's API handler answers 503, should a door not catch its own."""
    with pytest.raises(QueueUnavailable) as refused:
        suggestions_request_generate(course_ids=[database_course().pk])
    assert isinstance(refused.value, SuggestionQueueUnavailable)
