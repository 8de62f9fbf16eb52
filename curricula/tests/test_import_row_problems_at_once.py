"""A line of an import with several problems reports them all at once. Observed (a catalogue
with a course code given twice, on a line whose credits also read "three"): the report named the
credits alone, and the code given twice only once the credits were fixed and the file imported
again. The report keeps its shape: problems by line, messages by column."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.services import course_ability_import, course_catalogue_import
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory, level

pytestmark = pytest.mark.django_db

TWICE = b"code,title,credits\nC1,One,1\nC1,Again,three\nC2,,three\n"


def test_a_code_given_twice_is_reported_with_the_line_s_other_problems():
    report = course_catalogue_import(content=TWICE, file_name="c.csv", dry_run=True)
    by_line = {error["line"]: error["errors"] for error in report.errors}
    assert set(by_line) == {3, 4}
    assert set(by_line[3]) == {"code", "credits"}
    assert "Line 2 already gives this course code" in by_line[3]["code"][0]
    assert "three" in by_line[3]["credits"][0]
    assert set(by_line[4]) == {"title", "credits"}
    assert all(isinstance(messages, list) for messages in by_line[3].values())


def test_the_api_report_and_the_admin_table_show_them_all(
    staff_client, admin_client, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = SimpleUploadedFile("c.csv", TWICE)
    response = staff_client.post("/api/v1/courses/import/", {"file": upload}, format="multipart")
    (line_3,) = [error for error in response.json()["errors"] if error["line"] == 3]
    assert set(line_3["errors"]) == {"code", "credits"}

    page = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": SimpleUploadedFile("c.csv", TWICE)},
    )
    (row,) = [row for row in page.context["result"].invalid_rows if row.number == 3]
    assert set(row.field_specific_errors) == {"code", "credits"}


def test_a_cell_that_cannot_be_stored_is_reported_with_the_line_s_other_problems():
    content = b"code,title,description,credits\nC1,One,bad\x00cell,three\n"
    report = course_catalogue_import(content=content, file_name="c.csv", dry_run=True)
    (error,) = report.errors
    assert set(error["errors"]) == {"description", "credits"}


def test_a_link_given_twice_is_reported_with_its_level_problem():
    framework = FrameworkFactory(name="Shop skills")
    AbilityFactory(framework=framework, code="S1")
    CourseFactory(code="C1")
    level("M")
    content = b"course,framework,ability,level\nC1,Shop skills,S1,M\nC1,Shop skills,S1,Q\n"
    report = course_ability_import(content=content, file_name="l.csv", dry_run=True)
    (error,) = report.errors
    assert error["line"] == 3
    assert set(error["errors"]) == {"ability", "level"}


def test_a_link_cell_that_cannot_be_stored_is_not_looked_up_but_said_with_the_rest():
    """PostgreSQL refuses a query naming a NUL: the cell is reported, the others checked."""
    framework = FrameworkFactory(name="Shop skills")
    AbilityFactory(framework=framework, code="S1")
    level("M")
    content = b"course,framework,ability,level\nC\x001,Shop\x00skills,S1,Q\n"
    report = course_ability_import(content=content, file_name="l.csv", dry_run=True)
    (error,) = report.errors
    assert set(error["errors"]) == {"course", "framework", "level"}
