"""The API's renderers: CSV (the download actions' error bodies), and JSON with orjson
(drf-orjson-renderer), several times faster than the json module on the large pages (1,000
links, 100 positions with their requirements) and CASE packages.

drf-orjson-renderer turns a type it does not know into null; here it goes to DRF's own encoder
instead (lazy translations, decimals, timedeltas, querysets), which raises for anything else, so
a mistake is an error rather than a silent null. orjson writes no integer beyond 64 bits, which
JSON allows and a publisher's own data (CASE extensions, kept as read) may hold: such a body is
written by DRF's renderer on the json module, byte for byte what orjson writes otherwise.
"""

import orjson
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.renderers import BaseRenderer
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from core.csv import csv_lines

_drf_encoder = JSONEncoder()


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
        rows = list(data.items()) if isinstance(data, dict) else [[data]]
        return "".join(csv_lines(["field", "message"], rows)).encode(self.charset)


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
        rows = list(data.items()) if isinstance(data, dict) else [["", data]]
        for field, message in rows:
            sheet.append([xlsx_cell(sheet, field), xlsx_cell(sheet, message)])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
