"""Observed by an acceptance reviewer: a catalogue CSV whose `outcomes` cells hold several lines
(one outcome per line, as documented) had a bad credits value in the record Excel shows as row
37, and every door (import_courses, the API, the admin's preview, whose column is headed "Row")
named it line 72, the line the record starts on, which a designer looking at the sheet cannot
find. The line stays, for a text editor; the sheet's row is said beside it where they differ."""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from jsonschema import Draft202012Validator

from core.tests import openapi
from curricula.models import Course

pytestmark = pytest.mark.django_db

# The bad credits ("x") are on line 9 of the file, row 5 of the sheet: two records of three
# lines each before it (rows 2 and 3), and a blank line (row 4, which a spreadsheet shows too).
CATALOGUE = (
    "code,title,outcomes,credits\n"  # line 1, row 1
    'C1,Databases,"Design a schema\nWrite queries\nTune indexes",3\n'  # lines 2-4, row 2
    'C2,Networks,"Route packets\nSecure a LAN\nTrace a fault",2\n'  # lines 5-7, row 3
    "\n"  # line 8, row 4
    "C3,Broken,,x\n"  # line 9, row 5
)
# A problem on a line that is its row too says no row beside it.
PLAIN = "code,title,credits\nC4,Plain,x\n"


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("courses.csv", text.encode(), content_type="text/csv")


def test_the_command_names_the_sheets_row_beside_the_line(tmp_path):
    path = tmp_path / "courses.csv"
    path.write_text(CATALOGUE, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_courses", str(path), stderr=err)
    assert "line 9 (row 5 of the sheet): credits: " in err.getvalue()
    assert not Course.objects.exists()


def test_the_command_says_only_the_line_where_it_is_the_row(tmp_path):
    path = tmp_path / "courses.csv"
    path.write_text(PLAIN, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_courses", str(path), stderr=err)
    assert "line 2: credits: " in err.getvalue()
    assert "row" not in err.getvalue()


def test_the_commands_json_gives_the_row_beside_the_line(tmp_path):
    path = tmp_path / "courses.csv"
    path.write_text(CATALOGUE, encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_courses", str(path), "--json", stdout=out, stderr=StringIO())
    [problem] = json.loads(out.getvalue())["errors"]
    assert (problem["line"], problem["row"]) == (9, 5)


def test_the_api_gives_the_row_beside_the_line_where_they_differ(staff_client):
    response = staff_client.post(
        "/api/v1/courses/import/", {"file": _upload(CATALOGUE)}, format="multipart"
    )
    assert response.status_code == 400, response.content
    [problem] = response.json()["errors"]
    assert problem["line"] == 9
    assert problem["row"] == 5
    assert list(problem["errors"]) == ["credits"]

    response = staff_client.post(
        "/api/v1/courses/import/", {"file": _upload(PLAIN)}, format="multipart"
    )
    [problem] = response.json()["errors"]
    assert problem["line"] == 2
    assert "row" not in problem


def test_the_apis_schema_describes_the_row():
    schema = openapi.generate()[0]
    declared = schema["paths"]["/api/v1/courses/import/"]["post"]["responses"]["400"]
    problem = schema["components"]["schemas"]["CatalogueImportLine"]
    assert "row" in problem["properties"]
    assert "row" not in problem.get("required", [])
    assert problem["properties"]["row"]["type"] == "integer"
    assert "application/json" in declared["content"]


def test_the_api_answer_with_a_row_fits_its_schema(staff_client):
    schema = openapi.generate()[0]
    declared = schema["paths"]["/api/v1/courses/import/"]["post"]["responses"]["400"]
    body = {**declared["content"]["application/json"]["schema"], **schema}
    response = staff_client.post(
        "/api/v1/courses/import/", {"file": _upload(CATALOGUE)}, format="multipart"
    )
    assert list(Draft202012Validator(body).iter_errors(response.json())) == []


def _preview_cells(client, text: str) -> list[str]:
    response = client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": _upload(text)}
    )
    assert response.status_code == 200
    return [
        response.content.decode()
        .split("<tbody>")[1]
        .split('<td class="row-place">')[1]
        .split("</td>")[0]
        .strip()
    ]


def test_the_admins_row_column_shows_the_sheets_row_and_the_line_beside_it(admin_client):
    assert _preview_cells(admin_client, CATALOGUE) == ["5 (line 9)"]


def test_the_admins_row_column_shows_one_number_where_the_row_is_the_line(admin_client):
    assert _preview_cells(admin_client, PLAIN) == ["2"]


def test_a_background_import_names_the_sheets_row_beside_the_line(
    admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    """A file past ADMIN_IMPORT_INLINE_ROWS runs as an import job: its page says the same."""
    from positions.models import ImportJob, ImportStatus

    settings.ADMIN_IMPORT_INLINE_ROWS = 2
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:curricula_course_import"),
            {"format": "0", "import_file": _upload(CATALOGUE)},
        )
    job = ImportJob.objects.get()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.report["error"]["where"] == "line 9 (row 5 of the sheet)"
    assert "line 9 (row 5 of the sheet)" in admin_client.get(response.url).content.decode()
