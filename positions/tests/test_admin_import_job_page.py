"""The admin's framework import job (Import jobs, Add: CASE, ESCO, Moodle, O*NET) is followed on
its own page, as the catalogue's background import is (templates/admin/curricula/import_job.html,
followed by static/js/admin.js).

Observed with a real worker: the upload landed on the job list with "reload its job for the
report", and the job's page stayed "Pending" until reloaded by hand. The upload now lands on the
job's page, which admin.js reads again while the job is pending or running and stops reading once
it is over, its report shown."""

from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from positions import tasks
from positions.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db
CASE = Path(__file__).parent / "fixtures" / "case" / "package_1_1.json"
POLL = 'data-import-job-poll="3"'


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _page(client, job) -> str:
    response = client.get(reverse("admin:positions_importjob_change", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_upload_lands_on_its_job_s_page_which_follows_the_job(
    admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    # A worker takes it later: the job stays pending, as in production.
    monkeypatch.setattr(tasks.import_job_run, "delay", lambda job_id: None)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:positions_importjob_add"),
            {"format": "case", "upload": SimpleUploadedFile(CASE.name, CASE.read_bytes())},
        )

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PENDING
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:positions_importjob_change", args=[job.pk])
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "reload" not in message
    assert CASE.name in message
    page = _page(admin_client, job)
    assert POLL in page
    # Without JavaScript, a link reads it again.
    assert gettext("Check again") in page


@pytest.mark.parametrize("status", [ImportStatus.PENDING, ImportStatus.RUNNING])
def test_a_job_not_over_has_a_page_that_reads_itself_again(admin_client, status):
    job = ImportJob.objects.create(
        format="case", source_name="framework.json", path="/nowhere.json", status=status
    )

    page = _page(admin_client, job)

    assert POLL in page
    assert f'data-status="{status}"' in page
    # What admin.js says to screen readers when it changes, and where.
    assert "data-import-job-news" in page
    assert "data-import-job-said" in page
    assert 'http-equiv="refresh"' not in page


@pytest.mark.parametrize("status", [ImportStatus.SUCCEEDED, ImportStatus.FAILED])
def test_a_job_over_serves_its_report_and_stops_reading_itself(admin_client, status):
    report = (
        {"ok": True, "counts": {"ability": {"created": 7, "updated": 0}}}
        if status == ImportStatus.SUCCEEDED
        else {"ok": False, "error": {"where": "line 4", "message": "no such ability"}}
    )
    job = ImportJob.objects.create(
        format="case",
        source_name="framework.json",
        path="/nowhere.json",
        status=status,
        report=report,
    )

    page = _page(admin_client, job)

    # admin.js stops once the page it read again has no poll attribute.
    assert "data-import-job-poll" not in page
    assert f'data-status="{status}"' in page
    assert gettext("Check again") not in page
    if status == ImportStatus.SUCCEEDED:
        assert "7 created" in page
    else:
        assert "line 4" in page
        assert "no such ability" in page
