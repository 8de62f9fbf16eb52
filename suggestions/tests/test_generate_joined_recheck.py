"""Observed: a generation job asked for again while it was queued, by a second user, is joined
(core.jobs.task_start answers the job already going), but when it began to run it asked only
whether its first starter might still generate. The first starter deactivated meanwhile, the
work the second, still allowed, asked for was refused. The job now runs if any account that
asked for it (started or joined) still may, and is refused, saying why in the language of whoever
reads it, only when none may."""

import pytest
from django.contrib.auth.models import Permission

from conftest import deactivate, take_permission
from curricula.models import Suggestion
from suggestions.tasks import generate_suggestions
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db

GENERATE = "/api/v1/suggestions/generate/"


@pytest.fixture
def colleague(django_user_model):
    user = django_user_model.objects.create_user(
        username="colleague", password="colleague-pass-123", is_staff=True
    )
    user.user_permissions.add(
        Permission.objects.get(codename="add_courseability", content_type__app_label="curricula")
    )
    return user


@pytest.fixture
def queued():
    """The job waits for a worker: published, not run, until the test runs it (`run()`)."""
    published = {}

    def publish(*, kwargs, task_id, **options):
        published.update(kwargs=kwargs, task_id=task_id)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(generate_suggestions, "apply_async", publish)

        def run():
            patch.undo()
            return generate_suggestions.apply(**published)

        yield run


def _asked_by_both(staff_client, colleague, framework, course) -> str:
    from rest_framework.test import APIClient

    body = {"courses": [course.pk], "framework": framework.pk}
    first = staff_client.post(GENERATE, body)
    assert first.status_code == 202, first.content
    other = APIClient()
    other.force_authenticate(colleague)
    second = other.post(GENERATE, body)
    assert second.status_code == 202, second.content
    # The same work while the first is queued: joined, not started again.
    assert second.json()["task_id"] == first.json()["task_id"]
    return first.json()["task_id"]


def test_a_joined_job_whose_starter_was_deactivated_runs_for_the_one_who_joined(
    staff_client, staff_user, colleague, queued
):
    framework, _abilities = small_framework()
    course = database_course()
    _asked_by_both(staff_client, colleague, framework, course)

    deactivate(staff_user)
    result = queued()

    assert result.state == "SUCCESS", result.result
    assert Suggestion.objects.filter(course=course).exists()


def test_a_joined_job_none_of_whose_askers_still_may_is_refused_naming_them(
    staff_client, staff_user, colleague, queued
):
    framework, _abilities = small_framework()
    course = database_course()
    _asked_by_both(staff_client, colleague, framework, course)

    deactivate(staff_user)
    take_permission(colleague, "add_courseability")
    result = queued()

    assert result.state == "FAILURE"
    assert str(result.result) == (
        "the account that started this job, staff, has been deactivated since; nothing was "
        "written (nor may colleague, who asked for it too)"
    )
    assert not Suggestion.objects.exists()


def test_a_job_joined_by_its_own_starter_is_refused_as_before(staff_client, staff_user, queued):
    """Asking twice is one asker: the refusal names no one else."""
    framework, _abilities = small_framework()
    course = database_course()
    body = {"courses": [course.pk], "framework": framework.pk}
    assert staff_client.post(GENERATE, body).status_code == 202
    assert staff_client.post(GENERATE, body).status_code == 202

    deactivate(staff_user)
    result = queued()

    assert result.state == "FAILURE"
    assert str(result.result) == (
        "the account that started this job, staff, has been deactivated since; nothing was written"
    )
