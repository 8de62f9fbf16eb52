"""The time-zone page goes back to the page it was opened from (its form's `next`, the
address's, else the Referer): only a page of this site, as a path (core.http.site_path), else
the home page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.tests.addresses import HOSTILE, INSECURE_ON_HTTPS

pytestmark = pytest.mark.django_db


def _next_field(page) -> str:
    """The time-zone form's `next` (the language form in the header has its own)."""
    html = page.content.decode()
    form = html[html.index(f'action="{reverse("time-zone")}"') :]
    return re.search(r'name="next" value="([^"]*)"', form)[1]


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("address", HOSTILE)
def test_an_address_that_is_no_page_of_this_site_goes_home(address, secure):
    client = Client()
    answer = client.post(
        reverse("time-zone"), {"time_zone": "Asia/Shanghai", "next": address}, secure=secure
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/"
    page = client.get(reverse("time-zone"), {"next": address}, secure=secure)
    assert _next_field(page) == "/"
    page = client.get(reverse("time-zone"), headers={"referer": address}, secure=secure)
    assert _next_field(page) == "/"


def test_this_hosts_http_address_goes_home_over_https():
    answer = Client().post(
        reverse("time-zone"),
        {"time_zone": "Asia/Shanghai", "next": INSECURE_ON_HTTPS},
        secure=True,
    )
    assert answer["Location"] == "/"


def test_a_page_of_this_site_keeps_its_query():
    answer = Client().post(
        reverse("time-zone"), {"time_zone": "", "next": "/programs/1/?view=x#frag"}
    )
    assert answer["Location"] == "/programs/1/?view=x#frag"


def test_a_full_address_of_this_site_is_its_path():
    """One rule for every door: the page, not the scheme and host it was reached at."""
    client = Client()
    answer = client.post(
        reverse("time-zone"),
        {"time_zone": "", "next": "http://testserver/programs/1/?view=x"},
    )
    assert answer["Location"] == "/programs/1/?view=x"
    page = client.get(
        reverse("time-zone"), headers={"referer": "http://testserver/programs/1/?view=x"}
    )
    assert _next_field(page) == "/programs/1/?view=x"
