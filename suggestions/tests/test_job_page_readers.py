"""A page following a generation job (`?job=<task id>`) shows it only to those who may read the
task, as GET /api/v1/tasks/{id}/ does (core.jobs.task_readable_by): its starter, a superuser,
staff holding the permission its operation needs. To anyone else the id reads as one nobody
started, in the same words, so the page tells nothing of the job."""

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.jobs import task_starter_record
from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import PositionFactory
from suggestions.tasks import generate_suggestions
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db

POLL = {"HX-Request": "true"}
ADD_LINK = "curricula.add_courseability"
ADD_REQUIREMENT = "positions.add_requirement"


def _staff(django_user_model, username: str, *codenames: str, superuser: bool = False):
    user = django_user_model.objects.create_user(
        username=username, password="p", is_staff=True, is_superuser=superuser
    )
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def _job(*, started_by, permission: str, state: str, meta) -> str:
    """A generation job started by `started_by`, as task_start records it, in `state`."""
    task_id = str(uuid.uuid4())
    task_starter_record(task_id=task_id, user=started_by, permissions=[permission])
    generate_suggestions.backend.store_result(task_id, meta, state)
    return task_id


@pytest.fixture
def pages(django_user_model):
    """The pages that follow a job, each with the permission it is opened with and the one
    a job the reviewer may not read needs (the other kind's)."""
    small_framework()
    course = database_course()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    position = PositionFactory(description="Designs relational databases.")
    return [
        (
            reverse("suggestions:course-review", args=[course.pk]),
            "add_courseability",
            ADD_REQUIREMENT,
        ),
        (
            reverse("suggestions:programme-review", args=[programme.pk]),
            "add_courseability",
            ADD_REQUIREMENT,
        ),
        (reverse("suggestions:position-review", args=[position.pk]), "add_requirement", ADD_LINK),
        (reverse("suggestions:catalogue"), "add_courseability", ADD_REQUIREMENT),
    ]


def _panel(html: str, task_id: str) -> str:
    """The job's panel, its id made neutral to compare two jobs' panels."""
    start = html.index('id="review-job"')
    return html[start : html.index("</section>", start)].replace(task_id, "ID")


@pytest.mark.parametrize(
    ("state", "meta", "shown"),
    [
        ("PROGRESS", {"done": 1, "total": 2}, "1 of 2"),
        ("SUCCESS", {"created": 7, "updated": 0, "removed": 0, "courses": 3}, "Generated 7"),
        ("FAILURE", RuntimeError("the index could not be built"), "index could not be built"),
    ],
)
def test_a_job_the_reviewer_may_not_read_is_shown_as_unknown(
    client, django_user_model, pages, state, meta, shown
):
    """Observed: any reviewer opening a review page with another's job id in `?job=` saw
    that job's progress, outcome or error (GET /api/v1/tasks/{id}/ answers them 404)."""
    starter = _staff(django_user_model, "starter", "add_courseability", "add_requirement")
    for index, (url, may_open, job_needs) in enumerate(pages):
        reviewer = _staff(django_user_model, f"reviewer{index}", may_open)
        client.force_login(reviewer)
        hidden = _job(started_by=starter, permission=job_needs, state=state, meta=meta)
        made_up = str(uuid.uuid4())

        page = client.get(url, {"job": hidden})
        assert page.status_code == 200, url
        html = page.content.decode()
        assert shown not in html, url
        assert "This generation job is not known" in html, url
        assert 'hx-trigger="every' not in html, url
        unknown = client.get(url, {"job": made_up}).content.decode()
        assert _panel(html, hidden) == _panel(unknown, made_up), url

        polled = client.get(url, {"job": hidden}, headers=POLL)
        assert polled.status_code == 286, url  # htmx stops polling, as for an unknown id
        assert shown not in polled.content.decode(), url
        assert "This generation job is not known" in polled.content.decode(), url


def test_its_starter_a_superuser_and_staff_with_its_permission_see_the_job(
    client, django_user_model, pages
):
    starter = _staff(django_user_model, "starter", "add_courseability", "add_requirement")
    boss = _staff(django_user_model, "boss", superuser=True)
    for url, may_open, _job_needs in pages:
        colleague = _staff(django_user_model, f"colleague-{may_open}-{url}", may_open)
        needs = f"{'positions' if may_open == 'add_requirement' else 'curricula'}.{may_open}"
        for started_by, reader in ((starter, starter), (starter, boss), (starter, colleague)):
            task_id = _job(
                started_by=started_by,
                permission=needs,
                state="PROGRESS",
                meta={"done": 1, "total": 2},
            )
            client.force_login(reader)
            assert "1 of 2" in client.get(url, {"job": task_id}).content.decode(), (url, reader)
            polled = client.get(url, {"job": task_id}, headers=POLL)
            assert polled.status_code == 200
            assert "1 of 2" in polled.content.decode()


def test_a_job_nobody_recorded_starting_is_a_superusers_only(client, django_user_model, pages):
    """As the API: a task started by the sweep or a command has no starter to read it."""
    reviewer = _staff(django_user_model, "reviewer", "add_courseability", "add_requirement")
    boss = _staff(django_user_model, "boss", superuser=True)
    task_id = str(uuid.uuid4())
    generate_suggestions.backend.store_result(task_id, {"done": 1, "total": 2}, "PROGRESS")
    for url, _may_open, _job_needs in pages:
        client.force_login(reviewer)
        assert (
            "This generation job is not known" in client.get(url, {"job": task_id}).content.decode()
        )
        client.force_login(boss)
        assert "1 of 2" in client.get(url, {"job": task_id}).content.decode()
