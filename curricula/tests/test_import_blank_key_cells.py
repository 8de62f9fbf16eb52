"""Observed (trying the course catalogue import as a new administrator): a row whose code or
title cell is blank, the column being there, was refused with "This column is required." at
every door (the admin's preview, the API's report, import_courses, a background job), as if the
file lacked the column. The column is there; the cell is empty: each door now says what to give
the course, on its line, and a requirement's blank position cell likewise."""

import csv
import html
import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from curricula.services import course_catalogue_import, requirement_import
from positions.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

GIVE_CODE = "Give the course a code."
GIVE_TITLE = "Give the course a title (title or title_zh)."
GIVE_POSITION = "Give the position (its code or name)."
REQUIRED = "This column is required."

BLANK_CELLS = "code,title,credits\nK1,Databases,3\n,Networks,3\nK3,,2\nK4,  ,2\n"
BLANK_ERRORS = [
    {"line": 3, "errors": {"code": [GIVE_CODE]}},
    {"line": 4, "errors": {"title": [GIVE_TITLE]}},
    {"line": 5, "errors": {"title": [GIVE_TITLE]}},
]


def test_the_service_says_what_to_give_a_course_with_a_blank_code_or_title_on_its_line():
    report = course_catalogue_import(content=BLANK_CELLS.encode(), file_name="c.csv")

    assert report.errors == BLANK_ERRORS


def test_a_catalogue_naming_only_the_chinese_title_says_it_of_that_column():
    report = course_catalogue_import(
        content="code,title_zh\nK1,数据库\nK2,\n".encode(), file_name="c.csv"
    )

    assert report.errors == [{"line": 3, "errors": {"title_zh": [GIVE_TITLE]}}]


def test_the_api_report_says_it(staff_client):
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("c.csv", BLANK_CELLS.encode())},
        format="multipart",
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == BLANK_ERRORS


def test_the_admin_preview_says_it(admin_client):
    upload = SimpleUploadedFile("c.csv", BLANK_CELLS.encode(), content_type="text/csv")
    response = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    )
    page = html.unescape(response.content.decode())

    assert GIVE_CODE in page
    assert GIVE_TITLE in page
    assert REQUIRED not in page


def test_the_command_says_it(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(BLANK_CELLS, encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError):
        call_command("import_courses", str(path), stdout=StringIO(), stderr=err)

    said = err.getvalue()
    assert f"line 3: code: {GIVE_CODE}" in said, said
    assert f"line 4: title: {GIVE_TITLE}" in said, said
    assert REQUIRED not in said


def test_a_background_job_says_it(
    admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["code", "title"], ["K1", "Databases"], ["K2", ""]])
    upload = SimpleUploadedFile("catalogue.csv", buffer.getvalue().encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
        )
    assert response.status_code == 302

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED, job.report
    assert job.report["error"]["message"] == f"title: {GIVE_TITLE}"
    assert job.report["error"]["where"] == "line 3"


def test_a_requirement_with_a_blank_position_cell_says_to_give_the_position():
    report = requirement_import(
        content=b"position,ability,min_level\n,A1,I\n", file_name="r.csv", dry_run=True
    )

    assert report.errors[0]["line"] == 2
    assert report.errors[0]["errors"]["position"] == [GIVE_POSITION]
