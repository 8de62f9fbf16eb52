"""A catalogue headed as an English-speaking office heads one (Course Code, Course Title, Course
Description, Learning Outcomes, ECTS) imports through every door, as a Chinese one headed 课程代码
does: the API, `manage.py import_courses` and the admin's preview. The link import reads Course
Code as its course column likewise. A name read this way is a name of its column: a file naming
the column twice, as `code` and as `Course Code`, is refused as any column named twice."""

import io
import json
from io import StringIO

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from curricula.models import Course, CourseAbility
from curricula.services import course_ability_import, course_catalogue_import
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

HEADER = ["Course Code", "Course Title", "Course Description", "Learning Outcomes", "ECTS"]
ROWS = [
    ["MKT101", "Marketing", "Markets and customers.", "Explain segmentation", "5"],
    ["LOG201", "Logistics", "Moving goods.", "Apply routing\nDesign a network", "7,5"],
]


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_catalogue_headed_course_code_course_title_imports_through_the_api(staff_client):
    """Observed: the usual English headers of a registry's export were refused as lacking the
    columns code and title, the file's own names for them unread."""
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("catalogue.xlsx", _xlsx([HEADER, *ROWS]))},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["ignored_columns"] == []
    course = Course.objects.get(code="LOG201")
    assert (course.title, course.description, str(course.credits)) == (
        "Logistics",
        "Moving goods.",
        "7.5",
    )
    assert course.outcomes == "Apply routing\nDesign a network"


def test_the_command_and_the_admin_preview_read_the_same_headers(admin_client, tmp_path):
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(_xlsx([HEADER, *ROWS]))
    out = StringIO()
    call_command("import_courses", str(path), "--dry-run", "--json", stdout=out)
    assert json.loads(out.getvalue())["created"] == 2

    response = admin_client.post(
        reverse("admin:curricula_course_import"),
        {
            "format": "1",  # xlsx, as the admin's format list orders them
            "import_file": SimpleUploadedFile("catalogue.xlsx", _xlsx([HEADER, *ROWS])),
        },
    )
    assert response.status_code == 200
    assert b"MKT101" in response.content
    assert b"lacks the column" not in response.content


def test_a_column_named_in_english_twice_is_refused_as_named_twice():
    content = _xlsx([["code", "Course Code", "title"], ["A1", "A1", "Accounting"]])
    with pytest.raises(ValidationError) as refused:
        course_catalogue_import(content=content, file_name="twice.xlsx", dry_run=True)
    assert "names the column “code” twice" in str(refused.value)


def test_a_link_file_headed_course_code_names_its_course():
    framework = FrameworkFactory(name="Skills")
    ability = AbilityFactory(framework=framework, code="S1")
    CourseFactory(code="MKT101")
    content = _xlsx(
        [["Course Code", "Framework", "Ability", "Level"], ["MKT101", "Skills", "S1", "R"]]
    )
    result = course_ability_import(content=content, file_name="links.xlsx")
    assert result.errors == [], result.errors
    assert CourseAbility.objects.get(ability=ability).course.code == "MKT101"


@pytest.mark.parametrize(
    "header", ["Credits (ECTS)", "ECTS Credits", "Credit Hours", "CREDIT\nPOINTS"]
)
def test_credits_headed_with_their_unit_are_read(header):
    """A header naming the unit, as registries write it (in brackets, or a line break typed in
    the header cell), is the credits column; a misspelt "Credit" still is not (it is named as
    ignored)."""
    content = _xlsx([["code", "title", header, "Credit"], ["K1", "Logistics", "7,5", "x"]])
    report = course_catalogue_import(content=content, file_name="catalogue.xlsx")
    assert report.ok, report.errors
    assert report.ignored_columns == ["Credit"]
    assert str(Course.objects.get(code="K1").credits) == "7.5"
