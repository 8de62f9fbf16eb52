"""XLSX that spreadsheets open safely: every text is written as a string, never a formula.

openpyxl stores any text starting with "=" as a formula; a spreadsheet then runs it. Here text is
always a string cell, and text that would read as a formula if retyped (the same prefixes as
core.csv) also carries Excel's quote prefix, so editing the cell keeps it text. Characters XML
cannot hold (control characters from imported data) are dropped rather than failing the file.
"""

from __future__ import annotations

import io
from typing import Any

import tablib
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from core.csv import FORMULA_PREFIXES, rows_dataset

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookProblem(ValueError):
    """A workbook that holds no table to read; the message says why, for the person who sent it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def xlsx_dataset(content: bytes) -> tablib.Dataset:
    """The active sheet (the one open when the file was saved, usually the first) as
    core.csv.rows_dataset reads it, a row's line its sheet row (short rows padded with None);
    cells are read as values, a formula's as last calculated, a whole number as an int however
    the file writes it. WorkbookProblem for a workbook without a worksheet, or saved with a
    chart sheet open (a chart has no cells; guessing which other sheet was meant could import
    the wrong table)."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = _active_worksheet(book)
        # openpyxl pads every row to the width the sheet declares (its <dimension>), 16,384
        # cells a row when one cell is in the last column; without it a row ends at its last
        # cell, and rows_dataset refuses one wider than the header as it comes.
        sheet.reset_dimensions()
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        return rows_dataset(((line, list(map(_value, row))) for line, row in rows), pad=None)
    finally:
        book.close()


def _active_worksheet(book: Workbook) -> ReadOnlyWorksheet:
    if not book.worksheets:
        raise WorkbookProblem(
            gettext(
                "The workbook has no worksheet (a sheet of cells): give the table on a worksheet."
            )
        )
    sheet = book.active
    if not isinstance(sheet, ReadOnlyWorksheet):
        raise WorkbookProblem(
            gettext(
                "The workbook was saved with its sheet “%(sheet)s” open, which is a chart, not "
                "a worksheet: open the worksheet holding the table, save and upload again."
            )
            % {"sheet": getattr(sheet, "title", "")}
        )
    return sheet


def _value(value: Any) -> Any:
    # A sheet stores every number as text, and writers differ: Excel writes <v>101</v>, others
    # <v>101.0</v> or <v>1.02E2</v>, which openpyxl reads as floats. A spreadsheet shows all
    # three as 101; read as a float, course code 101 came in as a second course "101.0".
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def xlsx_cell(
    sheet: WriteOnlyWorksheet,
    value: Any,
    *,
    bold: bool = False,
    fill: str | None = None,
    color: str | None = None,
    wrap: bool = False,
    center: bool = False,
) -> WriteOnlyCell:
    """One cell for a write-only sheet: numbers stay numbers, everything else is a string."""
    cell = WriteOnlyCell(sheet)
    if value is None:
        cell.value = None
    elif isinstance(value, bool) or not isinstance(value, int | float):
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.value = text
        # Set after the value: openpyxl guesses "f" (formula) for text starting with "=".
        cell.data_type = "s"
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    else:
        cell.value = value
    if bold or color:
        cell.font = Font(bold=bold, color=color)
    if fill:
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
    if wrap or center:
        cell.alignment = Alignment(
            wrap_text=wrap, horizontal="center" if center else None, vertical="top"
        )
    return cell
