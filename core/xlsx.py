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
    """The active sheet (the one open when the file was saved, usually the first) as a tablib
    Dataset, its first row that is not blank the headers, with what tablib does not do: blank
    rows (between groups, or formatted but empty after the data) are left out, and
    `dataset.line_numbers[i]` is the sheet row data row i comes from, so problems are reported
    at the row the spreadsheet shows (as core.csv.csv_dataset does for a CSV's lines). The sheet
    is as wide as its rightmost non-blank cell, whatever row holds it; cells are read as
    values, a formula's as last calculated. Only rows with something in them are kept in memory
    (a sheet formatted down to its last row has a million empty ones)."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        filled = [
            (line, row)
            for line, row in enumerate(book.active.iter_rows(values_only=True), start=1)
            if not all(_blank(value) for value in row)
        ]
    finally:
        book.close()
    width = max(
        (i + 1 for _line, row in filled for i, value in enumerate(row) if not _blank(value)),
        default=0,
    )
    dataset = tablib.Dataset()
    if not filled:
        return dataset

    def cells(row: tuple) -> list:
        return (list(row) + [None] * width)[:width]

    dataset.headers = cells(filled[0][1])
    for _line, row in filled[1:]:
        dataset.append(cells(row))
    dataset.line_numbers = [line for line, _row in filled[1:]]
    return dataset


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
