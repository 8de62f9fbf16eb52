"""Django's own doors that take a `next` (the language switcher, log in and log out, the
admin's log in and log out) check it with `url_has_allowed_host_and_scheme`: no address sent
to them leads off this site, and no redirect carries a control character (Django writes one
percent-encoded). They are not wrapped in core.http.site_path; these tests keep them honest.

Where they differ from site_path, harmlessly: a relative address ("programs/1/"), one holding
an encoded or dropped control character ("/a%0A//evil.example") and this site's full address
of a path that starts with two slashes ("http://testserver//evil.example/x") are followed,
each to a page of this site (a 404), instead of to the home page."""

import html
import re
import unicodedata
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from core.tests.addresses import HOSTILE, INSECURE_ON_HTTPS

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough pass phrase"

# Besides site_path's: the spellings of another host a browser reads through a door.
MORE = [
    "//evil.example",
    "/%5Cevil.example",  # encoded: a path of this site, not another host
    "/%5C%5Cevil.example",
    "/%2F/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\n//evil.example",
    "https:evil.example",
    "http:///evil.example",
    "///evil.example",
    "javascript:alert(1)//",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]
ADDRESSES = [address for address in HOSTILE + MORE if "\x00" not in address]


def _stays_here(base: str, location: str, *, secure: bool, as_header: bool = True) -> None:
    """`location`, followed from `base` as a browser would (dropping tabs and newlines, reading
    a backslash as a slash), is a page of this site; as a header, it holds no control
    character."""
    if as_header:
        assert not any(unicodedata.category(char)[0] == "C" for char in location), location
    read = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    target = urlsplit(urljoin(base, read))
    assert target.scheme == ("https" if secure else "http"), location
    assert target.netloc == "testserver", location


def _user(django_user_model):
    return django_user_model.objects.create_user(
        "reader", password=PASSWORD, is_staff=True, is_superuser=True
    )


def _field(page, door: str) -> str:
    """The log-in form's `next` (the header's language form has its own)."""
    text = page.content.decode()
    start = 'id="login-form"' if door.startswith("/admin/") else f'action="{door}"'
    form = text[text.index(start) :]
    return html.unescape(re.search(r'name="next" value="([^"]*)"', form)[1])


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("address", ADDRESSES)
def test_the_language_switch_goes_nowhere_else(address, secure):
    scheme = "https" if secure else "http"
    answer = Client().post(
        "/i18n/setlang/", {"language": "zh-hans", "next": address}, secure=secure
    )
    assert answer.status_code == 302
    _stays_here(f"{scheme}://testserver/i18n/setlang/", answer["Location"], secure=secure)
    if not re.search(r"[\r\n]", address):  # a header cannot carry a newline
        answer = Client().post(
            "/i18n/setlang/", {"language": "en"}, headers={"referer": address}, secure=secure
        )
        assert answer.status_code == 302
        _stays_here(f"{scheme}://testserver/i18n/setlang/", answer["Location"], secure=secure)


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("door", ["/accounts/login/", "/admin/login/"])
def test_logging_in_goes_nowhere_else(django_user_model, door, address, secure):
    _user(django_user_model)
    scheme = "https" if secure else "http"
    client = Client()
    page = client.get(door, {"next": address}, secure=secure)
    assert page.status_code == 200
    # The form's field (not a header, not a link) keeps a tab or newline the address had,
    # which its post sends back: the redirect below is the check.
    _stays_here(
        f"{scheme}://testserver{door}", _field(page, door) or "/", secure=secure, as_header=False
    )
    answer = client.post(
        door, {"username": "reader", "password": PASSWORD, "next": address}, secure=secure
    )
    assert answer.status_code == 302
    _stays_here(f"{scheme}://testserver{door}", answer["Location"], secure=secure)


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("door", ["/accounts/logout/", "/admin/logout/"])
def test_logging_out_goes_nowhere_else(django_user_model, door, address, secure):
    client = Client()
    client.force_login(_user(django_user_model))
    answer = client.post(door, {"next": address}, secure=secure)
    assert answer.status_code == 302
    scheme = "https" if secure else "http"
    _stays_here(f"{scheme}://testserver{door}", answer["Location"], secure=secure)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("method", "door"),
    [
        ("post", "/i18n/setlang/"),
        ("post", "/accounts/login/"),
        ("post", "/admin/login/"),
        ("post", "/accounts/logout/"),
        ("post", "/admin/logout/"),
    ],
)
def test_this_hosts_http_address_is_not_followed_over_https(django_user_model, method, door):
    user = _user(django_user_model)
    client = Client()
    if "logout" in door:
        client.force_login(user)
    data = {"language": "en", "username": "reader", "password": PASSWORD}
    answer = client.post(door, {**data, "next": INSECURE_ON_HTTPS}, secure=True)
    assert answer.status_code == 302
    assert not answer["Location"].startswith("http:"), answer["Location"]


@pytest.mark.parametrize(
    "door", ["/i18n/setlang/", "/accounts/login/", "/admin/login/", "/accounts/logout/"]
)
def test_a_page_of_this_site_is_followed(django_user_model, door):
    """The doors do go back where they were asked to: the tests above do not pass by going
    home every time."""
    user = _user(django_user_model)
    client = Client()
    if "logout" in door:
        client.force_login(user)
    data = {"language": "en", "username": "reader", "password": PASSWORD}
    answer = client.post(door, {**data, "next": "/programs/?q=x"})
    assert answer["Location"] == "/programs/?q=x"
