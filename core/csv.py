"""CSV that spreadsheets open safely, streamed: for the API, the pages and the admin."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.utils.translation import gettext

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def not_utf8_message(error: UnicodeDecodeError) -> str:
    """What to tell someone whose CSV is not UTF-8: the first line that is not, and how to save
    it so it is (a spreadsheet's plain "CSV" is written in the computer's code page, such as
    GBK or Windows-1252; its "CSV UTF-8" is what is read)."""
    line = error.object.count(b"\n", 0, error.start) + 1
    return gettext(
        "Line %(line)d is not UTF-8 text. Save the file from your spreadsheet as “CSV UTF-8”, "
        "or upload the .xlsx."
    ) % {"line": line}


def utf8_text(content: bytes) -> str:
    """An uploaded CSV's text (a leading byte order mark dropped), or a ValidationError on
    `file` with not_utf8_message."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError({"file": [not_utf8_message(error)]}) from error


def safe_cell(value: Any) -> str | int:
    """Text for one cell; a leading apostrophe keeps a would-be formula as plain text."""
    if value is None:
        return ""
    if type(value) is int and value >= 0:
        # Most cells of a large export are ids: no formula can hide in them.
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def unescape_cell(value: Any) -> Any:
    """The text safe_cell was given: drops the apostrophe it put before a would-be formula, so
    that importing an export gives back what was exported."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def safe_row(row: Iterable[Any]) -> list[str | int]:
    return [safe_cell(cell) for cell in row]


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    # QUOTE_MINIMAL quotes any cell holding a comma, quote or newline, and doubles inner quotes.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_MINIMAL)
    yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(row))


def csv_response(
    *, filename: str, header: list[str], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    """Stream a CSV download row by row; `rows` should itself be lazy (a queryset .iterator())."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_dataset(text: str, *, delimiter: str = ",") -> tablib.Dataset:
    """A CSV text as a tablib Dataset, its first row that is not blank the headers; blank rows
    (no cells, or only empty ones, as spreadsheets write them) skipped and short rows padded;
    with what tablib loses: `dataset.line_numbers[i]` is the line of the file where data row i
    starts (a quoted cell may span lines, blank lines count), so problems are reported at the
    line a text editor shows. Cells escaped by safe_cell come back as they were written.

    A row with more cells than the header names columns is refused (ValueError naming its line)
    unless the extra cells are empty: a value in no column would otherwise be dropped unseen."""
    if text.startswith("\ufeff"):  # a byte order mark, as spreadsheet programs write
        text = text[1:]
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    dataset = tablib.Dataset()
    lines: list[int] = []
    next_line = 1
    headers, header_line = None, 1
    for row in reader:
        line, next_line = next_line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if headers is None:
            headers, header_line = [unescape_cell(cell) for cell in row], line
            dataset.headers = headers
            continue
        row = [unescape_cell(cell) for cell in row]
        if len(row) > len(headers):
            if any(cell.strip() for cell in row[len(headers) :]):
                raise ValueError(
                    gettext(
                        "Line %(line)d has %(cells)d cells, but the header row (line "
                        "%(header)d) names %(columns)d columns."
                    )
                    % {
                        "line": line,
                        "cells": len(row),
                        "header": header_line,
                        "columns": len(headers),
                    }
                )
            row = row[: len(headers)]
        row += [""] * (len(headers) - len(row))
        dataset.append(row)
        lines.append(line)
    dataset.line_numbers = lines
    return dataset
