"""One rule for "is this address one of this site's pages, and which": a form's `next` or
`back`, a Referer, htmx's HX-Current-URL. Four doors each had their own, and refused different
addresses."""

import pytest
from django.test import RequestFactory

from core.http import site_path
from core.tests.addresses import HOSTILE, INSECURE_ON_HTTPS


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("address", HOSTILE)
def test_an_address_that_is_not_a_page_of_this_site_is_refused(address, secure):
    request = RequestFactory().get("/", secure=secure)
    assert site_path(request, address) is None


def test_none_is_refused():
    assert site_path(RequestFactory().get("/"), None) is None


def test_this_hosts_address_over_http_is_refused_when_the_request_came_over_https():
    assert site_path(RequestFactory().get("/", secure=True), INSECURE_ON_HTTPS) is None
    assert site_path(RequestFactory().get("/"), INSECURE_ON_HTTPS) == "/programs/1/?view=x"


@pytest.mark.parametrize(
    ("address", "path"),
    [
        ("/programs/1/?view=x#frag", "/programs/1/?view=x#frag"),
        ("/programs/1/?view=x&status=missing", "/programs/1/?view=x&status=missing"),
        ("http://testserver/programs/1/?view=x", "/programs/1/?view=x"),
        ("https://testserver/programs/1/?view=x", "/programs/1/?view=x"),
        ("http://testserver", "/"),
        ("http://testserver?q=1", "/?q=1"),
        ("/", "/"),
        ("/%2F%2Fevil.example", "/%2F%2Fevil.example"),  # a path of this site, quoted
    ],
)
def test_a_page_of_this_site_is_its_path_and_query_without_scheme_and_host(address, path):
    assert site_path(RequestFactory().get("/"), address) == path


def test_over_https_this_sites_https_address_is_its_path():
    request = RequestFactory().get("/", secure=True)
    assert site_path(request, "https://testserver/x?y=1") == "/x?y=1"


def test_the_host_is_the_requests_own(settings):
    settings.ALLOWED_HOSTS = ["maps.example.edu", "testserver"]
    request = RequestFactory().get("/", HTTP_HOST="maps.example.edu")
    assert site_path(request, "http://maps.example.edu/x") == "/x"
    assert site_path(request, "http://testserver/x") is None
