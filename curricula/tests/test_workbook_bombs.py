"""A tiny workbook must not cost a worker minutes and gigabytes before it is refused: a part
that unpacks hundreds of times larger than it is packed (a 300 kB upload of 100 MB of styles
took 91 s and 1.7 GB; one of 250 MB of shared strings 155 s and 1.4 GB), or a part openpyxl
parses whole into memory (styles, the workbook) far larger than any spreadsheet program writes.
Each is refused from the zip's directory, at every door, before anything is parsed."""

import io
import random
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import spreadsheets
from core.limits import MB
from curricula.models import Course
from curricula.services import course_catalogue_import
from positions.importers import framework_import


def _catalogue() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "title"])
    sheet.append(["K1", "Logistics"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_member(content: bytes, name: str, data: bytes, *, stored: bool = False) -> bytes:
    """`content` (an XLSX) with its member `name` replaced by, or added as, `data`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as archive:
        for member in source.namelist():
            if member != name:
                archive.writestr(member, source.read(member))
        archive.writestr(name, data)
    return out.getvalue()


def _styles(xfs: int) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.'
        b'org/spreadsheetml/2006/main"><cellXfs count="1">'
        + b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * xfs
        + b"</cellXfs></styleSheet>"
    )


def _refusal(content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        course_catalogue_import(content=content, file_name="courses.xlsx")
    assert not Course.objects.exists()
    return " ".join(error.value.message_dict["file"])


@pytest.mark.django_db
def test_a_part_inflating_far_past_its_packed_size_is_refused_naming_the_bound():
    bomb = _with_member(_catalogue(), "xl/styles.xml", _styles(25_000))  # 1.3 MB from a few kB
    assert len(bomb) < 50_000

    message = _refusal(bomb)

    assert "IMPORT_MAX_INFLATE_RATIO" in message
    assert "xl/styles.xml" in message


@pytest.mark.django_db
def test_the_inflate_bound_is_a_setting(settings):
    settings.IMPORT_MAX_INFLATE_RATIO = 100_000
    content = _with_member(_catalogue(), "xl/styles.xml", _styles(25_000))

    report = course_catalogue_import(content=content, file_name="courses.xlsx")

    assert report.ok, report.as_dict()


@pytest.mark.django_db
def test_a_shared_strings_bomb_is_refused_at_the_api_with_a_400(staff_client):
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main">' + b"<si><t>x</t></si>" * 200_000 + b"</sst>"
    )
    content = _with_member(_catalogue(), "xl/sharedStrings.xml", strings)

    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("courses.xlsx", content)},
        format="multipart",
    )

    assert response.status_code == 400, response.content
    assert "IMPORT_MAX_INFLATE_RATIO" in str(response.json())
    assert not Course.objects.exists()


@pytest.mark.django_db
def test_a_workbook_part_parsed_whole_past_its_bound_is_refused_even_packed_plainly(
    monkeypatch,
):
    """Stored without compression the ratio says nothing: styles, parsed whole into a tree, are
    bounded by size (WORKBOOK_PART_MAX_MB), as no spreadsheet program writes them that large."""
    monkeypatch.setattr(spreadsheets, "WORKBOOK_PART_MAX_MB", 1)
    content = _with_member(_catalogue(), "xl/styles.xml", _styles(25_000), stored=True)

    message = _refusal(content)

    assert "xl/styles.xml" in message
    assert "CSV UTF-8" in message


def test_a_large_sheet_is_not_held_to_the_part_bound(monkeypatch):
    """The sheet and its shared strings are what an import reads: they are read as they
    stream, bounded by IMPORT_MAX_FILE_MB, not by the bound of the parts parsed whole."""
    monkeypatch.setattr(spreadsheets, "WORKBOOK_PART_MAX_MB", 1)
    rng = random.Random(7)
    text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(2 * MB))
    content = _with_member(_catalogue(), "xl/sharedStrings.xml", text.encode())
    content = _with_member(content, "xl/worksheets/sheet1.xml", text.encode())

    assert spreadsheets.spreadsheet_content_problem(io.BytesIO(content), kind="xlsx") is None


@pytest.mark.django_db
def test_a_case_package_inflating_past_the_ratio_is_refused(tmp_path):
    bomb = tmp_path / "case.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("package.json", " " * (3 * MB))

    report = framework_import(path=bomb, format="case")

    assert not report.ok
    assert "IMPORT_MAX_INFLATE_RATIO" in report.error["message"]
    assert report.error["where"] == "package.json"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_cell_past_the_line_bound_is_refused_naming_its_line_in_a_workbook_as_in_a_csv(
    settings, kind
):
    """The CSV door refused a cell past IMPORT_MAX_LINE_CHARS; a workbook's cell (a shared
    string of any length) was read whole and imported on."""
    settings.IMPORT_MAX_LINE_CHARS = 1000
    rows = [["code", "title", "description"], ["K1", "Logistics", ""], ["K2", "Ports", "d" * 2000]]
    if kind == "csv":
        content = "\n".join(",".join(row) for row in rows).encode()
    else:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()

    with pytest.raises(ValidationError) as error:
        course_catalogue_import(content=content, file_name=f"courses.{kind}")

    [message] = error.value.message_dict["file"]
    assert message.lower().startswith("line 3 ")
    assert "longer than 1000 characters (IMPORT_MAX_LINE_CHARS)" in message
    assert not Course.objects.exists()
