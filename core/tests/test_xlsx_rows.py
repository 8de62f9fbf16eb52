"""core.xlsx.xlsx_row_count: the rows a sheet holds, counted from its row elements, however the
sheet is cut into the chunks it is read in."""

import io

import pytest
from openpyxl import Workbook

from core import xlsx
from core.xlsx import xlsx_row_count


def _workbook(rows: int, width: int) -> io.BytesIO:
    book = Workbook()
    for n in range(rows):
        book.active.append([f"C{n}", "x" * width])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("chunk", [7, 64, 100, 1000])
def test_every_row_is_counted_once_whatever_the_chunks(monkeypatch, chunk):
    monkeypatch.setattr(xlsx, "MB", chunk)
    assert xlsx_row_count(_workbook(300, 37)) == 300


def test_a_sheet_of_several_megabytes_is_counted():
    assert xlsx_row_count(_workbook(20_000, 200)) == 20_000
