"""An import job started while the task queue (the Celery broker, Redis) is down.

Observed on the production configuration with Redis unreachable: POST /api/v1/courses/import/
?background=true answered Django's HTML 500 page after 19 seconds (the result backend retried a
dead Redis twenty times), and left a pending job no worker or sweep would ever run. Every door
now asks the broker first: the API answers 503 in JSON, the admin says so, nothing is stored. A
broker lost between that check and the enqueue fails the job with the reason, instead of a 500
over a job left pending for ever.
"""

import logging
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from kombu.exceptions import OperationalError

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from core.exceptions import RETRY_AFTER_SECONDS
from positions import tasks
from positions.models import ImportJob, ImportStatus

FIXTURES = Path(__file__).parent / "fixtures"
CATALOGUE = b"code,title,credits\nOPS101,Operations,3\n"


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _case_upload():
    name = "package_1_1.json"
    return SimpleUploadedFile(name, (FIXTURES / "case" / name).read_bytes())


@pytest.mark.django_db
def test_api_framework_import_answers_503_and_stores_nothing(staff_client, broker_down):
    response = staff_client.post(
        "/api/v1/imports/", {"file": _case_upload(), "format": "case"}, format="multipart"
    )
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert "task queue is unreachable" in response.json()["detail"]
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_api_background_catalogue_import_answers_503_and_stores_nothing(staff_client, broker_down):
    response = staff_client.post(
        "/api/v1/courses/import/?background=true",
        {"file": SimpleUploadedFile("courses.csv", CATALOGUE)},
        format="multipart",
    )
    assert response.status_code == 503, response.content[:300]
    assert "task queue is unreachable" in response.json()["detail"]
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_admin_framework_import_says_the_queue_is_down(admin_client, broker_down):
    response = admin_client.post(
        reverse("admin:positions_importjob_add"),
        {"format": "case", "upload": _case_upload(), "min_level": ""},
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "task queue is unreachable" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_admin_background_catalogue_import_says_the_queue_is_down(
    admin_client, broker_down, settings
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 0
    response = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": SimpleUploadedFile("courses.csv", CATALOGUE)},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any("task queue is unreachable" in message for message in messages), messages
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_the_queue_refuses_after_the_check_is_failed_with_the_reason(
    staff_client, monkeypatch, caplog
):
    """The broker answered the check, then went away before the job was enqueued. (Committed
    for real: the enqueue runs when the service's transaction commits, before the answer.)"""

    def refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.import_job_run, "delay", refused)
    caplog.set_level(logging.WARNING, logger="positions.services")
    response = staff_client.post(
        "/api/v1/imports/", {"file": _case_upload(), "format": "case"}, format="multipart"
    )
    assert response.status_code == 202, response.content[:300]
    job = ImportJob.objects.get()
    assert response.json()["status"] == ImportStatus.FAILED
    assert job.status == ImportStatus.FAILED
    assert "task queue" in job.report["error"]["message"]
    assert f"Could not enqueue import job {job.pk}" in caplog.text


@pytest.mark.django_db
def test_api_refusal_is_logged_as_one_warning_line_and_no_error(staff_client, broker_down, caplog):
    """README: one WARNING line (logger core.queue) per refusal, not also Django's ERROR line
    `Service Unavailable: /api/v1/imports/` (which mails the admins where ADMINS is set)."""
    with caplog.at_level(logging.WARNING):
        response = staff_client.post(
            "/api/v1/imports/", {"file": _case_upload(), "format": "case"}, format="multipart"
        )
    assert response.status_code == 503
    logged = [(r.name, r.levelname) for r in caplog.records if r.levelno >= logging.WARNING]
    assert logged == [("core.queue", "WARNING")]
