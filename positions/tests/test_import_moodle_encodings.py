"""A Moodle competency framework CSV saved by a spreadsheet: UTF-16 with its byte order mark
(Excel's "Unicode Text", tab-separated, or its "UTF-16 CSV") is read as the course catalogue
and link files are; a mark that lies is refused naming its line."""

import codecs
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from positions.importers import framework_import
from positions.models import Ability, Framework, ImportJob, ImportStatus

CURRENT = Path(__file__).parent / "fixtures" / "moodle" / "current.csv"


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _chinese_text() -> str:
    """The shipped current-layout file with a competency named in Chinese."""
    return CURRENT.read_text(encoding="utf-8").replace("Answer enquiries", "回复询盘")


def _as_unicode_text(text: str) -> str:
    """As Excel's "Unicode Text" writes a sheet: cells separated by tabs, CR LF line ends."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _encoded(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(encoding)  # "utf-16" writes the machine's mark (LE here)


def _false_mark() -> bytes:
    """A UTF-16 mark, then text that is not UTF-16: a lone low surrogate on line 3."""
    lines = CURRENT.read_text(encoding="utf-8").splitlines(keepends=True)
    return (
        codecs.BOM_UTF16_LE
        + "".join(lines[:2]).encode("utf-16-le")
        + b"\x00\xdc"
        + "".join(lines[2:]).encode("utf-16-le")
    )


def _imported() -> set[tuple[str, str]]:
    return set(Ability.objects.values_list("code", "short_name"))


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
@pytest.mark.parametrize("tabs", [True, False], ids=["unicode-text", "utf16-csv"])
def test_a_moodle_csv_in_utf16_with_its_mark_is_read_as_the_utf8_one(tmp_path, encoding, tabs):
    """Observed: a framework file saved from Excel as "Unicode Text" was refused as not UTF-8
    on line 1, though its byte order mark says what it is (a course catalogue in the same file
    is read)."""
    text = _chinese_text()
    path = tmp_path / "framework.csv"
    path.write_text(text, encoding="utf-8")
    assert framework_import(path=path, format="moodle").ok
    expected = _imported()
    Framework.objects.all().delete()
    path.write_bytes(_encoded(_as_unicode_text(text) if tabs else text, encoding))

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.error
    assert _imported() == expected
    assert ("CBE.1.1", "回复询盘") in expected


@pytest.mark.django_db
def test_a_moodle_csv_whose_mark_says_utf16_but_is_not_names_the_line(tmp_path):
    path = tmp_path / "framework.csv"
    path.write_bytes(_false_mark())

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert report.error["where"] == "framework.csv line 3"
    assert "not UTF-16" in report.error["message"]
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_a_moodle_csv_in_utf16_without_its_mark_is_refused_as_not_utf8(tmp_path):
    """Without the mark nothing says the file is UTF-16; its ASCII header is valid UTF-8 with
    a NUL beside each letter, refused as an unrecognised header: say what is wrong."""
    path = tmp_path / "framework.csv"
    path.write_bytes(_chinese_text().encode("utf-16-le"))

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert report.error == {
        "message": "the file is not UTF-8 text: save it as UTF-8",
        "where": "framework.csv line 1",
    }


@pytest.mark.django_db
def test_the_api_and_the_admin_take_a_moodle_csv_in_utf16_and_name_a_false_marks_line(
    staff_client, client, admin_user, django_capture_on_commit_callbacks
):
    unicode_text = _encoded(_as_unicode_text(_chinese_text()), "utf-16")
    with django_capture_on_commit_callbacks(execute=True):
        read = staff_client.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("fw.txt", unicode_text), "format": "moodle"},
            format="multipart",
        )
        refused = staff_client.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("fw.csv", _false_mark()), "format": "moodle"},
            format="multipart",
        )

    assert (read.status_code, refused.status_code) == (202, 202)
    assert ImportJob.objects.get(pk=read.json()["id"]).status == ImportStatus.SUCCEEDED
    assert Ability.objects.filter(short_name="回复询盘").exists()
    failed = staff_client.get(f"/api/v1/imports/{refused.json()['id']}/").json()
    assert failed["status"] == ImportStatus.FAILED
    assert failed["report"]["error"]["where"] == "fw.csv line 3"

    Framework.objects.all().delete()
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:positions_importjob_add"),
            {
                "format": "moodle",
                "upload": SimpleUploadedFile("fw.txt", unicode_text),
                "min_level": "",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ImportJob.objects.latest("pk").status == ImportStatus.SUCCEEDED
    assert Ability.objects.filter(short_name="回复询盘").exists()
