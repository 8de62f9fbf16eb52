"""core.xlsx.xlsx_dataset reads a cell as the sheet shows it where its format adds to the value
(zeros before or after it, a date without a time of day, a logical value), as the same sheet
saved as CSV is read; a format that would round or drop something leaves the value as it is.
curricula/tests/test_libreoffice_files.py reads the same from files LibreOffice saved."""

import datetime
import io

import pytest
from openpyxl import Workbook

from core.xlsx import xlsx_dataset


def _naive(*parts: int) -> datetime.datetime:
    # A sheet's date cells have no time zone: openpyxl reads them naive.
    return datetime.datetime(*parts)  # noqa: DTZ001


def _read(value, number_format: str):
    book = Workbook()
    book.active.append(["code"])
    book.active.append([value])
    book.active["A2"].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return xlsx_dataset(buffer.getvalue())[0][0]


@pytest.mark.parametrize(
    ("value", "number_format", "read"),
    [
        (7, "000", "007"),
        (7, "00", "07"),
        (0, "000", "000"),
        (0.5, "0.00", "0.50"),
        (1.1, "0.00", "1.10"),
        (3, "0.0", "3.0"),
        (12, "0000.0", "0012.0"),
        (True, "General", "TRUE"),
        (False, "General", "FALSE"),
        (_naive(2024, 9, 1), "yyyy-mm-dd", datetime.date(2024, 9, 1)),
    ],
)
def test_a_format_that_adds_to_the_value_is_read_as_shown(value, number_format, read):
    assert _read(value, number_format) == read


@pytest.mark.parametrize(
    ("value", "number_format", "read"),
    [
        (3.14159, "0.00", 3.14159),  # shown 3.14: rounded, so read as the number it is
        (7, "0", 7),  # shows nothing more
        (7, "General", 7),
        (1234, "000", 1234),  # wider than the format: shown as it is
        (-7, "000", -7),
        (7, "#,##0", 7),
        (0.5, "0%", 0.5),
        (
            _naive(2024, 9, 1, 8, 30),
            "yyyy-mm-dd hh:mm",
            _naive(2024, 9, 1, 8, 30),
        ),
        (_naive(2024, 9, 1), "yyyy-mm-dd hh:mm", _naive(2024, 9, 1)),
        # Text typed into a column formatted for codes or dates is read as typed.
        ("C7", "000", "C7"),
        ("TBD", "yyyy-mm-dd", "TBD"),
    ],
)
def test_a_format_that_rounds_or_adds_nothing_leaves_the_value(value, number_format, read):
    assert _read(value, number_format) == read
