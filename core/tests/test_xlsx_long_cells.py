"""Text longer than a spreadsheet cell holds (Excel's 32,767 characters): a workbook shows it
cut, saying so, and an import refuses a cell cut at that limit rather than writing the cut text
over the whole one."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from core.csv import LineProblem
from core.xlsx import EXCEL_CELL_CHARS, xlsx_bytes, xlsx_cell, xlsx_dataset


def _written(value: str) -> str:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append([xlsx_cell(sheet, value)])
    return load_workbook(io.BytesIO(xlsx_bytes(book))).active["A1"].value


def test_text_longer_than_a_cell_holds_is_cut_with_an_ellipsis():
    """Observed: a link's 40,000-character note came out of the workbook and the admin's XLSX
    export as its first 32,767 characters (openpyxl cuts silently), with nothing to tell the
    reader the rest was missing."""
    written = _written("长" * 20_000 + "x" * 20_000)
    assert len(written) == EXCEL_CELL_CHARS
    assert written == "长" * 20_000 + "x" * (EXCEL_CELL_CHARS - 20_001) + "…"


def test_text_a_cell_holds_is_written_whole():
    text = "x" * (EXCEL_CELL_CHARS - 1)
    assert _written(text) == text


@pytest.mark.parametrize("length", [EXCEL_CELL_CHARS, EXCEL_CELL_CHARS + 5])
def test_an_import_refuses_a_cell_at_the_limit_a_spreadsheet_cuts_to(length):
    """Observed: the admin's XLSX export of the links imported back "updated 1": the long note,
    cut to 32,767 characters in the file, would have replaced the whole one. A cell that long is
    one a spreadsheet (Excel, or the export) cut; the import stops naming its line."""
    book = Workbook()
    book.active.append(["course", "note"])
    book.active.append(["CS101", "n" * length])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(LineProblem) as problem:
        xlsx_dataset(buffer.getvalue())
    assert problem.value.line == 2
    assert "32,767" in problem.value.message or "32767" in problem.value.message
