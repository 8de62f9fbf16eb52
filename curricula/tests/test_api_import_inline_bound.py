"""The API imports a file inside the request only up to API_IMPORT_INLINE_ROWS rows, counted
without parsing it: a CSV of a million blank lines kept a web worker 11 s, a workbook of three
rows and millions of shared strings minutes (openpyxl reads every string before the first row).
A larger file is refused with a 400 naming the bound and background=true, which imports it as
a job; the crosswalk CSV, which has no job, is refused naming the bound."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.spreadsheets import STRINGS_PER_ROW, spreadsheet_rows_past
from core.tests.workbooks import with_shared_strings
from curricula import services
from curricula.models import Course
from positions import services as position_services
from positions.models import ImportJob

LIMIT = 10


@pytest.fixture(autouse=True)
def _small_bound(settings, tmp_path):
    settings.API_IMPORT_INLINE_ROWS = LIMIT
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _never_read(monkeypatch, module, name):
    def refused(**kwargs):
        raise AssertionError("the file was read inside the request")

    monkeypatch.setattr(module, name, refused)


def _workbook(unused_strings: int) -> bytes:
    book = Workbook()
    book.active.append(["code", "title"])
    book.active.append(["K1", "Costing"])
    book.active.append(["K2", "Tax"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return with_shared_strings(buffer, unused_strings).getvalue()


def _post(client, url, name, content, **data):
    return client.post(url, {"file": SimpleUploadedFile(name, content), **data}, format="multipart")


@pytest.mark.django_db
@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_a_csv_of_blank_lines_past_the_bound_is_refused_naming_background(
    staff_client, monkeypatch, ending
):
    _never_read(monkeypatch, services, "course_catalogue_import")
    content = ("code,title" + ending * (LIMIT + 1)).encode()

    response = _post(staff_client, "/api/v1/courses/import/", "courses.csv", content)

    assert response.status_code == 400, response.content
    message = str(response.json())
    assert "API_IMPORT_INLINE_ROWS" in message
    assert "background=true" in message


@pytest.mark.django_db
def test_a_workbook_of_few_rows_and_many_shared_strings_is_refused_inside_the_request(
    staff_client, monkeypatch
):
    _never_read(monkeypatch, services, "course_catalogue_import")
    content = _workbook(LIMIT * STRINGS_PER_ROW + 1)

    response = _post(staff_client, "/api/v1/courses/import/", "courses.xlsx", content)

    assert response.status_code == 400, response.content
    assert "background=true" in str(response.json())


@pytest.mark.django_db
def test_the_same_workbook_is_imported_in_the_background(
    staff_client, django_capture_on_commit_callbacks
):
    content = _workbook(LIMIT * STRINGS_PER_ROW + 1)

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            staff_client, "/api/v1/courses/import/", "courses.xlsx", content, background="true"
        )

    assert response.status_code == 202, response.content
    assert ImportJob.objects.get().pk == response.json()["id"]
    assert set(Course.objects.values_list("code", flat=True)) == {"K1", "K2"}


@pytest.mark.django_db
def test_a_file_within_the_bound_is_still_imported_inside_the_request(staff_client):
    content = ("code,title\n" + "".join(f"K{n},Course {n}\n" for n in range(LIMIT - 1))).encode()

    response = _post(staff_client, "/api/v1/courses/import/", "courses.csv", content)

    assert response.status_code == 200, response.content
    assert Course.objects.count() == LIMIT - 1


@pytest.mark.django_db
def test_a_crosswalk_csv_past_the_bound_is_refused_naming_it(staff_client, monkeypatch):
    _never_read(monkeypatch, position_services, "crosswalk_import_csv")
    content = b"source_framework,source,relation_type,target_framework,target" + b"\n" * 11

    response = _post(staff_client, "/api/v1/ability-relations/import-csv/", "x.csv", content)

    assert response.status_code == 400, response.content
    assert "API_IMPORT_INLINE_ROWS" in str(response.json())


@pytest.mark.parametrize(
    ("content", "past"),
    [(b"a\n" * LIMIT, False), (b"a\n" * (LIMIT + 1), True), (b"\r" * (LIMIT + 1), True)],
)
def test_lines_are_counted_however_they_end(content, past):
    assert spreadsheet_rows_past(io.BytesIO(content), kind="csv", rows=LIMIT) is past
