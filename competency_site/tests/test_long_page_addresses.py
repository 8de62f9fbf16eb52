"""A page address with a query string of many kilobytes is refused in a sentence, not echoed.

Observed: every page wrote its address back into itself (the language form's `next`, the log-in
link, and on the search page the header's search box), so `/?junk=` of 100 kB was answered 200
with a page of 250 kB, and `/search/?q=` of 100 kB with 355 kB, the query in it three times,
though the search itself reads 200 characters of it. The API judges its own parameters (a 400
naming one past its bound, quoting an excerpt: test_long_searches, test_bounded_echo), and
gunicorn refuses a request line past 8,190 bytes (gunicorn.conf.py) before Django sees it, which
holds any page address this bound lets through (test_deployment); the runserver and other servers
do not.
"""

import re

import pytest
from django.utils import translation

from core.middleware import PAGE_QUERY_MAX_CHARS
from core.search import shortened
from curricula.selectors.search import MAX_QUERY

pytestmark = pytest.mark.django_db

PAGES = ["/", "/search/", "/positions/", "/programs/", "/certifications/", "/accounts/login/"]
MESSAGE = (
    "The address is too long: its query (after “?”) has %(length)d characters, and the "
    "site's pages read %(limit)d at most."
)


def _query(length: int) -> str:
    """A query string of exactly `length` characters."""
    return "q=" + "a" * (length - 2)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_address_of_many_kilobytes_is_a_short_400_saying_so(client, page):
    response = client.get(f"{page}?{_query(100_000)}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == MESSAGE % {
        "length": 100_000,
        "limit": PAGE_QUERY_MAX_CHARS,
    }
    assert "no-store" in response["Cache-Control"]


def test_the_refusal_is_said_in_the_readers_language(client, chinese_stand_in):
    chinese_stand_in(None, MESSAGE)
    response = client.get(f"/?{_query(100_000)}", headers={"Accept-Language": "zh-hans"})
    with translation.override("zh-hans"):
        expected = translation.gettext(MESSAGE) % {
            "length": 100_000,
            "limit": PAGE_QUERY_MAX_CHARS,
        }
    assert response.content.decode() == expected


@pytest.mark.parametrize("page", PAGES)
def test_a_page_address_at_the_bound_is_read(client, page):
    assert client.get(f"{page}?{_query(PAGE_QUERY_MAX_CHARS)}").status_code == 200


def test_the_api_still_judges_its_own_parameters(client):
    """The API names the parameter it refuses, in JSON, whatever its length."""
    response = client.get(f"/api/v1/abilities/?search={'a' * 100_000}")
    assert response.status_code == 400
    assert list(response.json()) == ["search"]


def test_the_header_search_box_shows_the_query_searched(client):
    """The search reads the first 200 characters (cut at a word's end); the header's box showed
    the whole query sent, as long as it was, where the page's own box shows what was searched."""
    query = "word " * 300
    html = client.get("/search/", {"q": query}).content.decode()
    searched = shortened(query, MAX_QUERY)
    header_box = html.split('id="site-search-q"', 1)[1].split(">", 1)[0]
    assert f'value="{searched}"' in header_box
    # The title, the lede and both boxes: each what was searched.
    assert set(re.findall(r"word(?: word)+", html)) == {searched}
