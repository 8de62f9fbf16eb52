"""Issue 15, observed 14: the admin's imports (links and the course catalogue) name the line a
problem is on as a text editor shows it, quoted line breaks and blank lines included, and
refuse a second row for the same link or course instead of silently keeping the last."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.models import Course, CourseAbility
from curricula.services import course_catalogue_import
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory, level


@pytest.fixture
def catalogue(db):
    framework = FrameworkFactory(name="Framework")
    AbilityFactory(framework=framework, code="A1")
    AbilityFactory(framework=framework, code="A2")
    CourseFactory(code="C1")
    level("I")
    return framework


def _preview(client, text: str):
    upload = SimpleUploadedFile("links.csv", text.encode(), content_type="text/csv")
    return client.post(
        reverse("admin:curricula_courseability_import"), {"format": "0", "import_file": upload}
    )


def test_a_bad_row_after_a_multi_line_note_and_a_blank_line_names_its_own_line(
    admin_client, catalogue
):
    text = (
        "course,framework,ability,level,note\n"  # line 1
        'C1,Framework,A1,I,"a note\n'  # line 2
        'over two lines"\n'  # line 3
        "\n"  # line 4
        "C1,Framework,A2,Q,\n"  # line 5
    )

    response = _preview(admin_client, text)

    invalid = {
        row.number: row.field_specific_errors for row in response.context["result"].invalid_rows
    }
    assert set(invalid) == {5}
    assert "level" in invalid[5]
    assert not CourseAbility.objects.exists()


def test_two_rows_for_one_link_are_refused_naming_both_lines(admin_client, catalogue):
    text = (
        "course,framework,ability,level,note\n"
        "C1,Framework,A1,I,first\n"
        "C1,Framework,A2,I,\n"
        "C1,Framework,A1,R,second\n"
    )

    response = _preview(admin_client, text)

    invalid = {
        row.number: row.field_specific_errors for row in response.context["result"].invalid_rows
    }
    assert invalid == {
        4: {"ability": ["Line 2 already gives this course and ability; give each once."]}
    }
    assert not CourseAbility.objects.exists()


def test_a_catalogue_with_one_course_twice_is_refused_and_writes_nothing(db):
    content = (
        b"code,title,description,outcomes,credits,module,stage,language\n"
        b"K1,First,,,,,,\n"
        b'K2,Second,"A description\n'
        b'on two lines",,,,,\n'
        b"K1,First again,,,,,,\n"
    )

    report = course_catalogue_import(content=content, file_name="courses.csv")

    assert not report.ok
    assert [error["line"] for error in report.errors] == [5]
    assert "Line 2 already gives this course code" in str(report.errors[0]["errors"])
    assert not Course.objects.exists()


def test_imported_links_name_their_line_as_their_source(admin_client, catalogue):
    text = (
        'course,framework,ability,level,note\nC1,Framework,A1,I,"two\nlines"\nC1,Framework,A2,I,\n'
    )
    preview = _preview(admin_client, text)
    admin_client.post(
        reverse("admin:curricula_courseability_process_import"),
        preview.context["confirm_form"].initial,
    )

    sources = dict(CourseAbility.objects.values_list("ability__code", "source_ref"))
    assert sources == {"A1": "links.csv, line 2", "A2": "links.csv, line 4"}


def test_a_nul_character_in_a_link_note_is_refused_naming_line_and_column(admin_client, catalogue):
    text = "course,framework,ability,level,note\nC1,Framework,A1,I,\nC1,Framework,A2,I,a\x00b\n"

    response = _preview(admin_client, text)

    result = response.context["result"]
    invalid = {row.number: row.field_specific_errors for row in result.invalid_rows}
    assert invalid == {
        3: {"note": ["This cell contains a NUL character (U+0000), which cannot be stored."]}
    }
    assert not CourseAbility.objects.exists()
