"""An Excel workbook whose name says .csv (renamed by hand, or saved by a tool that kept the old
name) is read as the workbook it is, at every door: observed "The file is not CSV text but a
binary file (…): save the table as CSV UTF-8 or as an Excel workbook (.xlsx)", of a file that is
one. A zip that is no workbook (a Word document) is still refused."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from curricula.models import Course, CourseAbility
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory

pytestmark = pytest.mark.django_db


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CATALOGUE = _workbook([["code", "title", "credits"], ["X1", "Databases", 3]])


def test_the_api_imports_it_inside_the_request_and_in_the_background(staff_client):
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("courses.csv", CATALOGUE)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert Course.objects.get(code="X1").title == "Databases"
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("courses.csv", CATALOGUE), "background": "true"},
        format="multipart",
    )
    assert response.status_code == 202, response.content


def test_the_command_imports_it(tmp_path):
    path = tmp_path / "courses.csv"
    path.write_bytes(CATALOGUE)
    call_command("import_courses", str(path), stdout=io.StringIO())
    assert Course.objects.get(code="X1").credits == 3


def test_the_admin_previews_it(admin_client):
    response = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": SimpleUploadedFile("courses.csv", CATALOGUE)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context.get("confirm_form") is not None, response.context["form"].errors
    assert "X1" in html
    assert "binary file" not in html


def test_the_link_import_reads_it(staff_client):
    course = CourseFactory(code="L1")
    ability = AbilityFactory(code="AB1")
    links = _workbook(
        [
            ["course_code", "framework", "ability_code", "level"],
            ["L1", ability.framework.name, "AB1", "R"],
        ]
    )
    response = staff_client.post(
        "/api/v1/course-abilities/import/",
        {"file": SimpleUploadedFile("links.csv", links)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert CourseAbility.objects.get(course=course, ability=ability).level.code == "R"


def test_a_zip_that_is_no_workbook_is_still_refused(staff_client):
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("courses.csv", buffer.getvalue())},
        format="multipart",
    )
    assert response.status_code == 400
    assert "not CSV text but a binary file" in response.json()["file"][0]
