"""Rows hidden in a workbook (filtered out, hidden by hand, folded in an outline) are imported
like the others, as the same sheet saved as CSV would be, but never unsaid. Observed: an
administrator filtered a catalogue to the courses of one semester and uploaded it; the courses
the filter hid went in as well, and nothing said so. Every door (the API, the command, the
admin's preview, a background job) now names the hidden rows by line before (a dry run, the
preview) and after the import."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook
from openpyxl.worksheet.filters import FilterColumn, Filters

from core.limits import line_ranges
from core.spreadsheets import HiddenRows
from core.xlsx import xlsx_dataset
from curricula.models import Course
from curricula.services import course_catalogue_import
from curricula.tests.admin_import_doors import imported_in_the_background, previewed_and_confirmed
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

NOTE = (
    "4 rows hidden in the sheet (by a filter or by hand) are read like the others: lines 3, "
    "5–7. Delete them from the sheet if they should not be imported."  # noqa: RUF001
)


def _catalogue(hidden=(3, 5, 6, 7), rows: int = 8, filtered: bool = True) -> bytes:
    """A catalogue of `rows` sheet rows (the header first), of which `hidden` are hidden, as
    Excel hides the rows its filter leaves out (an autofilter on the semester column)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "title", "semester"])
    for n in range(2, rows + 1):
        sheet.append([f"C{n}", f"Course {n}", "spring" if n in hidden else "autumn"])
    if filtered:
        sheet.auto_filter.ref = f"A1:C{rows}"
        sheet.auto_filter.filterColumn.append(
            FilterColumn(colId=2, filters=Filters(filter=["autumn"]))
        )
    for n in hidden:
        sheet.row_dimensions[n].hidden = True
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_workbook_reader_names_the_hidden_data_rows_by_their_sheet_row():
    dataset = xlsx_dataset(_catalogue(hidden=(3, 5, 6, 7)))
    assert dataset.hidden_lines == [3, 5, 6, 7]
    assert xlsx_dataset(_catalogue(hidden=(), filtered=False)).hidden_lines == []


def test_hidden_rows_are_imported_and_named_in_the_report():
    report = course_catalogue_import(content=_catalogue(), file_name="courses.xlsx")
    assert report.ok, report.errors
    assert report.created == 7
    assert report.workbook_notes == [HiddenRows((3, 5, 6, 7))]
    assert report.as_dict()["hidden_lines"] == [3, 5, 6, 7]
    assert Course.objects.count() == 7


def test_a_csv_has_no_hidden_rows():
    report = course_catalogue_import(content=b"code,title\nC1,One\n", file_name="courses.csv")
    assert report.workbook_notes == []
    assert report.as_dict()["hidden_lines"] == []


def test_the_api_names_the_hidden_rows_on_a_dry_run(staff_client):
    upload = SimpleUploadedFile("courses.xlsx", _catalogue())
    response = staff_client.post(
        "/api/v1/courses/import/", {"file": upload, "dry_run": "true"}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["hidden_lines"] == [3, 5, 6, 7]
    assert not Course.objects.exists()


def test_the_command_names_the_hidden_rows(tmp_path):
    path = tmp_path / "courses.xlsx"
    path.write_bytes(_catalogue())
    out, err = io.StringIO(), io.StringIO()
    call_command("import_courses", str(path), "--dry-run", stdout=out, stderr=err)
    assert NOTE in err.getvalue()
    assert not Course.objects.exists()

    out = io.StringIO()
    call_command("import_courses", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["hidden_lines"] == [3, 5, 6, 7]
    assert Course.objects.count() == 7


def test_the_admin_names_the_hidden_rows_in_the_preview_and_after_the_confirm_step(
    admin_client, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = SimpleUploadedFile("courses.xlsx", _catalogue())
    preview, messages = previewed_and_confirmed(admin_client, upload)
    assert NOTE in preview
    assert Course.objects.count() == 7
    assert NOTE in messages


def test_a_background_import_names_the_hidden_rows_on_its_page(
    admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("courses.xlsx", _catalogue())
    job, page = imported_in_the_background(
        admin_client, settings, tmp_path, django_capture_on_commit_callbacks, upload
    )
    assert job.report["details"]["hidden_lines"] == [3, 5, 6, 7]
    assert NOTE in page


@pytest.mark.parametrize(
    ("lines", "written"),
    [([], ""), ([4], "4"), ([3, 4], "3, 4"), ([2, 3, 4, 8, 10, 11], "2–4, 8, 10, 11")],  # noqa: RUF001
)
def test_lines_are_written_as_runs(lines, written):
    assert line_ranges(lines) == written


def test_the_link_import_names_hidden_rows_too(staff_client):
    """The links' import reads workbooks the same way (curricula.resources.LineNumberedImport)."""
    framework = FrameworkFactory()
    AbilityFactory(framework=framework, code="A1")
    CourseFactory(code="C1")
    CourseFactory(code="C2")
    book = Workbook()
    sheet = book.active
    sheet.append(["course", "framework", "ability", "level"])
    sheet.append(["C1", str(framework.identifier), "A1", "M"])
    sheet.append(["C2", str(framework.identifier), "A1", "R"])
    sheet.row_dimensions[3].hidden = True
    out = io.BytesIO()
    book.save(out)

    response = staff_client.post(
        "/api/v1/course-abilities/import/",
        {"file": SimpleUploadedFile("links.xlsx", out.getvalue()), "dry_run": "true"},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["created"], response.json()["hidden_lines"]) == (2, [3])
