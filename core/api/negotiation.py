"""The API's content negotiation (REST_FRAMEWORK["DEFAULT_CONTENT_NEGOTIATION_CLASS"])."""

import codecs

from django.utils.http import parse_header_parameters
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.utils.mediatypes import _MediaType

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


def _quality(media_range: _MediaType) -> float:
    """A range's weight, from 0 to 1; an unreadable or absent one counts as 1, as DRF read
    every range."""
    try:
        weight = float(media_range.params.get("q", 1))
    except ValueError:
        return 1.0
    return min(max(weight, 0.0), 1.0) if weight == weight else 1.0  # NaN counts as 1


def _weight(media_type: str, ranges: list[_MediaType]) -> float:
    """How much a client accepts `media_type`: the weight of the most specific range naming it
    (RFC 9110, 12.5.1: `text/csv;q=0, */*` refuses the CSV), 0 when none does."""
    renderer_type = _MediaType(media_type)
    matching = [media_range for media_range in ranges if renderer_type.match(media_range)]
    if not matching:
        return 0.0
    return _quality(max(matching, key=lambda media_range: media_range.precedence))


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with a download's file as the only answer its success can be, and
    nothing of the request's own media type or format read past.

    A download lists JSON beside its file's renderer (CSVRenderer, XLSXRenderer) for its error
    bodies, so `Accept: application/json` chose JSON and the view sent the file all the same. The
    file's renderers are negotiated first: a request accepting none of them is a 406 (its body
    in the first renderer, JSON), a `?format=` they have not a 404, as DRF answers an unknown
    format. The renderer of the error bodies is then chosen among all, as before.

    Quality values are honoured (RFC 9110, 12.5.1), which DRF does not do: it ranks ranges by
    specificity and then takes its first renderer, so `application/json;q=0.1, text/csv;q=0.9`
    chose JSON and `application/json;q=0` JSON too. Here the renderers a client weighs highest
    are kept (DRF then chooses among them as before, so its order breaks a tie) and a weight of 0
    is "not acceptable": with no renderer above it, a 406.

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
            self._select_weighed(request, files, format_suffix)
        return self._select_weighed(request, renderers, format_suffix)

    def _select_weighed(self, request, renderers, format_suffix):
        chosen_format = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if chosen_format:
            renderers = self.filter_renderers(renderers, chosen_format)  # none: a 404
        ranges = [_MediaType(accepted) for accepted in self.get_accept_list(request)]
        weights = [_weight(renderer.media_type, ranges) for renderer in renderers]
        best = max(weights, default=0.0)
        if best == 0:
            raise NotAcceptable(available_renderers=renderers)
        favoured = [
            renderer for renderer, weight in zip(renderers, weights, strict=True) if weight == best
        ]
        return super().select_renderer(request, favoured, format_suffix)
