"""HTTP around the pages (the API has its own: core.api.middleware)."""

import hashlib
import re

from django.contrib.admin.views.main import SEARCH_VAR
from django.db import DataError
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import _unmask_cipher_token
from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe
from django.utils.text import smart_split
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from whitenoise.middleware import WhiteNoiseMiddleware as BaseWhiteNoiseMiddleware

from core.api.conditional import if_modified_since
from core.api.middleware import is_api_request
from core.search import SEARCH_MAX_CHARS, SEARCH_MAX_WORDS
from core.times import reader_zone


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """Django's ConditionalGetMiddleware (an ETag on every GET without one, 304 to a matching
    If-None-Match), with a HEAD treated as its GET (RFC 9110, 9.3.2: the same header fields):
    Django's leaves every HEAD untagged, its body being empty by the time a server sends it,
    yet the views here render a HEAD's body whole (DRF's, and the pages', which answer HEAD as
    GET) and the server drops it after. So a client polling a list or a download with HEAD
    gets the ETag and the 304. A HEAD whose body is empty is left untagged.

    An If-Modified-Since later than this server's clock is ignored (RFC 9110, 13.1.3), where
    Django's compares it as any other and answers 304 to year 9999."""

    def process_response(self, request, response):
        # Django's get_conditional_response reads the header itself.
        _drop_unheeded_if_modified_since(request)
        if request.method != "HEAD":
            return super().process_response(request, response)
        rendered = not response.streaming and response.content
        if rendered and self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        etag = response.get("ETag")
        last_modified = response.get("Last-Modified")
        last_modified = last_modified and parse_http_date_safe(last_modified)
        if etag or last_modified:
            return get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        return response


def _drop_unheeded_if_modified_since(request) -> None:
    """Take out an If-Modified-Since not to honour (a future date; an unparsable one, which
    Django and WhiteNoise ignore too), for a reader that reads the header itself."""
    if "HTTP_IF_MODIFIED_SINCE" in request.META and if_modified_since(request) is None:
        request.META.pop("HTTP_IF_MODIFIED_SINCE")


class WhiteNoiseMiddleware(BaseWhiteNoiseMiddleware):
    """WhiteNoise's, ignoring an If-Modified-Since later than this server's clock as the pages
    do (ConditionalGetMiddleware): WhiteNoise answered a static file 304 to year 9999."""

    @staticmethod
    def serve(static_file, request):
        _drop_unheeded_if_modified_since(request)
        return BaseWhiteNoiseMiddleware.serve(static_file, request)


# A masked CSRF token as get_token() writes it into a page: 64 letters and digits.
MASKED_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def page_etag(body: bytes, *, csrf_secret: str) -> str:
    """A weak ETag for a page holding CSRF tokens, the same for every render of the same page
    for the same secret: each token is masked afresh on each render (against BREACH), so the
    bytes, and the ETag ConditionalGetMiddleware would give them, never repeat, and no
    If-None-Match could ever be answered 304. The tokens for `csrf_secret` are left out of the
    hash and the secret put in: a copy the browser kept is as good as a new render while its
    cookie holds that secret (its tokens unmask to it), and never once the secret changes.
    Weak (W/): two renders are the same page, not the same bytes (RFC 9110, 8.8.1)."""

    def without_token(match: re.Match) -> bytes:
        token = match.group().decode("ascii")
        return b"" if _unmask_cipher_token(token) == csrf_secret else match.group()

    digest = hashlib.md5(csrf_secret.encode(), usedforsecurity=False)
    digest.update(MASKED_TOKEN.sub(without_token, body))
    return f'W/"{digest.hexdigest()}"'


def _tag_page(request, response) -> None:
    """Give a successful GET or HEAD of a page holding a CSRF token its page_etag()."""
    secret = request.META.get("CSRF_COOKIE")
    if (
        request.method in ("GET", "HEAD")
        and 200 <= response.status_code < 300
        and secret
        and not response.streaming
        and response.content
        and not response.has_header("ETag")
    ):
        response["ETag"] = page_etag(response.content, csrf_secret=secret)


class PrivatePagesMiddleware:
    """A page rendered for a signed-in user is not stored by any cache: it holds what only they
    may see (who changed each link, review queues, their CSRF token), which a shared computer's
    browser would otherwise show again after they log out. `Cache-Control: private, no-store`,
    unless the view chose its own (the admin's never_cache).

    An anonymous page that holds a CSRF token (every page's language form) is `private`: the
    browser may keep it, a shared cache may not (RFC 9111, 5.2.2.7). The token is masked from
    the secret in the visitor's `csrftoken` cookie, which the answer sets too: kept by a CDN
    or a proxy, it would be handed, with that cookie, to every next visitor without one
    (`Vary: Cookie` matches them all), who would then share the first one's secret. It is
    `no-cache` too, revalidated before each reuse, which its page_etag() makes a cheap 304
    while nothing on it has changed. An anonymous answer without a token (a chart, a
    workbook, the gap report's poll) may be kept by any cache, `no-cache` as well: what an
    edit changes is never reused unasked (without a lifetime, a cache guesses one: a CDN keeps
    an .xlsx for hours), and its ETag makes the asking cheap. The API keeps its own rules.

    An anonymous error page (a 404, a 400) is stored by no cache, as the API's errors are not:
    a 404 kept would outlive the programme made at that address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api_request(request) or response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        elif response.status_code >= 400:
            patch_cache_control(response, no_store=True)
        elif request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            # get_token() was called: the page holds a token, and the cookie is (re)sent.
            patch_cache_control(response, private=True, no_cache=True)
            _tag_page(request, response)
        elif 200 <= response.status_code < 300:
            patch_cache_control(response, no_cache=True)
        return response


class ReaderTimeZoneMiddleware:
    """Pages show times in the reader's zone (core.times.reader_zone: the one they chose, else
    their browser's, else the site's), activated for the request only. A cookie naming no IANA
    zone is ignored. The API is left in the site's zone: its clients read the offsets.

    Every page says `Vary: Cookie`: the same address shows other times to a reader in another
    zone, which no cache may hand them (the page's ETag, taken from its body, differs too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_request(request):
            return self.get_response(request)
        zone = reader_zone(request.COOKIES)
        if zone is None:
            response = self.get_response(request)
        else:
            timezone.activate(zone)
            try:
                response = self.get_response(request)
            finally:
                timezone.deactivate()
        patch_vary_headers(response, ("Cookie",))
        return response


# The longest query string a page reads (its characters as sent, percent escapes included):
# within the request line gunicorn reads (8,190 bytes, "GET <path>?<query> HTTP/1.1":
# gunicorn.conf.py) with 176 bytes left for a page's path (the site's, `/programs/<id>/map/
# <id>/` the longest, are under 70), so gunicorn passes every page address this middleware
# reads, and a longer query is answered by its 400 in a sentence, not by gunicorn's plain
# refusal. Yet no page echoes many kilobytes (every page puts its address in the language form,
# and in the log-in link when it fits there: core.login_links).
PAGE_QUERY_MAX_CHARS = 8_000


class PageQueryLengthMiddleware:
    """A 400 for a page address whose query string is longer than PAGE_QUERY_MAX_CHARS, saying
    so, before any view reads it: every page wrote the address back into itself (the language
    form's `next`, the log-in link, the search box), so a 100 kB query made a 300 kB page, and
    no link or form of the site makes such an address. The API judges each of its parameters
    itself (a search past SEARCH_MAX_CHARS, an unknown name: a 400 naming it), as the admin's
    search does (AdminQueryMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = len(request.META.get("QUERY_STRING", ""))
        if length > PAGE_QUERY_MAX_CHARS and not is_api_request(request):
            return HttpResponseBadRequest(
                _(
                    "The address is too long: its query (after “?”) has %(length)d characters, "
                    "and the site's pages read %(limit)d at most."
                )
                % {"length": length, "limit": PAGE_QUERY_MAX_CHARS},
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


# Lookups the admin's links never make, refused whatever their value: a regular expression that
# backtracks (`^(\w+\s?)*$`) runs for minutes over one row's text, on SQLite in Python's re.
REGEX_LOOKUPS = ("__regex", "__iregex")

# Date parts a lookup can name (`created__year=`), each with the values that make a date. A year
# is kept two years inside Python's (1 to 9999): the admin's date hierarchy adds a year to the one
# given, and a time zone's offset can move a bound across New Year's Day.
DATE_PARTS = {
    "year": (2, 9998),
    "iso_year": (2, 9998),
    "quarter": (1, 4),
    "month": (1, 12),
    "week": (1, 53),
    "day": (1, 31),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}


def _bad_admin_parameter(query) -> str | None:
    """The name of the first query parameter no admin page can read, else None."""
    for name, values in query.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name
        if name.endswith("__range") and any(value.count(",") != 1 for value in values):
            return name  # Django's range lookup reads two values, else an IndexError
        parts = [part for part in name.split("__")[1:] if part in DATE_PARTS]
        if not parts:
            continue
        low, high = DATE_PARTS[parts[-1]]
        for value in values:
            for item in value.split(","):  # __in and __range take several
                item = item.strip()
                if not (item.isascii() and item.lstrip("-").isdigit() and len(item) <= 6):
                    return name
                if not low <= int(item) <= high:
                    return name
    return None


class AdminQueryMiddleware:
    """A 400 for an admin URL whose query string no admin page can read, before the changelist
    turns it into a query: a NUL character (PostgreSQL refuses it in a string: "A string literal
    cannot contain NUL", a 500) or a date part out of range (`?created__year=99999999`: Python's
    datetime refuses it, a 500 on either database), or a regular-expression lookup, which the
    admin never links and which can keep the database busy for minutes (REGEX_LOOKUPS). What
    the admin's own links make passes.

    A database that still refuses what a read-only admin request asked is a 400 too, not a 500:
    a DataError (PostgreSQL: a number past the column's range) or an
    OverflowError (SQLite's driver: an integer past 64 bits, given to a foreign key's lookup)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_admin_request(request):
            regex = next((name for name in request.GET if name.endswith(REGEX_LOOKUPS)), None)
            if regex is not None:
                return _regex_refused(regex)
            name = _bad_admin_parameter(request.GET)
            if name is not None:
                return _bad_request(name)
            refused = _search_refused(request, prefix=_admin_prefix())
            if refused is not None:
                return refused
        return self.get_response(request)

    def process_exception(self, request, exception):
        if (
            isinstance(exception, DataError | OverflowError)
            and request.method in ("GET", "HEAD")
            and request.GET
            and _is_admin_request(request)
        ):
            return HttpResponseBadRequest(
                _("The database cannot read this query."),
                content_type="text/plain; charset=utf-8",
            )
        return None


def _admin_prefix() -> str | None:
    try:
        return reverse("admin:index")
    except NoReverseMatch:  # a URLconf without the admin (some tests)
        return None


def _is_admin_request(request) -> bool:
    prefix = _admin_prefix()
    return prefix is not None and request.path.startswith(prefix)


def _search_refused(request, *, prefix: str) -> HttpResponse | None:
    """A 400 for an admin search (a changelist's `q`, the autocomplete's `term`) of more than
    SEARCH_MAX_CHARS characters or SEARCH_MAX_WORDS words (as the admin splits it: a quoted
    phrase is one), else None. Every changelist with a search box, the project's and Django's
    own (users, groups) alike: SQLite reads LIKE patterns of 50,000 bytes at most (a 500), and
    the admin adds a condition over every search field for each word (1,200 words took seconds,
    then were past SQLite's expression depth, a 500)."""
    name = "term" if request.path == f"{prefix}autocomplete/" else SEARCH_VAR
    text = request.GET.get(name, "")
    if len(text) > SEARCH_MAX_CHARS:
        message = _(
            "The search is %(length)d characters long: the admin searches for %(limit)d "
            "characters at most."
        ) % {"length": len(text), "limit": SEARCH_MAX_CHARS}
    else:
        words = sum(1 for _word in smart_split(text))
        if words <= SEARCH_MAX_WORDS:
            return None
        message = ngettext(
            "The search has %(count)d words: the admin searches for %(limit)d word at most "
            "(a phrase in quotes is one).",
            "The search has %(count)d words: the admin searches for %(limit)d words at most "
            "(a phrase in quotes is one).",
            SEARCH_MAX_WORDS,
        ) % {"count": words, "limit": SEARCH_MAX_WORDS}
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _regex_refused(name: str) -> HttpResponse:
    return HttpResponseBadRequest(
        _(
            "The admin does not filter by regular expression (“%(name)s”): one that "
            "backtracks keeps the database busy for minutes."
        )
        % {"name": _shown(name)},
        content_type="text/plain; charset=utf-8",
    )


def _shown(name: str) -> str:
    return name.replace("\x00", "\\0")[:80]


def _bad_request(name: str) -> HttpResponse:
    # Plain text: the name is the client's, echoed (escaped, so it cannot break a page).
    return HttpResponseBadRequest(
        _("The query parameter “%(name)s” holds a value no admin page can read.")
        % {"name": _shown(name)},
        content_type="text/plain; charset=utf-8",
    )
