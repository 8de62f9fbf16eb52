"""The log-in page's address coming back to a page after logging in (`?next=`), kept within
what a page reads (PAGE_QUERY_MAX_CHARS), so that gunicorn, and then the log-in page, accept
it. Encoding a page's address into `next` can triple it (each "%", "&" or "=" is three
characters), so a page read whole would give a log-in link neither would take: the link
comes back to the page's path alone when the whole address does not fit, and to nowhere
(the log-in page's own default) when the path does not either."""

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url

from core.http import site_path
from core.middleware import PAGE_QUERY_MAX_CHARS

REDIRECT_FIELD = "next"


def login_url(back: str | None, *, login: str | None = None) -> str:
    """The log-in page's address (`login`, else LOGIN_URL's), coming back to `back` (a path
    with its query and fragment) when that fits within PAGE_QUERY_MAX_CHARS, else to its path
    alone, else to nowhere."""
    login = login or resolve_url(settings.LOGIN_URL)
    if not back:
        return login
    for candidate in (back, urlsplit(back).path):
        # As Django's redirect_to_login and the `urlencode` filter write it: "/" left as is.
        query = f"{REDIRECT_FIELD}={quote(candidate, safe='/')}"
        if candidate and len(query) <= PAGE_QUERY_MAX_CHARS:
            return f"{login}?{query}"
    return login


def redirect_to_login(back: str | None, *, login: str | None = None) -> HttpResponseRedirect:
    """Django's redirect_to_login, with its `next` kept within what a page reads
    (login_url)."""
    return HttpResponseRedirect(login_url(back, login=login))


def page_login_url(request: HttpRequest) -> str:
    """The log-in link of a page: back to the page itself; on the log-in page, back to where
    that page comes back to (its own `next`, when it is this site's), not to the log-in page
    holding it, whose link would hold the `next` again at each click."""
    if request.path == resolve_url(settings.LOGIN_URL):
        return login_url(site_path(request, request.GET.get(REDIRECT_FIELD)))
    return login_url(request.get_full_path())
