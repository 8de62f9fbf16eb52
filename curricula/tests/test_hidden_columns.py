"""Columns hidden in a workbook (hidden by hand, folded in an outline) are read like the others,
as the same sheet saved as CSV would be, but never unsaid, as hidden rows are named
(test_hidden_rows). Observed: a registrar hid the credits column of a catalogue to print it and
uploaded it; the credits went in and nothing said the import read a column nobody could see.
Every door (the API, the command, the admin's preview and message, a background job) now names
the hidden columns it reads by their header, before (a dry run, the preview) and after the
import; a hidden column the import does not read is named as left out, as before."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from core.spreadsheets import HiddenColumns
from core.xlsx import xlsx_dataset
from curricula.models import Course, CourseAbility
from curricula.services import course_catalogue_import
from curricula.tests.admin_import_doors import imported_in_the_background, previewed_and_confirmed
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

NOTE = (
    "2 columns hidden in the sheet are read like the others: “Credits”, “language”. Delete "
    "them from the sheet if they should not be imported."
)


def _catalogue() -> bytes:
    """A catalogue whose credits and language columns are hidden (C by hand, D-E in one element:
    D the language, E a column the import does not read)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "title", "Credits", "language", "semester"])
    for n in range(1, 4):
        sheet.append([f"C{n}", f"Course {n}", 3, "en", "autumn"])
    sheet.column_dimensions["C"].hidden = True
    # One <col> element over two columns (min 4, max 5), as Excel writes adjacent ones.
    sheet.column_dimensions.group("D", "E", hidden=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_workbook_reader_names_the_hidden_columns_of_the_table():
    dataset = xlsx_dataset(_catalogue())
    assert dataset.hidden_column_indexes == [2, 3, 4]
    book = Workbook()
    book.active.append(["code", "title"])
    out = io.BytesIO()
    book.save(out)
    assert xlsx_dataset(out.getvalue()).hidden_column_indexes == []


def test_hidden_columns_are_imported_and_named_in_the_report():
    report = course_catalogue_import(content=_catalogue(), file_name="courses.xlsx")
    assert report.ok, report.errors
    assert report.workbook_notes == [HiddenColumns(("Credits", "language"))]
    assert report.as_dict()["hidden_columns"] == ["Credits", "language"]
    assert report.ignored_columns == ["semester"]
    assert set(Course.objects.values_list("credits", "language")) == {(3, "en")}


def test_a_csv_has_no_hidden_columns():
    report = course_catalogue_import(content=b"code,title\nC1,One\n", file_name="courses.csv")
    assert report.as_dict()["hidden_columns"] == []


def test_the_api_names_the_hidden_columns_on_a_dry_run(staff_client):
    upload = SimpleUploadedFile("courses.xlsx", _catalogue())
    response = staff_client.post(
        "/api/v1/courses/import/", {"file": upload, "dry_run": "true"}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["hidden_columns"] == ["Credits", "language"]
    assert not Course.objects.exists()


def test_the_command_names_the_hidden_columns(tmp_path):
    path = tmp_path / "courses.xlsx"
    path.write_bytes(_catalogue())
    out, err = io.StringIO(), io.StringIO()
    call_command("import_courses", str(path), "--dry-run", stdout=out, stderr=err)
    assert NOTE in err.getvalue()
    assert not Course.objects.exists()

    out, err = io.StringIO(), io.StringIO()
    call_command("import_courses", str(path), "--json", stdout=out, stderr=err)
    assert json.loads(out.getvalue())["hidden_columns"] == ["Credits", "language"]
    assert NOTE not in err.getvalue()
    assert Course.objects.count() == 3


def test_the_admin_names_the_hidden_columns_in_the_preview_and_after_the_confirm_step(
    admin_client, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = SimpleUploadedFile("courses.xlsx", _catalogue())
    preview, messages = previewed_and_confirmed(admin_client, upload)
    assert NOTE in preview
    assert Course.objects.count() == 3
    assert NOTE in messages


def test_a_background_import_names_the_hidden_columns_on_its_page(
    admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("courses.xlsx", _catalogue())
    job, page = imported_in_the_background(
        admin_client, settings, tmp_path, django_capture_on_commit_callbacks, upload
    )
    assert job.report["details"]["hidden_columns"] == ["Credits", "language"]
    assert NOTE in page


def test_a_hidden_column_is_named_as_its_header_writes_it(tmp_path):
    """By its header as written (a Chinese one), in the singular."""
    book = Workbook()
    sheet = book.active
    sheet.append(["课程代码", "课程名称", "学分"])
    sheet.append(["C1", "数据库", 3])
    sheet.column_dimensions["C"].hidden = True
    path = tmp_path / "courses.xlsx"
    book.save(path)
    err = io.StringIO()
    call_command("import_courses", str(path), "--dry-run", stderr=err)
    assert (
        "1 column hidden in the sheet is read like the others: “学分”. Delete it from the sheet "
        "if it should not be imported."
    ) in err.getvalue()


def test_the_link_import_names_hidden_columns_too(staff_client):
    """The links' import reads workbooks the same way (curricula.resources.LineNumberedImport)."""
    framework = FrameworkFactory()
    AbilityFactory(framework=framework, code="A1")
    CourseFactory(code="C1")
    book = Workbook()
    sheet = book.active
    sheet.append(["course", "framework", "ability", "level", "note"])
    sheet.append(["C1", str(framework.identifier), "A1", "M", "a note nobody saw"])
    sheet.column_dimensions["E"].hidden = True
    out = io.BytesIO()
    book.save(out)

    response = staff_client.post(
        "/api/v1/course-abilities/import/",
        {"file": SimpleUploadedFile("links.xlsx", out.getvalue())},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    assert response.json()["hidden_columns"] == ["note"]
    assert CourseAbility.objects.get().note == "a note nobody saw"
