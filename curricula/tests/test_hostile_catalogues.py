"""Catalogue and link files that once broke an import: each is imported in the background as in
the foreground, or refused with a message naming the problem (and its line and column where it
has one), never a 500 and never a job queued only to fail later."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.models import Course
from curricula.services import course_catalogue_import
from positions.importers import framework_import
from positions.models import ImportFormat, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


COURSES = [["code", "title", "credits"], ["K1", "Logistics", 2], ["K2", "Payments", 3.5]]


# --- 1. an XLSX imported in the background --------------------------------------------------------


def test_a_valid_xlsx_catalogue_imports_in_the_background_as_in_the_foreground(
    staff_client, django_capture_on_commit_callbacks
):
    """Observed: the job read the XLSX as a zip of files (its members: [Content_Types].xml,
    xl/workbook.xml, ...) and failed it as "not one CSV or XLSX file", where the request-time
    import of the same file succeeded."""
    content = _xlsx(COURSES)
    foreground = staff_client.post(
        "/api/v1/courses/import/?dry_run=true",
        {"file": SimpleUploadedFile("courses.xlsx", content)},
        format="multipart",
    )
    assert foreground.status_code == 200, foreground.content

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/courses/import/?background=true",
            {"file": SimpleUploadedFile("courses.xlsx", content)},
            format="multipart",
        )

    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert job.report["counts"]["course"]["created"] == 2
    assert dict(Course.objects.values_list("code", "credits")) == {"K1": 2, "K2": Decimal("3.5")}
    assert Course.objects.get(code="K1").source_ref == "courses.xlsx, line 2"


def test_the_task_imports_an_xlsx_file_given_by_path(tmp_path):
    path = tmp_path / "courses.xlsx"
    path.write_bytes(_xlsx(COURSES))

    report = framework_import(path=path, format=ImportFormat.COURSES)

    assert report.ok, report.error
    assert report.counts["course"]["created"] == 2


def test_the_admin_imports_a_large_xlsx_catalogue_in_the_background(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:curricula_course_import"),
            {"format": "1", "import_file": SimpleUploadedFile("courses.xlsx", _xlsx(COURSES))},
        )

    job = ImportJob.objects.get()
    assert response.url == reverse("admin:curricula_course_import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert Course.objects.count() == 2


def test_the_foreground_import_of_the_same_file(staff_user):
    report = course_catalogue_import(content=_xlsx(COURSES), file_name="courses.xlsx")
    assert report.ok, report.errors
