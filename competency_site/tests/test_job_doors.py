"""The API's doors that start background work: a repeated request joins the job already
queued, each user starts only so many jobs an hour, and a task's status is its starter's."""

import math
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory
from suggestions.tests.factories import small_framework

pytestmark = pytest.mark.django_db
MOODLE = Path(__file__).resolve().parents[2] / "positions" / "tests" / "fixtures" / "moodle"


@pytest.fixture(scope="module")
def schema():
    from core.tests import openapi

    return openapi.generate()[0]


def _client_with(django_user_model, *codenames, username, superuser=False):
    user = django_user_model.objects.create_user(
        username=username, password="p", is_staff=True, is_superuser=superuser
    )
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def queued(monkeypatch):
    """Publishing without a worker: each task is recorded as sent (as the broker's publish
    hook records it) and then waits; the list holds what was published."""
    from core.task_sent import record_task_sent
    from curricula.tasks import recompute_coverage
    from suggestions.tasks import generate_suggestions

    published = []

    def publisher(task):
        def apply_async(*args, task_id=None, **kwargs):
            task_id = task_id or str(uuid.uuid4())
            record_task_sent(sender=task.name, headers={"id": task_id})
            published.append((task.name, task_id, kwargs.get("kwargs")))

        return apply_async

    for task in (generate_suggestions, recompute_coverage):
        monkeypatch.setattr(task, "apply_async", publisher(task))
    return published


def _finish(task_id: str) -> None:
    from suggestions.tasks import generate_suggestions

    generate_suggestions.backend.store_result(task_id, {"created": 0}, "SUCCESS")


# --- Coalescing: the same job asked for again while it waits or runs --------------------------


def test_generating_the_same_suggestions_again_while_queued_answers_the_same_task(
    staff_client, queued
):
    """Observed: every POST /suggestions/generate/ queued one more job, so a loop (or a
    double click) queued thousands of identical generations. A request identical to one
    still waiting or running now answers 202 with that job's id and status URL."""
    framework, _abilities = small_framework()
    courses = [CourseFactory().pk, CourseFactory().pk]
    body = {"courses": courses, "framework": framework.pk}

    first = staff_client.post("/api/v1/suggestions/generate/", body, format="json")
    again = staff_client.post(
        "/api/v1/suggestions/generate/", {**body, "courses": courses[::-1]}, format="json"
    )

    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json()["task_id"] == first.json()["task_id"]
    assert again["Location"] == first["Location"]
    assert again.json()["status_url"] == first.json()["status_url"]
    assert len(queued) == 1

    other = staff_client.post("/api/v1/suggestions/generate/", {"courses": courses[:1]})
    assert other.json()["task_id"] != first.json()["task_id"]
    assert len(queued) == 2

    _finish(first.json()["task_id"])
    later = staff_client.post("/api/v1/suggestions/generate/", body, format="json")
    assert later.status_code == 202
    assert later.json()["task_id"] != first.json()["task_id"]
    assert len(queued) == 3


def test_recomputing_a_programme_again_while_queued_answers_the_same_task(staff_client, queued):
    programme, other = ProgrammeFactory(), ProgrammeFactory()

    first = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")
    again = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")
    elsewhere = staff_client.post(f"/api/v1/programs/{other.pk}/recompute/")

    assert {first.status_code, again.status_code, elsewhere.status_code} == {202}
    assert again.json()["task_id"] == first.json()["task_id"]
    assert again["Location"] == first["Location"]
    assert elsewhere.json()["task_id"] != first.json()["task_id"]
    assert [name for name, _id, _kwargs in queued] == ["curricula.recompute_coverage"] * 2

    _finish(first.json()["task_id"])
    assert staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/").json()[
        "task_id"
    ] not in (first.json()["task_id"], elsewhere.json()["task_id"])


def test_a_job_run_inline_releases_its_claim_so_the_next_request_runs_again(staff_client):
    """Without a broker (the embedded default) the job runs inside the request and is over by
    the answer: the same request again runs it again, it does not answer the finished task."""
    from core.jobs import task_claim

    programme = ProgrammeFactory()
    first = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")
    assert first.status_code == 202
    assert staff_client.get(first["Location"]).json()["state"] == "SUCCESS"
    assert task_claim(operation="coverage.recompute", scope={"programme": programme.pk}) is None

    again = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")
    assert again.json()["task_id"] != first.json()["task_id"]


@pytest.mark.parametrize("door", ["/api/v1/imports/", "/api/v1/courses/import/?background=true"])
def test_the_same_file_imported_again_while_its_job_waits_answers_the_same_job(staff_client, door):
    """An import job (its status at /imports/{id}/) is joined the same way: the same user's
    same file, format and options while its job is pending or running answers that job."""
    from positions.models import ImportJob, ImportStatus

    content = (MOODLE / "current.csv").read_bytes() if "imports" in door else b"code,title\nK1,A\n"

    def post(data: bytes):
        upload = SimpleUploadedFile("upload.csv", data)
        body = {"file": upload, **({"format": "moodle"} if "imports" in door else {})}
        return staff_client.post(door, body, format="multipart")

    first = post(content)
    again = post(content)
    assert (first.status_code, again.status_code) == (202, 202), again.content
    assert again.json()["id"] == first.json()["id"]
    assert again["Location"] == first["Location"]
    assert ImportJob.objects.count() == 1

    other = post(content + b"\n")
    assert other.json()["id"] != first.json()["id"]

    ImportJob.objects.filter(pk=first.json()["id"]).update(status=ImportStatus.SUCCEEDED)
    later = post(content)
    assert later.json()["id"] not in (first.json()["id"], other.json()["id"])


# --- A rate per user on every door that starts a job ------------------------------------------


def _start(client, door: str):
    if door == "generate":
        return client.post("/api/v1/suggestions/generate/", {"courses": [CourseFactory().pk]})
    if door == "recompute":
        return client.post(f"/api/v1/programs/{ProgrammeFactory().pk}/recompute/")
    if door == "import":
        upload = SimpleUploadedFile("current.csv", (MOODLE / "current.csv").read_bytes())
        return client.post(
            "/api/v1/imports/", {"format": "moodle", "file": upload}, format="multipart"
        )
    upload = SimpleUploadedFile("courses.csv", f"code,title\n{uuid.uuid4().hex[:8]},One\n".encode())
    return client.post("/api/v1/courses/import/?background=true", {"file": upload}, "multipart")


@pytest.mark.parametrize("door", ["generate", "recompute", "import", "background-import"])
def test_a_user_starting_jobs_past_the_rate_is_answered_429_with_retry_after(
    staff_client, django_user_model, monkeypatch, queued, door
):
    """Observed: staff were not throttled at all, so a loop queued jobs without end. Past
    API_JOB_THROTTLE_RATE (per user, all doors together) a door answers 429 saying so, with
    Retry-After; reads and other users go on."""
    from core.api.throttling import JobStartThrottle

    monkeypatch.setattr(JobStartThrottle, "THROTTLE_RATES", {"jobs": "2/hour"})
    assert _start(staff_client, "recompute").status_code == 202
    assert _start(staff_client, door).status_code == 202

    from positions.models import ImportJob

    started = (len(queued), ImportJob.objects.count())
    refused = _start(staff_client, door)

    assert refused.status_code == 429, refused.content
    assert (len(queued), ImportJob.objects.count()) == started
    assert 0 < int(refused["Retry-After"]) <= 3600
    detail = refused.json()["detail"].replace("\xa0", " ")
    assert "started 2 background jobs within 1 hour" in detail
    # Retry-After has the seconds; the words round them up to minutes.
    minutes = math.ceil(int(refused["Retry-After"]) / 60)
    assert detail.endswith(f"Try again in {minutes} minutes.")
    assert staff_client.get("/api/v1/programs/").status_code == 200
    assert staff_client.get("/api/v1/courses/").status_code == 200
    other = _client_with(
        django_user_model, "change_programme", "add_courseability", username="other"
    )
    assert _start(other, "recompute").status_code == 202


def test_the_job_rate_is_a_setting_with_a_documented_default():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["jobs"] == "60/hour"


def test_the_429_of_every_door_that_starts_a_job_is_in_the_schema(schema):
    for path, method in (
        ("/api/v1/suggestions/generate/", "post"),
        ("/api/v1/programs/{id}/recompute/", "post"),
        ("/api/v1/imports/", "post"),
        ("/api/v1/courses/import/", "post"),
        ("/api/v1/course-abilities/import/", "post"),
        ("/api/v1/requirements/import/", "post"),
    ):
        responses = schema["paths"][path][method]["responses"]
        assert "429" in responses, path
        assert "API_JOB_THROTTLE_RATE" in responses["429"]["description"], path
        assert "Retry-After" in responses["429"]["headers"], path


# --- A task's status is for its starter ------------------------------------------------------


def test_a_tasks_status_is_for_its_starter_superusers_and_staff_with_its_permission(
    django_user_model, queued
):
    """Observed: GET /api/v1/tasks/{id}/ answered any staff member with any task's state and
    result. It now answers the user who started it, a superuser, or staff holding the
    permission the task's operation needs; anyone else a 404, as for an unknown id."""
    starter = _client_with(django_user_model, "add_requirement", username="starter")
    position = PositionFactory()
    started = starter.post("/api/v1/suggestions/generate/", {"positions": [position.pk]})
    assert started.status_code == 202
    url = started["Location"]

    assert starter.get(url).status_code == 200
    assert (
        _client_with(django_user_model, username="boss", superuser=True).get(url).json()["state"]
        == "SENT"
    )
    assert (
        _client_with(django_user_model, "add_requirement", username="colleague")
        .get(url)
        .status_code
        == 200
    )
    stranger = _client_with(
        django_user_model, "add_courseability", "change_programme", username="stranger"
    )
    refused = stranger.get(url)
    assert refused.status_code == 404
    assert refused.json() == stranger.get(f"/api/v1/tasks/{uuid.uuid4()}/").json()


def test_a_task_nobody_recorded_starting_is_a_404_but_for_superusers(
    staff_client, django_user_model
):
    """A task not started through the API (the sweep, a command) has no starter to read it."""
    from curricula.tasks import recompute_coverage

    task_id = str(uuid.uuid4())
    recompute_coverage.backend.store_result(task_id, {"rebuilt": [7]}, "SUCCESS")
    url = f"/api/v1/tasks/{task_id}/"

    assert staff_client.get(url).status_code == 404
    boss = _client_with(django_user_model, username="boss", superuser=True)
    assert boss.get(url).json()["result"] == {"rebuilt": [7]}
