"""A job's page already open while the result store (Redis) goes out of reach, in Chromium.

Observed: each poll then answered 503 saying "The task queue is unreachable", but htmx swaps no
error answer, review.js ignores a poll's errors on purpose and the catalogue page loads no
review.js: the status line kept its last text ("Generating suggestions: started.") as if all
were well. The panel now says the queue is unreachable, keeps asking, and shows the job's state
again once Redis is back.
"""

import uuid

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNREACHABLE = "The task queue is unreachable. Try again later."
JOB_POLL_MS = 2000


@pytest.fixture
def result_store(monkeypatch):
    """The Celery app's result backend, out of reach (refusing, not retrying) while
    `state["down"]` holds; the live server reads it in its own thread."""
    from celery import current_app
    from celery.backends.redis import RedisBackend

    from conftest import DEAD_BROKER

    app = current_app._get_current_object()
    real = type(app).backend
    dead = RedisBackend(app=app, url=DEAD_BROKER, retry_policy={"max_retries": 0})
    state = {"down": False}
    monkeypatch.setattr(
        type(app), "backend", property(lambda app: dead if state["down"] else real.fget(app))
    )
    return state


def _store(task_id, state, meta):
    from core.jobs import task_starter_record
    from suggestions.tasks import generate_suggestions

    # Started by a colleague: readable by staff who may generate suggestions for courses.
    task_starter_record(task_id=task_id, user=None, permissions=["curricula.add_courseability"])
    generate_suggestions.backend.store_result(task_id, meta, state)


def _page_url(which: str) -> str:
    from curricula.tests.factories import ProgrammeFactory
    from suggestions.tests.factories import database_course, small_framework

    small_framework()
    course = database_course()
    if which == "course":
        return reverse("suggestions:course-review", args=[course.pk])
    if which == "programme":
        programme = ProgrammeFactory()
        programme.programme_courses.create(course=course, order=0)
        return reverse("suggestions:programme-review", args=[programme.pk])
    return reverse("suggestions:catalogue")


@pytest.mark.parametrize("which", ["course", "programme", "catalogue"])
def test_an_open_job_page_says_the_queue_is_unreachable_then_the_job_again(
    open_page, staff_user, result_store, which
):
    url = _page_url(which)
    task_id = str(uuid.uuid4())
    _store(task_id, "STARTED", {})
    page, watch = open_page()
    # The job is polled every 2 s on htmx's timers: the page's clock is run on to each poll.
    page.clock.install()
    polls = []
    page.on("response", lambda response: "job=" in response.url and polls.append(response.status))
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"{url}?job={task_id}")
    page.evaluate("window.__sameDocument = true")
    status = page.locator("#review-job-status")
    expect(status).to_have_text("Generating suggestions: started.")

    result_store["down"] = True
    page.clock.run_for(JOB_POLL_MS)
    expect(status).to_have_text(UNREACHABLE)
    expect(status).to_have_role("status")
    assert 503 in polls
    # Not over: the panel still shows the job under way, and the page keeps asking.
    expect(page.locator("progress#review-job-progress")).to_have_count(1)
    asked = len(polls)

    result_store["down"] = False
    _store(task_id, "PROGRESS", {"done": 1, "total": 2})
    page.clock.run_for(JOB_POLL_MS)
    expect(status).to_have_text("Generating suggestions: 1 of 2 courses done.")
    assert len(polls) > asked
    assert page.evaluate("window.__sameDocument") is True
    # The 503s (and the browser's console line for each) were the server's answers while Redis
    # was down; nothing else failed.
    expected = (
        "503: ",
        "console: Failed to load resource: the server responded with a status of 503",
    )
    assert [p for p in watch.problems if not p.startswith(expected)] == []
