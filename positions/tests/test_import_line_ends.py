"""A file saved on Windows (CR LF line ends, a UTF-8 byte order mark) imports as the same file
saved elsewhere (LF): its tree and statements are read alike, and importing one after the other
changes nothing, even in a statement or description written over several lines."""

import pytest

from positions.importers import framework_import
from positions.models import Ability, Framework

pytestmark = pytest.mark.django_db

HEADER = (
    "Parent ID number,ID number,Short name,Description,Description format,Scale values,"
    "Scale configuration,Rule type (optional),Rule outcome (optional),Rule config (optional),"
    "Cross-referenced competency ID numbers,Exported ID (optional),Is framework,Taxonomy"
)
ROWS = [
    HEADER,
    ',LE-FW,Line ends,"A framework\nover two lines",1,"Not yet competent,Competent",'
    '"[{""scaleid"":""2""},{""id"":1,""scaledefault"":1,""proficient"":0},'
    '{""id"":2,""scaledefault"":0,""proficient"":1}]",,,,,,1,"domain,competency"',
    ',LE-A,Communication,"Talk with customers.\nWrite to them too.",1,,,,0,null,,1,,',
    "LE-A,LE-A1,Answer enquiries,Answer enquiries by e-mail.,1,,,,0,null,,2,,",
]


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _file(tmp_path, name: str, *, windows: bool):
    text = "\n".join(ROWS) + "\n"
    data = ("\ufeff" + text.replace("\n", "\r\n")).encode() if windows else text.encode()
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("windows_first", [True, False], ids=["crlf-then-lf", "lf-then-crlf"])
def test_the_same_file_with_other_line_ends_changes_nothing(tmp_path, windows_first):
    first = _file(tmp_path, "first.csv", windows=windows_first)
    second = _file(tmp_path, "second.csv", windows=not windows_first)

    report = framework_import(path=first, format="moodle")

    assert report.ok, report.error
    child = Ability.objects.get(external_id="LE-A1")
    assert child.parent.external_id == "LE-A"
    assert Framework.objects.get().name == "Line ends"

    again = framework_import(path=second, format="moodle")

    assert again.ok, again.error
    assert dict(again.counts["ability"]) == {"unchanged": 2}
    assert dict(again.counts["framework"]) == {"unchanged": 1}


def test_a_file_saved_with_a_cr_alone_ending_each_line_imports_as_the_same_file(tmp_path):
    """Excel's "CSV (Macintosh)" ends each line with a CR alone: read as the file it is, where
    the reader took it for one line and failed ("new-line character seen in unquoted field")."""
    first = _file(tmp_path, "first.csv", windows=False)
    mac = tmp_path / "mac.csv"
    mac.write_bytes(first.read_bytes().replace(b"\n", b"\r"))

    report = framework_import(path=mac, format="moodle")

    assert report.ok, report.error
    assert Ability.objects.get(external_id="LE-A1").parent.external_id == "LE-A"
    again = framework_import(path=first, format="moodle")
    assert again.ok, again.error
    assert dict(again.counts["ability"]) == {"unchanged": 2}
    assert dict(again.counts["framework"]) == {"unchanged": 1}
