"""A framework CSV whose quoted cells span lines (a description of several paragraphs) puts a
record on one spreadsheet row but several file lines: its problems named the line the record
ENDS on (csv's line_num), neither the line it starts on, as the catalogue imports say, nor the
row a spreadsheet shows. They now say the line it starts on, and the sheet's row beside it."""

import io

import pytest

from positions.importers import framework_import
from positions.importers.base import read_rows
from positions.tests.test_import_moodle_all_problems import FRAMEWORK, HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _row(parent: str, idnumber: str, description: str = "") -> str:
    return f'{parent},{idnumber},"{idnumber} name","{description}",1,,,,0,null,"",,,'


def test_a_moodle_problem_names_its_first_line_and_the_sheets_row(tmp_path):
    lines = [
        HEADER,  # line 1, row 1
        FRAMEWORK,  # line 2, row 2
        _row("", "A", "First paragraph.\nSecond paragraph.\nThird."),  # lines 3-5, row 3
        _row("MISSING", "B", "One.\nTwo."),  # lines 6-7, row 4
    ]
    path = tmp_path / "framework.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = framework_import(path=path, format="moodle")

    assert report.error["where"] == "line 6 (row 4 of the sheet)"
    assert "parent ID number MISSING is not in the file" in report.error["message"]


def test_the_shared_csv_reader_numbers_records_by_first_line_and_sheet_row():
    """What the ESCO and O*NET imports read their CSV files with."""
    text = 'id,label\nA,"two\nlines"\n\nB,x\n'
    rows = list(read_rows(io.StringIO(text, newline=""), name="skills.csv"))
    assert [(line, line.row, row["id"]) for line, row in rows] == [(2, 2, "A"), (5, 4, "B")]
