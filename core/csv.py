"""CSV that spreadsheets open safely, streamed: for the API, the pages and the admin."""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
