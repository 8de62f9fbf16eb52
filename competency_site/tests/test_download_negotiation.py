"""Content negotiation of the API's downloads (CSV, XLSX): a request whose Accept header names
none of a download's media types is a 406 with the API's JSON error body, not the file; a
wildcard, a browser's Accept, the exact type and `?format=` still get the file.

The downloads are read from the OpenAPI schema (every GET whose 200 is not JSON), so one added
later is tested here too, or fails for want of an object to fill its path with."""

import csv
import io

import openpyxl
import pytest
from rest_framework.exceptions import ErrorDetail

from core.api.renderers import CSVRenderer
from core.tests import openapi
from curricula.tests.factories import CourseAbilityFactory, ProgrammeFactory
from positions.tests.factories import FrameworkFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


SCHEMA, _generator = openapi.generate()


def _downloads() -> list[tuple[str, str]]:
    """(path template, the file's media type) of every download the schema lists."""
    found = []
    for path, method, operation in openapi.operations(SCHEMA):
        content = operation["responses"].get("200", {}).get("content", {})
        types = sorted(set(content) - {JSON})
        if method == "GET" and types:
            assert len(types) == 1, path
            found.append((path, types[0]))
    return found


DOWNLOADS = _downloads()


def test_the_schema_lists_the_downloads_this_module_knows():
    """A guard against an empty list: the seven downloads of today are found."""
    assert len(DOWNLOADS) >= 7
    assert {media for _path, media in DOWNLOADS} == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


@pytest.fixture
def url_for():
    link = CourseAbilityFactory()
    programme = ProgrammeFactory(courses=[link.course])
    framework = FrameworkFactory()
    objects = {"/api/v1/programs/": programme.pk, "/api/v1/frameworks/": framework.pk}

    def fill(template: str) -> str:
        if "{id}" not in template:
            return template
        prefix = next(prefix for prefix in objects if template.startswith(prefix))
        return template.replace("{id}", str(objects[prefix]))

    return fill


def _is_file(response, media: str) -> None:
    assert response.status_code == 200, (response.status_code, response.content[:200])
    assert response["Content-Type"].split(";")[0] == media
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize(("template", "media"), DOWNLOADS)
@pytest.mark.parametrize(
    "accept",
    [
        JSON,
        "application/json; charset=utf-8",
        "text/html",
        "image/*",
        "application/xml, text/plain",
    ],
)
def test_a_download_the_accept_header_excludes_is_a_406_with_a_json_error(
    api_client, url_for, template, media, accept
):
    """Observed: `Accept: application/json` on /programs/{id}/map/ answered the CSV."""
    response = api_client.get(url_for(template), HTTP_ACCEPT=accept)

    assert response.status_code == 406
    assert response["Content-Type"] == JSON
    assert response.json()["detail"]


@pytest.mark.parametrize(("template", "media"), DOWNLOADS)
def test_a_download_answers_the_file_to_any_accept_that_allows_it(
    api_client, url_for, template, media
):
    url = url_for(template)
    family = media.split("/")[0] + "/*"
    for accept in (None, "*/*", family, BROWSER, media, f"{JSON}, {media};q=0.5"):
        headers = {} if accept is None else {"HTTP_ACCEPT": accept}
        _is_file(api_client.get(url, **headers), media)


@pytest.mark.parametrize(("template", "media"), DOWNLOADS)
def test_a_download_answers_the_file_to_its_format_and_refuses_another(
    api_client, url_for, template, media
):
    url = url_for(template)
    file_format = "csv" if media == "text/csv" else "xlsx"
    _is_file(api_client.get(url, {"format": file_format}), media)
    # A format the download has not: no such representation, as DRF answers (404), not the file.
    refused = api_client.get(url, {"format": "json"})
    assert refused.status_code == 404
    assert refused["Content-Type"] == JSON


@pytest.mark.parametrize(("template", "media"), DOWNLOADS)
def test_a_download_documents_its_406(template, media):
    responses = SCHEMA["paths"][template]["get"]["responses"]
    assert set(responses["406"]["content"]) == {JSON}


@pytest.mark.parametrize(("template", "media"), DOWNLOADS)
def test_a_download_documents_only_the_formats_it_answers(template, media):
    """Observed: every download's `format` parameter listed `json` beside its file's format
    (its JSON renderer is there for the error bodies only), so a generated client offered a
    value that is always a 404, as the test above shows it is."""
    (parameter,) = [
        parameter
        for parameter in SCHEMA["paths"][template]["get"]["parameters"]
        if parameter["in"] == "query" and parameter["name"] == "format"
    ]
    assert parameter["schema"]["enum"] == ["csv" if media == "text/csv" else "xlsx"]


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def _xlsx_rows(response) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_a_csv_downloads_field_errors_are_its_messages_not_python_reprs(api_client, url_for):
    """Observed: `course-abilities/export/?program=x&format=csv` answered the row
    `program,"[ErrorDetail(string='Enter a whole number that identifies a record.',
    code='invalid')]"`: the field's list of messages as Python writes it."""
    response = api_client.get("/api/v1/course-abilities/export/", {"program": "x", "format": "csv"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/csv")
    assert _csv_rows(response) == [
        ["field", "message"],
        ["program", "Enter a whole number that identifies a record."],
    ]


def test_an_xlsx_downloads_field_errors_are_its_messages_not_python_reprs(api_client, url_for):
    """The workbook's error sheet had the same Python list in its message cell."""
    response = api_client.get(
        url_for("/api/v1/programs/{id}/workbook.xlsx"), {"area": "x", "format": "xlsx"}
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith(XLSX)
    assert _xlsx_rows(response) == [
        ["field", "message"],
        ["area", "A valid integer is required."],
    ]


def test_a_download_errors_one_row_per_message_nested_fields_by_their_path():
    """Several messages of a field are a row each; a nested field's (a list's item, an object's
    key) are named by their path, as a client reading the JSON body would name them."""
    data = {
        "status": [ErrorDetail("One."), ErrorDetail("Two.")],
        "links": [{}, {"level": [ErrorDetail("Unknown level.")]}],
        "detail": ErrorDetail("Bad."),
    }
    rows = list(csv.reader(io.StringIO(CSVRenderer().render(data).decode("utf-8"))))

    assert rows == [
        ["field", "message"],
        ["status", "One."],
        ["status", "Two."],
        ["links.1.level", "Unknown level."],
        ["detail", "Bad."],
    ]
