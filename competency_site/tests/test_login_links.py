"""A log-in link, or a redirect to log in, that the site itself then refuses to read.

Observed: the header's "Log in" link was `/accounts/login/?next=` and the page's whole address
encoded, which triples each "&", "=" or "%" of its query: a page read with a query of 8,000
characters (allowed: PAGE_QUERY_MAX_CHARS) linked to a log-in page with a query of about 19,000,
which the log-in page answered 400 and gunicorn (4,094 bytes of request line by default, 8,190
at most) refused before Django saw it. The redirects to log in did the same (the suggestions'
review pages), or were a 500 (the decide page's apply, signed out, with a long scenario: Django
refuses to redirect past 16,384 characters). On the log-in page the link came back to the
log-in page, holding its `next` inside another at each click. The admin's redirect to its
own log-in page (Django's admin_view) encoded the whole address too: a 400, as Django refused
to redirect past 16,384 characters; and its log-in form, given another site's `next`, came
back to the site's home page rather than the admin.
"""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from core.login_links import login_url
from core.middleware import PAGE_QUERY_MAX_CHARS
from curricula.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def tripled_query(length: int) -> str:
    """A query string of exactly `length` characters, each of which encoding triples."""
    return ("a=&" * length)[:length]


def log_in_link(html: str) -> str:
    found = re.search(r'<a class="button button--quiet" href="([^"]*)">Log in</a>', html)
    assert found, "the header links to the log-in page"
    return unescape(found.group(1))


def next_of(address: str) -> list[str]:
    return parse_qs(urlsplit(address).query).get("next", [])


@pytest.mark.parametrize("page", ["/", "/search/", "/positions/", "/programs/"])
def test_a_pages_log_in_link_fits_within_what_a_page_reads(client, page):
    """A page read with a query at the bound links to log in with its path alone, in an
    address the log-in page reads."""
    response = client.get(f"{page}?{tripled_query(PAGE_QUERY_MAX_CHARS)}")
    assert response.status_code == 200
    link = log_in_link(response.content.decode())
    assert len(urlsplit(link).query) <= PAGE_QUERY_MAX_CHARS
    assert next_of(link) == [page]
    assert client.get(link).status_code == 200


def test_a_log_in_link_comes_back_to_the_whole_address_when_it_fits(client):
    response = client.get("/search/?q=market+analysis&page=2")
    link = log_in_link(response.content.decode())
    assert link == f"{LOGIN}?next=/search/%3Fq%3Dmarket%2Banalysis%26page%3D2"
    assert next_of(link) == ["/search/?q=market+analysis&page=2"]


def test_the_log_in_pages_link_comes_back_where_the_page_does(client):
    """On the log-in page the link keeps the page's own `next`, rather than coming back to the
    log-in page with the `next` inside another, longer at each click."""
    address = f"{LOGIN}?next=/programs/%3Fq%3Dx"
    for _click in range(3):
        link = log_in_link(client.get(address).content.decode())
        assert link == f"{LOGIN}?next=/programs/%3Fq%3Dx"
        address = link


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "javascript:1"])
def test_the_log_in_pages_link_carries_no_next_to_another_site(client, elsewhere):
    response = client.get(LOGIN, {"next": elsewhere})
    assert log_in_link(response.content.decode()) == LOGIN


def test_a_path_too_long_to_carry_leaves_next_out():
    """Percent escapes in the path alone can make it too long to carry: no `next` then, and
    the log-in page comes back to its default."""
    path = "/" + "%E4%B8%AD" * (PAGE_QUERY_MAX_CHARS // 9)
    assert login_url(f"{path}?q=1") == LOGIN
    assert login_url("/programs/?q=1") == f"{LOGIN}?next=/programs/%3Fq%3D1"


def test_a_review_pages_redirect_to_log_in_fits_within_what_a_page_reads(client):
    page = "/suggestions/courses/1/"
    response = client.get(f"{page}?{tripled_query(PAGE_QUERY_MAX_CHARS)}")
    assert response.status_code == 302
    assert len(urlsplit(response["Location"]).query) <= PAGE_QUERY_MAX_CHARS
    assert next_of(response["Location"]) == [page]


def test_applying_a_long_scenario_signed_out_redirects_to_a_log_in_page_that_reads(client):
    """The scenario posted is put in the query to come back to: a long one comes back to the
    decide page without it."""
    programme = ProgrammeFactory()
    response = client.post(
        reverse("curricula:programme-decide-apply", args=[programme.pk]),
        {"note": "&=" * 3_000},
    )
    assert response.status_code == 302
    assert len(urlsplit(response["Location"]).query) <= PAGE_QUERY_MAX_CHARS
    assert next_of(response["Location"]) == [
        reverse("curricula:programme-decide", args=[programme.pk])
    ]
    assert client.get(response["Location"]).status_code == 200


ADMIN_LOGIN = "/admin/login/"


def hidden_next(html: str) -> str:
    found = re.search(r'<input type="hidden" name="next" value="([^"]*)">', html)
    assert found, "the admin's log-in form carries a next"
    return unescape(found.group(1))


@pytest.mark.parametrize("page", ["/admin/", "/admin/curricula/course/"])
def test_an_admin_pages_redirect_to_log_in_fits_within_what_a_page_reads(client, page):
    """The admin sends a signed-out visitor to its log-in page coming back to the page's path
    alone when its whole address would not fit: the log-in page then reads it, and its form
    comes back there."""
    response = client.get(f"{page}?{tripled_query(PAGE_QUERY_MAX_CHARS)}")
    assert response.status_code == 302
    location = response["Location"]
    assert urlsplit(location).path == ADMIN_LOGIN
    assert len(urlsplit(location).query) <= PAGE_QUERY_MAX_CHARS
    assert next_of(location) == [page]
    login_page = client.get(location)
    assert login_page.status_code == 200
    assert hidden_next(login_page.content.decode()) == page


def test_an_admin_pages_redirect_to_log_in_comes_back_to_the_whole_address_when_it_fits(client):
    response = client.get("/admin/curricula/course/?q=market+analysis&p=2")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{ADMIN_LOGIN}?next=/admin/curricula/course/%3Fq%3Dmarket%2Banalysis%26p%3D2"
    )
    login_page = client.get(response["Location"])
    assert (
        hidden_next(login_page.content.decode()) == "/admin/curricula/course/?q=market+analysis&p=2"
    )


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/", "javascript:1"])
def test_the_admin_log_in_forms_next_comes_back_to_the_admin_not_another_site(client, elsewhere):
    response = client.get(ADMIN_LOGIN, {"next": elsewhere})
    assert response.status_code == 200
    assert hidden_next(response.content.decode()) == "/admin/"


def test_the_admin_log_in_forms_next_defaults_to_the_admin(client):
    assert hidden_next(client.get(ADMIN_LOGIN).content.decode()) == "/admin/"
