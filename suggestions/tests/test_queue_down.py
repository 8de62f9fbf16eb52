"""A suggestion job asked for while the task queue (the Celery broker) is down.

The door asked the broker itself, in a copy of core.queue's question without its timeout, and
logged nothing when it refused: a 503 whose cause no log held. It now asks
core.queue.ensure_queue_reachable (one WARNING line naming the job) and answers 503 as
documented, writing nothing.
"""

import logging
import uuid

import pytest
from django.urls import reverse

from conftest import queue_warnings
from core.exceptions import RETRY_AFTER_SECONDS, QueueUnavailable
from core.jobs import task_starter_record
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


# --- A job's page while the result store (Redis) is down -----------------------------------------
# Observed: the review pages and the catalogue page following a generation job (?job=), and the
# fragment htmx polls, answered 500 with a redis traceback while Redis restarted, where
# GET /api/v1/tasks/{id}/ answers 503 with Retry-After. They answer 503 with Retry-After too,
# saying the task queue is unreachable, and the page keeps asking.


@pytest.fixture
def reviewer(client, staff_user):
    small_framework()
    client.force_login(staff_user)
    return client


def _job_pages():
    course = database_course()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    return [
        reverse("suggestions:course-review", args=[course.pk]),
        reverse("suggestions:programme-review", args=[programme.pk]),
        reverse("suggestions:catalogue"),
    ]


@pytest.mark.parametrize("polled", [False, True], ids=["page", "polled"])
def test_a_job_page_while_the_result_store_is_down_is_a_503_saying_so(
    reviewer, result_store_down, polled
):
    task_id = str(uuid.uuid4())
    # Started by a colleague: readable by staff who may generate suggestions for courses.
    task_starter_record(task_id=task_id, user=None, permissions=["curricula.add_courseability"])
    headers = {"HX-Request": "true"} if polled else {}
    for url in _job_pages():
        response = reviewer.get(url, {"job": task_id}, headers=headers)
        assert response.status_code == 503, (url, response.content[:300])
        assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert "no-store" in response["Cache-Control"]
        html = response.content.decode()
        assert "The task queue is unreachable. Try again later." in html
        # Still followed: htmx asks again (never the 286 that stops it), a link without it.
        assert f'href="{url}?job={task_id}">Check again</a>' in html
        if not polled:
            assert f'data-hx-get="{url}?job={task_id}" data-hx-trigger="every 2s"' in html


@pytest.mark.parametrize("door", ["page", "polled", "api"])
def test_a_job_read_while_the_result_store_is_down_is_logged_as_one_warning(
    reviewer, result_store_down, door, caplog
):
    """Observed on the production configuration with Redis unreachable: each of these 503s
    (the page polls every 2 s) logged only Django's `ERROR django.request: Service Unavailable`,
    naming no cause and mailed to the admins where ADMINS is set. Like every other 503 of the
    task queue it is one WARNING line of core.queue, saying why."""
    task_id = str(uuid.uuid4())
    task_starter_record(task_id=task_id, user=None, permissions=["curricula.add_courseability"])
    if door == "api":
        url, headers = f"/api/v1/tasks/{task_id}/", {}
    else:
        url = f"{reverse('suggestions:catalogue')}?job={task_id}"
        headers = {"HX-Request": "true"} if door == "polled" else {}
    with caplog.at_level(logging.WARNING):
        response = reviewer.get(url, headers=headers)
    assert response.status_code == 503
    logged = [(r.name, r.levelname) for r in caplog.records if r.levelno >= logging.WARNING]
    assert logged == [("core.queue", "WARNING")]
    (warning,) = queue_warnings(caplog)
    assert task_id in warning
    assert "Connection refused" in warning
