"""The API's content negotiation (REST_FRAMEWORK["DEFAULT_CONTENT_NEGOTIATION_CLASS"])."""

from rest_framework.negotiation import DefaultContentNegotiation

from core.api.renderers import FileRenderer

# The methods whose answer is the file: another (OPTIONS, a refused POST) answers JSON.
FILE_METHODS = ("GET", "HEAD")


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with a download's file as the only answer its success can be.

    A download lists JSON beside its file's renderer (CSVRenderer, XLSXRenderer) for its error
    bodies, so `Accept: application/json` chose JSON and the view sent the file all the same. The
    file's renderers are negotiated first: a request accepting none of them is a 406 (its body
    in the first renderer, JSON), a `?format=` they have not a 404, as DRF answers an unknown
    format. The renderer of the error bodies is then chosen among all, as before."""

    def select_renderer(self, request, renderers, format_suffix=None):
        files = [renderer for renderer in renderers if isinstance(renderer, FileRenderer)]
        if files and request.method in FILE_METHODS:
            super().select_renderer(request, files, format_suffix)
        return super().select_renderer(request, renderers, format_suffix)
