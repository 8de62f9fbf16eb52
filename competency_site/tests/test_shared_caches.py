"""What a shared cache (a CDN, nginx's proxy_cache, Varnish) in front of the site may keep and
hand to someone else (RFC 9111).

Observed: every anonymous page embeds a CSRF token (the language form in the header) and sets
the visitor's `csrftoken` cookie, yet was answered without Cache-Control. RFC 9111 lets a shared
cache store such a 200 (Set-Cookie does not inhibit caching, 7.3) and `Vary: Cookie` matches
every other visitor who has no cookie yet: the next one would be given the first one's CSRF
secret, which that first visitor knows, so one could forge the other's POSTs (and a visitor
with their own cookie got a token that did not match it: their language switch was a 403)."""

import pytest
from django.utils.cache import cc_delim_re

from competency_site.tests.http_caching import cache_directives, linked_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return linked_programme()


@pytest.mark.parametrize("path", ["/", "/programs/", "/programs/{pk}/", "/programs/{pk}/decide/"])
def test_an_anonymous_page_holding_a_csrf_token_is_kept_by_no_shared_cache(client, programme, path):
    response = client.get(path.format(pk=programme.pk))

    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "csrftoken" in response.cookies
    assert "private" in cache_directives(response)
    assert "public" not in cache_directives(response)


@pytest.mark.parametrize("path", ["/programs/{pk}/chart.svg", "/programs/{pk}/workbook.xlsx"])
def test_anonymous_downloads_without_a_token_are_still_left_to_the_caches(client, programme, path):
    """A chart or a workbook is the same for every anonymous reader of a language: no token,
    no cookie, so a cache may keep it (revalidating with its ETag)."""
    response = client.get(path.format(pk=programme.pk))

    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
    assert "private" not in cache_directives(response)
    assert response.has_header("ETag")


@pytest.mark.parametrize("path", ["/ims/case/v1p1/CFDocuments", "/api/v1/programs/{pk}/"])
def test_an_api_304_names_every_header_its_200_varies_on(client, programme, path):
    """Observed: a CASE list's 200 (compressible JSON) said `Vary: ..., Accept-Encoding`, its
    304 left Accept-Encoding out. A cache revalidating takes the 304's header fields into the
    stored answer (RFC 9111, 4.3.4; RFC 9110, 15.4.5: a 304 sends the Vary its 200 would), so
    the gzipped copy it kept was then handed to clients that never asked for gzip. Every
    API answer varies on Accept-Encoding, its 304s too, whatever the size of the body."""
    path = path.format(pk=programme.pk)
    gzip = {"Accept-Encoding": "gzip"}
    first = client.get(path, headers=gzip)
    again = client.get(path, headers={**gzip, "If-None-Match": first["ETag"]})

    assert first.status_code == 200
    assert again.status_code == 304
    vary = {v.strip().casefold() for v in cc_delim_re.split(first["Vary"])}
    assert "accept-encoding" in vary
    assert vary <= {v.strip().casefold() for v in cc_delim_re.split(again["Vary"])}
