"""With a real Celery worker on Redis and PostgreSQL: the generation job reports progress and
stores suggestions, and a course edit refreshes them in the worker (which builds its own index).

Skipped without PostgreSQL or Redis, unless REQUIRE_SERVICES=1 (CI), where it fails instead."""

import pytest

from conftest import changed_first, deactivate
from curricula import services as curricula_services
from curricula.models import Suggestion
from curricula.tests.factories import ProgrammeFactory
from curricula.tests.test_coverage_worker import (  # noqa: F401 (fixtures)
    redis_broker,
    wait_for,
    worker,
)
from suggestions.tests.factories import database_course, small_framework

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("worker")
def test_generate_job_and_background_refresh_in_a_worker(staff_client, settings):
    settings.SUGGESTIONS_REFRESH_DELAY = 0.5
    framework, abilities = small_framework()
    course = database_course()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)

    response = staff_client.post(
        "/api/v1/suggestions/generate/", {"programme": programme.pk, "framework": framework.pk}
    )
    assert response.status_code == 202, response.content
    status_url = response.json()["status_url"]
    done = wait_for(
        lambda: (body := staff_client.get(status_url).json())["state"] == "SUCCESS" and body,
        "the generation job",
    )
    assert done["result"]["courses"] == 1
    assert Suggestion.objects.filter(course=course, ability=abilities["DB"]).exists()

    curricula_services.course_update(
        course=course,
        title="Marketing",
        description="",
        outcomes="Plan digital marketing campaigns on social media",
    )
    wait_for(
        lambda: Suggestion.objects.filter(course=course, ability=abilities["MKT"], rank=1).exists(),
        "the background refresh",
    )


@pytest.mark.usefixtures("worker")
def test_a_second_edit_after_the_first_refresh_is_refreshed_too(settings):
    """Observed with a worker and the default cache (each process its own, no CACHE_URL): the
    refresh ran in the worker and released its lock there, but the web process's lock lived
    on for ten minutes, so the course's next edit queued nothing and its suggestions stayed
    those of the first edit."""
    settings.SUGGESTIONS_REFRESH_DELAY = 1.5
    framework, abilities = small_framework()
    course = database_course()
    from suggestions import services

    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    curricula_services.course_update(
        course=course, title="Marketing", description="", outcomes="Plan digital marketing"
    )
    wait_for(
        lambda: Suggestion.objects.filter(course=course, ability=abilities["MKT"], rank=1).exists(),
        "the first refresh",
    )
    curricula_services.course_update(
        course=course, title="Contracts", outcomes="Negotiate contracts with foreign buyers"
    )
    wait_for(
        lambda: Suggestion.objects.filter(course=course, ability=abilities["NEG"], rank=1).exists(),
        "the second edit's refresh",
    )


@pytest.fixture
def shared_cache(monkeypatch, settings):
    """The cache this process and the worker share (CACHE_URL, a Redis), as production's
    processes do: where the worker reads who started a job (core.jobs)."""
    from curricula.tests.test_coverage_worker import REDIS_URL

    monkeypatch.setenv("CACHE_URL", REDIS_URL)
    settings.CACHES = {
        "default": {"BACKEND": "core.cache.TolerantRedisCache", "LOCATION": REDIS_URL}
    }


@pytest.mark.usefixtures("shared_cache", "worker")
def test_a_job_whose_starter_was_deactivated_before_the_worker_took_it_writes_nothing(
    staff_client, staff_user, admin_client, monkeypatch
):
    """The job asks again in the worker, when it begins to run, who started it (see
    test_generate_starter_recheck, where tasks run inline)."""
    from suggestions import services

    framework, _abilities = small_framework()
    course = database_course()
    changed_first(
        monkeypatch, services, "suggestions_request_generate", lambda: deactivate(staff_user)
    )
    response = staff_client.post(
        "/api/v1/suggestions/generate/", {"courses": [course.pk], "framework": framework.pk}
    )
    assert response.status_code == 202, response.content
    status_url = response.json()["status_url"]
    failed = wait_for(
        lambda: (body := admin_client.get(status_url).json())["state"] == "FAILURE" and body,
        "the refused generation job",
    )
    assert "has been deactivated since; nothing was written" in failed["error"]
    assert not Suggestion.objects.exists()
