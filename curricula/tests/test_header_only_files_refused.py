"""A catalogue, link or requirement file of a header row and no row under it is refused at every
door (the admin's page, the API, the import commands), as the admin's page refused it: an import
that imports nothing is almost always the wrong file, not a success of no counts."""

import html
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

HEADER_ONLY = "The file has a header row but no rows under it: there is nothing to import."

# (API path, command, admin import, header)
DOORS = [
    ("/api/v1/courses/import/", "import_courses", "curricula_course", "code,title\n"),
    (
        "/api/v1/course-abilities/import/",
        "import_links",
        "curricula_courseability",
        "course,framework,ability,level\n",
    ),
    (
        "/api/v1/requirements/import/",
        "import_requirements",
        "positions_requirement",
        "position,framework,ability,min_level\n",
    ),
]


def _said(language: str) -> str:
    with translation.override(language):
        return translation.gettext(HEADER_ONLY)


@pytest.mark.parametrize(("url", "command", "admin", "header"), DOORS)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_api_refuses_a_file_of_its_header_alone(
    staff_client, url, command, admin, header, language
):
    """Observed: the API imported a header-only course catalogue with 201 and counts of 0,
    where the admin's page refused it."""
    response = staff_client.post(
        url,
        {"file": SimpleUploadedFile("header.csv", header.encode())},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 400, response.content
    assert response.json()["file"] == [_said(language)]


@pytest.mark.parametrize(("url", "command", "admin", "header"), DOORS)
def test_the_command_refuses_a_file_of_its_header_alone(tmp_path, url, command, admin, header):
    """Observed: `manage.py import_courses` printed "Imported: 0 courses created, ..." for a
    header-only file."""
    path = tmp_path / "header.csv"
    path.write_text(header)
    with pytest.raises(CommandError) as refused:
        call_command(command, str(path), stdout=StringIO(), stderr=StringIO())
    assert str(refused.value) == HEADER_ONLY


def test_the_command_refuses_it_in_json_too(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("code,title\n")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_courses", str(path), "--json", stdout=out, stderr=StringIO())
    assert not out.getvalue() or json.loads(out.getvalue())["ok"] is False


@pytest.mark.parametrize(("url", "command", "admin", "header"), DOORS)
def test_the_admin_refuses_a_file_of_its_header_alone(admin_client, url, command, admin, header):
    """The rule the other doors now follow: the admin's import page refused it already."""
    page = admin_client.post(
        reverse(f"admin:{admin}_import"),
        {"format": "0", "import_file": SimpleUploadedFile("header.csv", header.encode())},
    ).content.decode()
    assert HEADER_ONLY in html.unescape(page)


def test_a_header_with_a_missing_column_names_the_column_first(staff_client):
    """The columns are checked before the rows: a header lacking `title` says so."""
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("header.csv", b"code\n")},
        format="multipart",
    )
    assert response.status_code == 400
    assert HEADER_ONLY not in response.json()["file"][0]
    assert "title" in response.json()["file"][0]
