"""The decide page's "Needing a new course" lets staff who review suggestions generate them for
the catalogue's courses from the page, followed as the review pages' jobs are: observed, the
page told a designer to run `manage.py suggest --all-courses`, which a page user cannot; the
command is named only as the alternative."""

import uuid

import pytest
from django.urls import reverse

from curricula.models import Suggestion
from curricula.tests.factories import CourseFactory
from curricula.tests.test_decisions_api import _world
from suggestions.tasks import generate_suggestions
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db

POLL = {"HX-Request": "true"}


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = _world()
    small_framework()
    world["outside"] = database_course(code="OUT1")
    return world


def _section(client, programme) -> str:
    html = client.get(reverse("curricula:programme-decide", args=[programme.pk])).content.decode()
    return " ".join(html.split()).partition("Needing a new course")[2]


def test_staff_who_may_review_get_a_button_and_others_the_command(client, staff_user, world):
    programme = world["programme"]
    action = f'action="{reverse("suggestions:catalogue-generate")}"'
    section = _section(client, programme)
    assert action not in section
    assert "manage.py suggest --all-courses" in section
    client.force_login(staff_user)
    section = _section(client, programme)
    assert action in section
    assert f'name="programme" value="{programme.pk}"' in section
    assert "manage.py suggest --all-courses" in section  # the alternative


def test_the_button_generates_for_every_catalogue_course_and_shows_the_outcome(
    client, staff_user, world
):
    client.force_login(staff_user)
    programme = world["programme"]
    response = client.post(
        reverse("suggestions:catalogue-generate"), {"programme": programme.pk}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    # A course outside the programme got suggestions: the catalogue's, not the programme's.
    generated = Suggestion.objects.count()
    assert Suggestion.objects.filter(course=world["outside"]).exists()
    assert f"Generated {generated} suggestions for " in html
    assert "<progress" not in html
    assert reverse("curricula:programme-decide", args=[programme.pk]) in html


def test_a_running_job_shows_its_progress_and_is_polled(client, staff_user, world):
    client.force_login(staff_user)
    task_id = str(uuid.uuid4())
    generate_suggestions.backend.store_result(task_id, {"done": 3, "total": 7}, "PROGRESS")
    url = reverse("suggestions:catalogue")
    html = client.get(url, {"job": task_id}).content.decode()
    assert "Generating suggestions: 3 of 7 courses done." in html
    assert '<progress id="review-job-progress" max="7" value="3"' in html
    assert f'hx-get="{url}?job={task_id}" hx-trigger="every 2s"' in html
    polled = client.get(url, {"job": task_id}, headers=POLL)
    assert polled.status_code == 200
    assert "3 of 7 courses done" in polled.content.decode()
    generate_suggestions.backend.store_result(
        task_id, {"created": 4, "updated": 0, "removed": 0, "courses": 7}, "SUCCESS"
    )
    polled = client.get(url, {"job": task_id}, headers=POLL)
    assert polled.status_code == 286  # htmx stops polling
    assert "Generated 4 suggestions for 7 courses." in polled.content.decode()


def test_those_who_may_not_review_cannot_start_it(client, plain_user, world):
    url = reverse("suggestions:catalogue-generate")
    response = client.post(url, {"programme": world["programme"].pk})
    assert response.status_code == 302
    assert reverse("login") in response["Location"] or "login" in response["Location"]
    client.force_login(plain_user)
    assert client.post(url, {"programme": world["programme"].pk}).status_code == 403
    assert (
        client.get(reverse("suggestions:catalogue"), {"job": str(uuid.uuid4())}).status_code == 403
    )
    assert not Suggestion.objects.exists()


def test_without_a_framework_nothing_is_started(client, staff_user):
    CourseFactory(code="LONE")
    client.force_login(staff_user)
    response = client.post(reverse("suggestions:catalogue-generate"), follow=True)
    html = response.content.decode()
    assert "There is no competency framework yet" in html
    assert "Generated" not in html
    assert not Suggestion.objects.exists()
