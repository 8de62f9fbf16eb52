"""The API's content negotiation (REST_FRAMEWORK["DEFAULT_CONTENT_NEGOTIATION_CLASS"])."""

import codecs

from django.utils.http import parse_header_parameters
from rest_framework.negotiation import DefaultContentNegotiation

from core.api.filters import refuse_repeated
from core.api.renderers import FileRenderer

# The methods whose answer is the file: another (OPTIONS, a refused POST) answers JSON.
FILE_METHODS = ("GET", "HEAD")


def _charset_known(content_type: str) -> bool:
    charset = parse_header_parameters(content_type)[1].get("charset")
    if charset is None:
        return True
    try:
        codecs.lookup(charset)
    except LookupError:
        return False
    return True


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with a download's file as the only answer its success can be, and
    nothing of the request's own media type or format read past.

    A download lists JSON beside its file's renderer (CSVRenderer, XLSXRenderer) for its error
    bodies, so `Accept: application/json` chose JSON and the view sent the file all the same. The
    file's renderers are negotiated first: a request accepting none of them is a 406 (its body
    in the first renderer, JSON), a `?format=` they have not a 404, as DRF answers an unknown
    format. The renderer of the error bodies is then chosen among all, as before.

    `?format=` given twice is a 400 (refuse_repeated): DRF took the last. A body whose charset
    Python does not know is a 415: Django drops such a charset without a word, and the body was
    read as UTF-8."""

    def select_parser(self, request, parsers):
        if request.content_type and not _charset_known(request.content_type):
            return None
        return super().select_parser(request, parsers)

    def select_renderer(self, request, renderers, format_suffix=None):
        refuse_repeated(request.query_params, (self.settings.URL_FORMAT_OVERRIDE,))
        files = [renderer for renderer in renderers if isinstance(renderer, FileRenderer)]
        if files and request.method in FILE_METHODS:
            super().select_renderer(request, files, format_suffix)
        return super().select_renderer(request, renderers, format_suffix)
