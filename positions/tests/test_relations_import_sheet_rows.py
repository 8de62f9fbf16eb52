"""Observed: the crosswalk CSV import named a problem by the line its record starts on only
("line 5: no ability 'CBE.404' ..."), though its reader knows the row a spreadsheet shows the
record on, and the catalogue, link, requirement and framework imports say that row beside the
line where they differ. A crosswalk whose `notes` cells span lines put row 3's problem on
line 5, which someone looking at the sheet cannot find. Every door now says both."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from positions.models import AbilityRelation, ImportStatus
from positions.tests.factories import AbilityFactory, FrameworkFactory

URL = "/api/v1/ability-relations/import-csv/"
# The unknown ability is on line 5 of the file, row 3 of the sheet: the record before it spans
# lines 2-4 (a note of three lines) and is row 2.
SPANNING = (
    "source_framework,source,relation_type,target_framework,target,notes\n"  # line 1, row 1
    'CBE,CBE.7,exactMatchOf,ESCO,S1.2,"first\nsecond\nthird"\n'  # lines 2-4, row 2
    "CBE,CBE.404,exactMatchOf,ESCO,S1.2,\n"  # line 5, row 3
)
# A problem on a line that is its row too says no row beside it.
PLAIN = (
    "source_framework,source,relation_type,target_framework,target\n"
    "CBE,CBE.404,exactMatchOf,ESCO,S1.2\n"
)


@pytest.fixture
def frameworks(db, settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    cbe = FrameworkFactory(name="CBE")
    esco = FrameworkFactory(name="ESCO")
    AbilityFactory(framework=cbe, code="CBE.7")
    AbilityFactory(framework=esco, code="S1.2")
    return cbe, esco


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("crosswalk.csv", text.encode(), content_type="text/csv")


def test_the_api_names_the_sheets_row_beside_the_line(staff_client, frameworks):
    response = staff_client.post(URL, {"file": _csv(SPANNING)}, format="multipart")

    assert response.status_code == 400, response.content
    [entry] = response.json()["errors"]
    assert (entry["line"], entry["row"]) == (5, 3)
    [error] = entry["errors"]["__all__"]
    assert "CBE.404" in error
    assert not AbilityRelation.objects.exists()


def test_the_api_says_only_the_line_where_it_is_the_row(staff_client, frameworks):
    response = staff_client.post(URL, {"file": _csv(PLAIN)}, format="multipart")

    assert response.status_code == 400, response.content
    [entry] = response.json()["errors"]
    assert entry["line"] == 2
    assert "row" not in entry


def test_the_command_names_the_sheets_row_beside_the_line(frameworks, tmp_path, capsys):
    path = tmp_path / "crosswalk.csv"
    path.write_text(SPANNING, encoding="utf-8")

    with pytest.raises(CommandError, match="1 line has problems"):
        call_command("import_relations", str(path))

    assert "line 5 (row 3 of the sheet): " in capsys.readouterr().err


def test_the_admin_names_the_sheets_row_beside_the_line(admin_client, frameworks):
    page = admin_client.post(
        reverse("admin:positions_abilityrelation_import_csv"), {"file": _csv(SPANNING)}
    )

    assert "line 5 (row 3 of the sheet): " in page.content.decode()
    assert not AbilityRelation.objects.exists()


def test_a_background_job_names_the_sheets_row_beside_the_line(
    staff_client, frameworks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"{URL}?background=true", {"file": _csv(SPANNING)}, format="multipart"
        )

    assert response.status_code == 202, response.content
    body = staff_client.get(response["Location"]).json()
    assert body["status"] == ImportStatus.FAILED
    # One problem alone is the job's error itself, placed as a list of them places each.
    error = body["report"]["error"]
    assert error["where"] == "line 5 (row 3 of the sheet)"
    assert "CBE.404" in error["message"]


def test_a_missing_column_names_the_header_s_row_beside_its_line(staff_client, frameworks):
    # A "sep=" line first: the header is line 2 of the file, row 1 of the sheet (Excel shows no
    # row for it).
    text = "sep=,\nsource_framework,source,relation_type,target_framework\n"
    response = staff_client.post(URL, {"file": _csv(text)}, format="multipart")

    assert response.status_code == 400, response.content
    [error] = response.json()["file"]
    assert error.startswith("line 2 (row 1 of the sheet): ")
