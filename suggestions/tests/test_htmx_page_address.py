"""An htmx decision after the session ended sends the whole page to log in, to come back to
the page it was sent from (HX-Current-URL): only a page of this site (core.http.site_path),
else the home page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from core.tests.addresses import HOSTILE, INSECURE_ON_HTTPS

pytestmark = pytest.mark.django_db


def _comes_back_to(address: str, *, secure: bool = False) -> str:
    response = Client().post(
        reverse("suggestions:decide"),
        {"scope": "course:1"},
        headers={"HX-Request": "true", "HX-Current-URL": address},
        secure=secure,
    )
    assert response.status_code == 401
    login = urlsplit(response["HX-Redirect"])
    assert login.path == reverse("login")
    return parse_qs(login.query)["next"][0]


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("address", HOSTILE)
def test_an_address_that_is_no_page_of_this_site_comes_back_home(address, secure):
    assert _comes_back_to(address, secure=secure) == reverse("home")


def test_this_hosts_http_address_comes_back_home_over_https():
    assert _comes_back_to(INSECURE_ON_HTTPS, secure=True) == reverse("home")


def test_a_page_of_this_site_keeps_its_query():
    review = reverse("suggestions:course-review", args=[1])
    back = _comes_back_to(f"http://testserver{review}?required=1#frag")
    assert back.startswith(f"{review}?required=1")
    assert _comes_back_to(f"{review}?required=1").startswith(f"{review}?required=1")
