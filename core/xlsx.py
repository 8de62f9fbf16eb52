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
from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from core.csv import FORMULA_PREFIXES

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def xlsx_dataset(content: bytes) -> tablib.Dataset:
    """The first (active) sheet as a tablib Dataset, its first row the headers, with what tablib
    does not do: blank rows (between groups, or formatted but empty after the data) are left out,
    and `dataset.line_numbers[i]` is the sheet row data row i comes from, so problems are
    reported at the row the spreadsheet shows (as core.csv.csv_dataset does for a CSV's lines).
    Cells are read as values, a formula's as last calculated."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows = book.active.iter_rows(values_only=True)
        dataset = tablib.Dataset()
        headers = list(next(rows, ()))
        while headers and _blank(headers[-1]):
            headers.pop()  # formatted empty columns after the last named one
        dataset.headers = headers
        lines = []
        for line, row in enumerate(rows, start=2):
            values = list(row)
            if all(_blank(value) for value in values):
                continue
            while len(values) > len(headers) and _blank(values[-1]):
                values.pop()
            values += [None] * (len(headers) - len(values))
            dataset.append(values)
            lines.append(line)
        dataset.line_numbers = lines
        return dataset
    finally:
        book.close()


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
