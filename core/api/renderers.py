"""The API's renderers: CSV (the download actions' error bodies), and JSON with orjson
(drf-orjson-renderer), several times faster than the json module on the large pages (1,000
links, 100 positions with their requirements) and CASE packages.

drf-orjson-renderer turns a type it does not know into null; here it goes to DRF's own encoder
instead (lazy translations, decimals, timedeltas, querysets), which raises for anything else, so
a mistake is an error rather than a silent null. orjson writes no integer beyond 64 bits, which
JSON allows and a publisher's own data (CASE extensions, kept as read) may hold: such a body is
written by DRF's renderer on the json module, byte for byte what orjson writes otherwise.

The browsable API is DRF's page with what its template leaves out for a screen reader: the
page's language and a name for the format menu's button (see BrowsableAPIRenderer).
"""

from collections.abc import Iterator

import orjson
from django.utils.html import escape
from django.utils.translation import get_language, gettext
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework import renderers
from rest_framework.renderers import BaseRenderer
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from core.csv import csv_lines

_drf_encoder = JSONEncoder()

# DRF's base.html (3.x): the page's opening tag, and the format menu's button, whose title
# Bootstrap's tooltip script moves away, leaving the button no name.
_HTML_TAG = "<html>"
_FORMAT_BUTTON = '<button class="btn btn-primary dropdown-toggle js-tooltip" data-toggle="dropdown"'


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML page with the reader's language on its html element (WCAG 3.1.1: a screen
    reader reads a Chinese page in a Chinese voice) and an accessible name on the format menu's
    button. DRF's template has no block for either; static/css/api.css, linked by
    templates/rest_framework/api.html, darkens its colours that are too faint to read."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        page = super().render(data, accepted_media_type, renderer_context)
        page = page.replace(_HTML_TAG, f'<html lang="{escape(get_language())}">', 1)
        name = escape(gettext("Format of the answer"))
        return page.replace(_FORMAT_BUTTON, f'{_FORMAT_BUTTON} aria-label="{name}"')


class JSONRenderer(ORJSONRenderer):
    @staticmethod
    def default(obj):
        return _drf_encoder.default(obj)

    def render(self, data, media_type=None, renderer_context=None):
        try:
            return super().render(data, media_type, renderer_context)
        except orjson.JSONEncodeError as exc:
            if "64-bit" not in str(exc):
                raise
            return DRFJSONRenderer().render(data, media_type, renderer_context)


def error_rows(data, field: str = "") -> Iterator[tuple[str, str]]:
    """(field, message) of an error body, one row per message: a field's list of messages is
    several rows, a nested field (a list's item, an object's key) is named by its path
    (`links.1.level`), and a body that is no object has its messages under a blank field."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from error_rows(value, f"{field}.{key}" if field else str(key))
    elif isinstance(data, list | tuple):
        nested = any(isinstance(item, dict | list | tuple) for item in data)
        for index, item in enumerate(data):
            if nested:
                yield from error_rows(item, f"{field}.{index}" if field else str(index))
            else:
                yield field, str(item)
    elif data is not None:
        yield field, str(data)


class FileRenderer(BaseRenderer):
    """The media type of a download action's file: a view with one is a download, whose answer
    a request must accept (core.api.negotiation.ContentNegotiation); JSON beside it is for the
    errors only."""


class CSVRenderer(FileRenderer):
    """Lets `?format=csv` and `Accept: text/csv` reach the CSV actions; successful CSV responses
    are streamed by the view, so this only ever renders error bodies."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return "".join(csv_lines(["field", "message"], error_rows(data))).encode(self.charset)


class XLSXRenderer(FileRenderer):
    """Lets `?format=xlsx` and an XLSX Accept header reach the workbook actions; successful
    workbooks are built by the view, so this only renders error bodies (a sheet of field and
    message, as the CSV renderer does)."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        import io

        from openpyxl import Workbook

        from core.xlsx import xlsx_cell

        book = Workbook(write_only=True)
        sheet = book.create_sheet("errors")
        sheet.append([xlsx_cell(sheet, "field", bold=True), xlsx_cell(sheet, "message", bold=True)])
        for field, message in error_rows(data):
            sheet.append([xlsx_cell(sheet, field), xlsx_cell(sheet, message)])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
