"""core.csv.rows_dataset and the CSV and XLSX readers over it: a table as wide as its header,
a value right of it refused as its row is read (one value in column 16,384 padded every row of a
57 kB sheet to 16,384 cells: 650 MB, 21 s)."""

import io

import pytest
from openpyxl import Workbook

import core.xlsx
from core.csv import LineProblem, csv_dataset, rows_dataset
from core.xlsx import xlsx_dataset

HEADER = (1, ["code", "title"])
ROWS = [(line, [f"C{line}", "Course"]) for line in range(2, 40)]
WIDE = (40, ["C40", "Course", *[None] * 16381, "stray"])


def _then_fail(rows):
    yield from rows
    pytest.fail("rows after the refused one were read")


def test_a_value_right_of_the_header_is_refused_as_its_row_is_read():
    with pytest.raises(LineProblem) as raised:
        rows_dataset(_then_fail([HEADER, *ROWS, WIDE]), pad=None)
    assert raised.value.line == 40
    assert raised.value.message == (
        "Line 40 has a value in column 16384, which the header row (line 1) does not name."
    )


def test_the_rows_just_below_the_header_may_be_wider_for_the_importer_to_explain():
    """A title above the header row: the header is a row below the first, wider than it."""
    rows = [(1, ["Course catalogue 2026"]), (3, ["code", "title", "credits"]), (4, ["C1", "x"])]
    dataset = rows_dataset(rows, pad="")
    assert dataset.headers == ["Course catalogue 2026", "", ""]
    assert dataset[0] == ("code", "title", "credits")
    assert dataset.line_numbers == [3, 4]


def test_a_header_past_the_column_bound_is_refused(settings):
    settings.IMPORT_MAX_COLUMNS = 10
    with pytest.raises(LineProblem) as raised:
        csv_dataset("code,title" + "," * 10 + "notes\nC1,x\n")
    assert raised.value.message == (
        "Line 1 has a value in column 12; an import reads at most 10 columns (IMPORT_MAX_COLUMNS)."
    )


def test_an_xlsx_row_is_read_as_wide_as_its_cells_not_as_the_sheet_says(monkeypatch):
    """openpyxl pads each row to the sheet's declared dimension: 16,384 cells a row when any
    cell is in the last column."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for _line, cells in [HEADER, *ROWS, WIDE]:
        sheet.append(cells)
    content = io.BytesIO()
    book.save(content)
    widths = []

    def counting(rows, **kwargs):
        def counted():
            for line, cells in rows:
                widths.append(len(cells))
                yield line, cells

        return rows_dataset(counted(), **kwargs)

    monkeypatch.setattr(core.xlsx, "rows_dataset", counting)
    with pytest.raises(LineProblem) as raised:
        xlsx_dataset(content.getvalue())
    assert raised.value.line == 40
    assert widths[:-1] == [2] * 39
