"""A form refused for its CSRF token: the page a designer meets when the map or a form was opened
before signing in or out in another tab (Django rotates the token at every sign-in), or with
cookies off. Observed (an attacker's scanner, then by hand): Django's own page, English-styled
with its own inline stylesheet, `<html lang="en">` on a Chinese reader's page, and words for the
site's developer ("The view function passes a request to the template's render method"); the
map's editor showed that whole page inside its side panel."""

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from core.tests.addresses import HOSTILE, INSECURE_ON_HTTPS
from curricula.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

STALE = "a" * 32  # a token the page held before the session's token was rotated
LOGIN = "/accounts/login/"


def _client(language: str = "en") -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = language
    return client


def _with_a_rotated_token(client: Client) -> Client:
    client.get(LOGIN)  # the cookie the site sets; the form below still holds an older token
    return client


def _says(language: str, message: str) -> str:
    """The message as the page writes it: in `language`, HTML-escaped."""
    with translation.override(language):
        return escape(gettext(message))


OUT_OF_DATE = (
    "The page this form came from is out of date (you signed in or out since it was opened, "
    "perhaps in another tab), so nothing was saved. Reload the page and send it again."
)
NO_COOKIE = (
    "Your browser did not send this site's cookie, which every form needs, so nothing was "
    "saved: allow cookies for this site, then reload the page and send it again."
)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_stale_form_is_refused_on_the_sites_own_page_in_the_readers_language(language):
    client = _with_a_rotated_token(_client(language))

    response = client.post(
        LOGIN,
        {"csrfmiddlewaretoken": STALE, "username": "u", "password": "p"},
        headers={"referer": f"http://testserver{LOGIN}?next=/programs/"},
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert "/static/css/site.css" in page
    assert "<style" not in page
    assert _says(language, "Form not sent") in page
    assert _says(language, OUT_OF_DATE) in page
    # Back to the form it came from, to load it afresh.
    assert f'href="{LOGIN}?next=/programs/"' in page
    assert "render" not in page
    assert "CsrfViewMiddleware" not in page


def test_without_the_cookie_the_page_says_to_allow_cookies():
    response = _client().post(LOGIN, {"username": "u", "password": "p"})

    assert response.status_code == 403
    assert _says("en", NO_COOKIE) in response.content.decode()


def test_a_form_sent_from_an_address_the_site_does_not_trust_says_so(settings):
    client = _with_a_rotated_token(_client())
    token = client.cookies["csrftoken"].value

    response = client.post(
        LOGIN,
        {"csrfmiddlewaretoken": token, "username": "u", "password": "p"},
        headers={"origin": "http://elsewhere.example"},
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "DJANGO_CSRF_TRUSTED_ORIGINS" in page
    # Not offered as the way back: the address is another site's.
    assert "elsewhere.example" not in page


def test_a_referer_on_another_site_is_not_linked():
    client = _with_a_rotated_token(_client())

    response = client.post(
        LOGIN,
        {"csrfmiddlewaretoken": STALE},
        headers={"referer": "http://elsewhere.example/trap"},
    )

    assert response.status_code == 403
    assert "elsewhere.example" not in response.content.decode()


def test_the_map_editor_gets_its_panels_refusal_not_a_whole_page(staff_user):
    programme = ProgrammeFactory()
    client = _client()
    client.force_login(staff_user)
    _with_a_rotated_token(client)
    map_url = f"http://testserver{programme.get_absolute_url()}"

    response = client.post(
        f"/programs/{programme.pk}/changes/",
        {"csrfmiddlewaretoken": STALE},
        headers={"x-map-editor": "1", "referer": map_url},
    )

    assert response.status_code == 403
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert "<style" not in fragment
    assert 'class="map-errors"' in fragment
    assert _says("en", "Nothing was written") in fragment
    assert _says("en", OUT_OF_DATE) in fragment
    assert f'href="{programme.get_absolute_url()}"' in fragment


def test_the_refusal_is_never_stored_by_a_cache():
    response = _with_a_rotated_token(_client()).post(LOGIN, {"csrfmiddlewaretoken": STALE})

    assert "no-store" in response["Cache-Control"]


def _reload_link(page: str) -> str | None:
    """Where the page's "Reload the page" button goes, or None without one."""
    found = re.search(r'<a class="button" href="([^"]*)">', page)
    return found[1] if found else None


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("referer", HOSTILE)
def test_a_referer_that_is_no_page_of_this_site_is_not_offered_as_the_way_back(referer, secure):
    """The button reloads a page of this site (core.http.site_path), or is left out."""
    client = _client()
    client.get(LOGIN, secure=secure)

    response = client.post(
        LOGIN, {"csrfmiddlewaretoken": STALE}, headers={"referer": referer}, secure=secure
    )

    assert response.status_code == 403
    assert _reload_link(response.content.decode()) is None


def test_this_hosts_http_referer_is_no_way_back_over_https():
    client = _client()
    client.get(LOGIN, secure=True)

    response = client.post(
        LOGIN,
        {"csrfmiddlewaretoken": STALE},
        headers={"referer": INSECURE_ON_HTTPS},
        secure=True,
    )

    assert response.status_code == 403
    assert _reload_link(response.content.decode()) is None


def test_the_way_back_keeps_the_pages_query():
    client = _with_a_rotated_token(_client())

    response = client.post(
        LOGIN,
        {"csrfmiddlewaretoken": STALE},
        headers={"referer": "http://testserver/programs/1/?view=x&status=missing"},
    )

    assert _reload_link(response.content.decode()) == "/programs/1/?view=x&amp;status=missing"
