"""Observed: a generation job was checked at its door only. A staff account deactivated, or
stripped of the permission the job writes with, after asking for it (a queued job on a busy
worker waits minutes) still had its suggestions written, the job having been started in its
name. The job now asks again when it begins to run (core.jobs.task_starter_check): the
account must still be active staff holding the permissions its operation needs, else it
writes nothing and fails, saying why at its status URL and on its review page."""

import pytest
from django.urls import reverse

from conftest import changed_first, deactivate, take_permission
from curricula.models import Suggestion
from suggestions import services
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db

GENERATE = "/api/v1/suggestions/generate/"


def _changed_before_the_job_runs(monkeypatch, change) -> None:
    changed_first(monkeypatch, services, "suggestions_request_generate", change)


def test_a_job_whose_starter_was_deactivated_meanwhile_writes_nothing_and_fails(
    staff_client, staff_user, admin_client, monkeypatch
):
    framework, _abilities = small_framework()
    course = database_course()

    _changed_before_the_job_runs(monkeypatch, lambda: deactivate(staff_user))
    response = staff_client.post(GENERATE, {"courses": [course.pk], "framework": framework.pk})

    assert response.status_code == 202, response.content
    # The starter can no longer read it; a colleague (here a superuser) can.
    status = admin_client.get(response.json()["status_url"]).json()
    assert status["state"] == "FAILURE", status
    assert status["result"] is None
    assert status["error"] == (
        "the account that started this job, staff, has been deactivated since; nothing was written"
    )
    assert not Suggestion.objects.exists()


def test_a_job_whose_starter_lost_the_permission_meanwhile_writes_nothing_and_says_so(
    staff_client, staff_user, monkeypatch
):
    framework, _abilities = small_framework()
    course = database_course()

    _changed_before_the_job_runs(
        monkeypatch, lambda: take_permission(staff_user, "add_courseability")
    )
    response = staff_client.post(GENERATE, {"courses": [course.pk], "framework": framework.pk})

    assert response.status_code == 202, response.content
    # Still staff, the starter reads its own job and learns why nothing was generated.
    status = staff_client.get(response.json()["status_url"]).json()
    assert status["state"] == "FAILURE", status
    assert status["error"] == (
        "the account that started this job, staff, no longer holds "
        "curricula.add_courseability, which this job takes; nothing was written"
    )
    assert not Suggestion.objects.exists()


def test_the_review_page_following_a_refused_job_says_why_it_failed(
    client, staff_user, admin_user, monkeypatch
):
    framework, _abilities = small_framework()
    course = database_course()

    _changed_before_the_job_runs(monkeypatch, lambda: deactivate(staff_user))
    client.force_login(staff_user)
    response = client.post(
        reverse("suggestions:generate"),
        {"scope": f"course:{course.pk}", "framework": framework.pk},
    )
    assert response.status_code == 302, response.content
    # A colleague following the job's address.
    client.force_login(admin_user)
    html = client.get(response["Location"]).content.decode()

    assert (
        "Generating suggestions failed (the account that started this job, staff, has been "
        "deactivated since; nothing was written)."
    ) in html
    assert not Suggestion.objects.exists()


def test_a_job_whose_starter_still_may_runs(staff_client):
    """The check lets through who still may: the job generates as before."""
    framework, _abilities = small_framework()
    course = database_course()

    response = staff_client.post(GENERATE, {"courses": [course.pk], "framework": framework.pk})

    status = staff_client.get(response.json()["status_url"]).json()
    assert status["state"] == "SUCCESS", status
    assert Suggestion.objects.filter(course=course).exists()
