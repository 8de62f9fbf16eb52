"""The pages a reader meets when something is wrong (not found, a bad request, a server error)
are the site's own, in the reader's language. Observed: with DEBUG off, /programs/999999/ in
Chinese was Django's bare English page ("Not Found. The requested resource was not found on
this server."), a bad request "Bad Request (400)", a server error "Server Error (500)": the
project had 403.html only."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
DJANGO_ENGLISH = ("Not Found", "requested resource", "Bad Request", "Server Error")
MESSAGES = [
    "Page not found",
    "There is no page at this address: it may have moved, or the record it showed was deleted.",
    "Back to the overview",
    "Bad request",
    "The request could not be read. Go back and try again.",
    "Server error",
    "Something went wrong on the server. Try again in a moment.",
]


@pytest.fixture
def stand_ins(chinese_stand_in):
    for message in MESSAGES:
        chinese_stand_in(None, message)


def _chinese(message: str) -> str:
    with translation.override("zh-hans"):
        translated = translation.gettext(message)
    assert translated != message
    return translated


def _assert_own_page(html: str, heading: str) -> None:
    for english in DJANGO_ENGLISH:
        assert english not in html
    assert '<html lang="zh-hans"' in html
    assert _chinese(heading) in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/programs/999999/", "/no-such-page/", "/positions/999999/"])
def test_not_found_is_the_sites_page_in_the_readers_language(client, stand_ins, path):
    response = client.get(path, **ZH)
    assert response.status_code == 404
    _assert_own_page(response.content.decode(), "Page not found")
    assert 'href="/"' in response.content.decode()  # the way back


@pytest.mark.parametrize(
    ("view", "heading", "status"),
    [
        (lambda request: defaults.bad_request(request, Exception()), "Bad request", 400),
        (defaults.server_error, "Server error", 500),
    ],
)
def test_bad_request_and_server_error_are_in_the_readers_language(stand_ins, view, heading, status):
    """Rendered as Django renders them: without the request's context (no user, no queries)."""
    request = RequestFactory().get("/")
    with translation.override("zh-hans"):
        response = view(request)
    assert response.status_code == status
    _assert_own_page(response.content.decode(), heading)
