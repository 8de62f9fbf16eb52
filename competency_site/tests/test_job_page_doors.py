"""The doors outside the API that start a background job (a review page's and the catalogue's
"Generate suggestions", the admin's large catalogue or link file, the admin's framework upload)
count against the API's job rate (API_JOB_THROTTLE_RATE), in the same count per user: past it
the page says so and when to try again, and nothing is started."""

import math
import uuid
from pathlib import Path

import pytest
from django.contrib.messages import ERROR, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from competency_site.tests import test_job_doors
from curricula.tests.factories import CourseFactory
from positions.models import ImportJob
from suggestions.tests.factories import small_framework

pytestmark = pytest.mark.django_db
MOODLE = Path(__file__).resolve().parents[2] / "positions" / "tests" / "fixtures" / "moodle"
DOORS = ["review", "catalogue", "admin-catalogue", "admin-framework"]
# Tasks published without a worker (the list of them), and a job started through the API.
queued = test_job_doors.queued
_start_at_the_api = test_job_doors._start


@pytest.fixture
def two_an_hour(monkeypatch, settings, tmp_path):
    from core.api.throttling import JobStartThrottle

    monkeypatch.setattr(JobStartThrottle, "THROTTLE_RATES", {"jobs": "2/hour"})
    settings.ADMIN_IMPORT_INLINE_ROWS = 2
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    small_framework()
    return CourseFactory()


def _start(client, door: str, course, **headers):
    """Ask `door` for a job; returns the answer and the page it goes back to when refused."""
    if door == "review":
        body = {"scope": f"course:{course.pk}"}
        back = reverse("suggestions:course-review", args=[course.pk])
        return client.post(reverse("suggestions:generate"), body, headers=headers), back
    if door == "catalogue":
        url = reverse("suggestions:catalogue-generate")
        return client.post(url, headers=headers), reverse("home")
    if door == "admin-catalogue":
        rows = "".join(f"{uuid.uuid4().hex[:8]},Course {n}\n" for n in range(3))
        upload = SimpleUploadedFile("courses.csv", f"code,title\n{rows}".encode())
        url = reverse("admin:curricula_course_import")
        body = {"format": "0", "import_file": upload}
        return client.post(url, body, headers=headers), url
    upload = SimpleUploadedFile("current.csv", (MOODLE / "current.csv").read_bytes())
    url = reverse("admin:positions_importjob_add")
    return client.post(url, {"format": "moodle", "upload": upload}, headers=headers), url


def _started(queued) -> tuple[int, int]:
    return len(queued), ImportJob.objects.count()


@pytest.mark.parametrize("door", DOORS)
def test_past_the_job_rate_a_page_says_when_to_try_again_and_starts_nothing(
    client, staff_user, two_an_hour, queued, door
):
    """Observed: the pages' generate buttons and the admin's background imports started jobs
    without limit, while the API answers 429 past API_JOB_THROTTLE_RATE; and each door kept
    its own count, so both together doubled a user's budget. One job through the API and one
    through the page use the two an hour; the next is refused, on the page, with when."""
    api = APIClient()
    api.force_authenticate(staff_user)
    client.force_login(staff_user)
    assert _start_at_the_api(api, "recompute").status_code == 202
    first, _back = _start(client, door, two_an_hour)
    assert first.status_code == 302, first.content[:500]
    started = _started(queued)
    assert started != (0, 0)

    refused, back = _start(client, door, two_an_hour)

    assert _started(queued) == started
    assert refused.status_code == 302
    assert refused["Location"] == back
    [message] = get_messages(refused.wsgi_request)
    assert message.level == ERROR
    text = str(message).replace("\xa0", " ")
    assert "You have started 2 background jobs within 1 hour" in text
    assert "nothing was started" in text
    # An hour's window: the wait is in minutes, as a person reads it.
    assert text.endswith(" minutes.")
    assert "Try again in " in text
    minutes = int(text.rsplit("Try again in ", 1)[1].split()[0])
    assert 0 < minutes <= 60


@pytest.mark.parametrize("door", DOORS)
def test_jobs_started_from_the_pages_count_at_the_api_too(
    client, staff_user, two_an_hour, queued, door
):
    api = APIClient()
    api.force_authenticate(staff_user)
    client.force_login(staff_user)
    assert _start(client, door, two_an_hour)[0].status_code == 302
    assert _start(client, door, two_an_hour)[0].status_code == 302
    assert _start_at_the_api(api, "recompute").status_code == 429


def test_a_script_s_post_past_the_rate_is_a_429_with_retry_after(
    client, staff_user, two_an_hour, queued
):
    """htmx (HX-Request) or fetch (Sec-Fetch-Mode other than navigate) gets the status to act
    on, with the words; nothing is left in the messages for a later page."""
    client.force_login(staff_user)
    for _ in range(2):
        assert _start(client, "review", two_an_hour)[0].status_code == 302
    started = _started(queued)
    for headers in ({"HX-Request": "true"}, {"Sec-Fetch-Mode": "same-origin"}):
        refused, _back = _start(client, "review", two_an_hour, **headers)
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 3600
        minutes = math.ceil(int(refused["Retry-After"]) / 60)
        assert f"Try again in {minutes} minutes." in refused.content.decode()
        assert list(get_messages(refused.wsgi_request)) == []
    assert _started(queued) == started


def test_another_user_is_not_held_back_and_reads_are_not_counted(
    client, staff_user, django_user_model, two_an_hour, queued
):
    from django.contrib.auth.models import Permission

    client.force_login(staff_user)
    review = reverse("suggestions:course-review", args=[two_an_hour.pk])
    for _ in range(3):
        assert client.get(review).status_code == 200
    assert _start(client, "review", two_an_hour)[0]["Location"].startswith(f"{review}?job=")
    assert _start(client, "review", two_an_hour)[0]["Location"].startswith(f"{review}?job=")
    assert _start(client, "review", two_an_hour)[0]["Location"] == review
    other = django_user_model.objects.create_user(username="other", password="p", is_staff=True)
    other.user_permissions.set(Permission.objects.filter(codename="add_courseability"))
    client.force_login(other)
    assert _start(client, "review", two_an_hour)[0]["Location"].startswith(f"{review}?job=")
