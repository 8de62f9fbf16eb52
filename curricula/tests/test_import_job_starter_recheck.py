"""Observed: a course catalogue import started as a background job (alone, or into a
programme) was checked at its door only. A staff account deactivated, or stripped of a
permission the import writes with, after starting it (a queued job on a busy worker waits
minutes) still had the catalogue written in its name, its name in the courses' history. The job
now asks again when it begins to run (core.jobs.starter_refusal, with the permissions its door
asks, positions.importers.import_permissions): the account must still be active staff holding
them, else the job writes nothing and fails, its report saying why, at its status URL and on
its admin page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import deactivate, take_permission
from curricula.models import Course, ProgrammeCourse
from curricula.tests.factories import ProgrammeFactory
from positions.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/courses/import/"
CATALOGUE = "code,title\nNEW101,Surveying\nNEW102,Structural Mechanics\n"


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _started(client, captured, **data):
    """The import started as a job, its task not yet run: returns the answer and the callbacks
    that enqueue it (run inline) once called."""
    upload = SimpleUploadedFile("catalogue.csv", CATALOGUE.encode(), content_type="text/csv")
    with captured() as callbacks:
        response = client.post(
            IMPORT, {"file": upload, "background": "true", **data}, format="multipart"
        )
    assert response.status_code == 202, response.content
    return response, callbacks


@pytest.mark.parametrize("into_programme", [False, True], ids=["alone", "into-a-programme"])
def test_an_import_job_whose_starter_was_deactivated_meanwhile_writes_nothing_and_fails(
    staff_client,
    staff_user,
    admin_client,
    django_capture_on_commit_callbacks,
    into_programme,
):
    programme = ProgrammeFactory() if into_programme else None
    data = {"programme": programme.pk} if programme else {}
    response, enqueue = _started(staff_client, django_capture_on_commit_callbacks, **data)

    deactivate(staff_user)
    for callback in enqueue:
        callback()

    job = admin_client.get(response["Location"]).json()
    assert job["status"] == ImportStatus.FAILED, job
    assert job["report"]["error"]["message"] == (
        "the account that started this job, staff, has been deactivated since; nothing was written"
    )
    assert not Course.objects.exists()
    assert not ProgrammeCourse.objects.exists()


@pytest.mark.parametrize(
    ("into_programme", "codename"),
    [(False, "add_course"), (True, "change_programme")],
    ids=["alone", "into-a-programme"],
)
def test_an_import_job_whose_starter_lost_a_permission_meanwhile_writes_nothing_and_says_so(
    staff_client, staff_user, django_capture_on_commit_callbacks, into_programme, codename
):
    programme = ProgrammeFactory() if into_programme else None
    data = {"programme": programme.pk} if programme else {}
    response, enqueue = _started(staff_client, django_capture_on_commit_callbacks, **data)

    take_permission(staff_user, codename)
    for callback in enqueue:
        callback()

    # Still staff who may read import jobs, the starter reads its own and learns why.
    job = staff_client.get(response["Location"]).json()
    assert job["status"] == ImportStatus.FAILED, job
    assert job["report"]["error"]["message"] == (
        f"the account that started this job, staff, no longer holds curricula.{codename}, "
        "which this job takes; nothing was written"
    )
    assert not Course.objects.exists()
    assert not ProgrammeCourse.objects.exists()


def test_the_admin_page_of_a_refused_import_job_says_why_it_failed(
    staff_client, staff_user, admin_client, django_capture_on_commit_callbacks
):
    _response, enqueue = _started(staff_client, django_capture_on_commit_callbacks)
    deactivate(staff_user)
    for callback in enqueue:
        callback()

    job = ImportJob.objects.get()
    page = admin_client.get(reverse("admin:curricula_course_import_job", args=[job.pk]))

    assert page.status_code == 200
    assert (
        "the account that started this job, staff, has been deactivated since; nothing was written"
    ) in page.content.decode()


@pytest.mark.parametrize("into_programme", [False, True], ids=["alone", "into-a-programme"])
def test_an_import_job_whose_starter_still_may_runs(
    staff_client, django_capture_on_commit_callbacks, into_programme
):
    programme = ProgrammeFactory() if into_programme else None
    data = {"programme": programme.pk} if programme else {}
    response, enqueue = _started(staff_client, django_capture_on_commit_callbacks, **data)
    for callback in enqueue:
        callback()

    job = staff_client.get(response["Location"]).json()
    assert job["status"] == ImportStatus.SUCCEEDED, job
    assert Course.objects.filter(code__in=["NEW101", "NEW102"]).count() == 2
    assert ProgrammeCourse.objects.count() == (2 if into_programme else 0)
