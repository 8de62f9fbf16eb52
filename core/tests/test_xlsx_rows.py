"""core.xlsx.xlsx_row_count: the rows a sheet holds, counted from its row elements, however the
sheet is cut into the chunks it is read in, without reading the workbook's shared strings; and
xlsx_shared_string_count, the strings counted the same way, up to a bound."""

import io

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.reader.excel import ExcelReader

from core import xlsx
from core.tests.workbooks import with_shared_strings
from core.xlsx import xlsx_row_count, xlsx_shared_string_count


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


def test_counting_rows_never_reads_the_shared_strings(monkeypatch):
    """openpyxl reads the whole string table when it opens a workbook, used or not: 3 rows and
    3 million strings took 80 s and 570 MB to count inside a request."""
    content = with_shared_strings(_workbook(3, 5), 50)

    def refused(self):
        raise AssertionError("the shared strings were read")

    monkeypatch.setattr(ExcelReader, "read_strings", refused)

    assert xlsx_row_count(content) == 3


def test_a_chart_sheet_saved_open_is_still_refused_when_counting():
    book = Workbook()
    book.active.append(["credits", 3])
    chart_sheet = book.create_chartsheet("Chart")
    chart = BarChart()
    chart.add_data(Reference(book.active, min_col=2, min_row=1, max_row=1))
    chart_sheet.add_chart(chart)
    book.active = chart_sheet
    buffer = io.BytesIO()
    book.save(buffer)

    with pytest.raises(xlsx.WorkbookProblem):
        xlsx_row_count(buffer)


@pytest.mark.parametrize("chunk", [7, 64, 1000])
def test_shared_strings_are_counted_without_parsing_them(monkeypatch, chunk):
    monkeypatch.setattr(xlsx, "MB", chunk)

    assert xlsx_shared_string_count(with_shared_strings(_workbook(3, 5), 120), stop_past=500) == 120
    assert xlsx_shared_string_count(_workbook(3, 5), stop_past=500) == 0


def test_counting_shared_strings_stops_past_the_bound(monkeypatch):
    monkeypatch.setattr(xlsx, "MB", 64)
    content = with_shared_strings(_workbook(3, 5), 10_000)

    counted = xlsx_shared_string_count(content, stop_past=100)

    assert 100 < counted < 200


def test_cells_are_counted_without_their_columns_or_the_shared_strings(monkeypatch):
    """xlsx_cell_count bounds the strings a sheet can use: its cells, not its <col> widths,
    and without reading the strings themselves."""
    book = Workbook()
    for n in range(40):
        book.active.append([f"C{n}", "x", n])
    book.active.column_dimensions["B"].width = 30
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    content = with_shared_strings(buffer, 50)
    monkeypatch.setattr(
        ExcelReader, "read_strings", lambda self: (_ for _ in ()).throw(AssertionError("read"))
    )

    assert xlsx.xlsx_cell_count(content) == 120
