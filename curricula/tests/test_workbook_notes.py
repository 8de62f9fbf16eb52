"""What an import says of a workbook (its hidden rows, its hidden columns) is one list of notes,
core.spreadsheets.WORKBOOK_NOTES, said once by each door: the API and `import_courses --json`
(a list under each note's key), the command's messages, the admin's preview and its messages
after the confirm step, and a background job's report and page. So every door says the notes in
the same order (the rows, then the columns), a job's report stored before a kind of note existed
still shows the notes it has, and a new kind of note is said by every door once it is listed."""

import io
import json
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from core import spreadsheets
from core.spreadsheets import WorkbookNote
from curricula.tests.admin_import_doors import imported_in_the_background, previewed_and_confirmed
from positions.models import ImportFormat, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

ROWS = (
    "1 row hidden in the sheet (by a filter or by hand) is read like the others: line 3. "
    "Delete it from the sheet if it should not be imported."
)
COLUMNS = (
    "1 column hidden in the sheet is read like the others: “credits”. Delete it from the "
    "sheet if it should not be imported."
)


def _catalogue() -> bytes:
    """A catalogue on the first of two sheets that hides its second course and its credits."""
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "title", "credits"])
    sheet.append(["C1", "Course 1", 3])
    sheet.append(["C2", "Course 2", 4])
    sheet.append(["C3", "Course 3", 5])
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["C"].hidden = True
    book.create_sheet("Read me")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class OtherSheets(WorkbookNote):
    """A third kind of note, as one might be added: the workbook's other sheets."""

    key = "other_sheets"

    @classmethod
    def found(cls, dataset, *, read_columns):
        return cls(tuple(getattr(dataset, "other_sheets", ())))

    def __str__(self) -> str:
        return "Not read: the sheet(s) " + ", ".join(self.items) + "."


SHEETS = "Not read: the sheet(s) Read me."


def _in_order(text: str, *notes: str) -> bool:
    return all(note in text for note in notes) and sorted(notes, key=text.index) == list(notes)


def _command(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_courses", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_every_door_says_the_hidden_rows_then_the_hidden_columns(
    admin_client, staff_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "courses.xlsx"
    path.write_bytes(_catalogue())
    assert _in_order(_command(path, "--dry-run")[1], ROWS, COLUMNS)
    data = json.loads(_command(path, "--dry-run", "--json")[0])
    assert list(data)[-4:] == [
        "ignored_columns",
        "lines_above_header",
        "hidden_lines",
        "hidden_columns",
    ]
    assert (data["hidden_lines"], data["hidden_columns"]) == ([3], ["credits"])
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("courses.xlsx", _catalogue()), "dry_run": "true"},
        format="multipart",
    )
    assert (response.json()["hidden_lines"], response.json()["hidden_columns"]) == (
        [3],
        ["credits"],
    )

    settings.MEDIA_ROOT = str(tmp_path)
    preview, messages = previewed_and_confirmed(
        admin_client, SimpleUploadedFile("courses.xlsx", _catalogue())
    )
    assert _in_order(preview, ROWS, COLUMNS)
    assert [m for m in messages if m in (ROWS, COLUMNS)] == [ROWS, COLUMNS]

    ImportJob.objects.all().delete()
    job, page = imported_in_the_background(
        admin_client,
        settings,
        tmp_path,
        django_capture_on_commit_callbacks,
        SimpleUploadedFile("courses.xlsx", _catalogue()),
    )
    assert (job.report["details"]["hidden_lines"], job.report["details"]["hidden_columns"]) == (
        [3],
        ["credits"],
    )
    assert _in_order(page, ROWS, COLUMNS)


@pytest.mark.parametrize(
    ("details", "said"),
    [
        ({}, []),
        # Stored before hidden columns were named.
        ({"hidden_lines": [3]}, [ROWS]),
        ({"hidden_lines": [], "hidden_columns": ["credits"]}, [COLUMNS]),
    ],
)
def test_a_stored_job_report_shows_the_notes_it_holds(admin_client, details, said):
    job = ImportJob.objects.create(
        format=ImportFormat.COURSES,
        path="/nowhere.xlsx",
        status=ImportStatus.SUCCEEDED,
        report={"counts": {}, "details": details},
    )
    page = admin_client.get(reverse("admin:curricula_course_import_job", args=[job.pk]))
    text = " ".join(page.content.decode().split())
    assert [note for note in (ROWS, COLUMNS) if note in text] == said
    assert text.count('class="job-hidden"') == len(said)


def test_a_kind_of_note_listed_once_is_said_at_every_door(
    admin_client, staff_client, settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(spreadsheets, "WORKBOOK_NOTES", (*spreadsheets.WORKBOOK_NOTES, OtherSheets))
    path = tmp_path / "courses.xlsx"
    path.write_bytes(_catalogue())
    assert _in_order(_command(path, "--dry-run")[1], ROWS, COLUMNS, SHEETS)
    assert json.loads(_command(path, "--dry-run", "--json")[0])["other_sheets"] == ["Read me"]
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("courses.csv", b"code,title\nC1,One\n"), "dry_run": "true"},
        format="multipart",
    )
    assert response.json()["other_sheets"] == []

    settings.MEDIA_ROOT = str(tmp_path)
    preview, messages = previewed_and_confirmed(
        admin_client, SimpleUploadedFile("courses.xlsx", _catalogue())
    )
    assert _in_order(preview, ROWS, COLUMNS, SHEETS)
    assert SHEETS in messages

    ImportJob.objects.all().delete()
    job, page = imported_in_the_background(
        admin_client,
        settings,
        tmp_path,
        django_capture_on_commit_callbacks,
        SimpleUploadedFile("courses.xlsx", _catalogue()),
    )
    assert job.report["details"]["other_sheets"] == ["Read me"]
    assert _in_order(page, ROWS, COLUMNS, SHEETS)
