"""Static files answer a future If-Modified-Since as the pages do: by ignoring it.

Observed: `GET /static/css/site.css` with `If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT`
was answered 304 by WhiteNoise, which compares any date it can read with the file's
modification time, while the pages and the API (core.middleware.ConditionalGetMiddleware,
core.api.conditional.if_modified_since) ignore a date later than the server's clock, as RFC
9110 (13.1.3) has a recipient do: a client whose clock is wrong revalidated nothing for ever.
"""

import os
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date

from competency_site.settings import BASE_DIR

ASSET = "css/site.css"
FUTURE = "Fri, 31 Dec 9999 23:59:59 GMT"


@pytest.fixture
def static_client(settings):
    """A client whose middleware serves static/ from the finders, as under DEBUG: a new
    Client builds its middleware from the settings of its first request."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    return Client()


def _soon() -> str:
    return http_date((timezone.now() + timedelta(hours=1)).timestamp())


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("date", [FUTURE, "soon"], ids=["year-9999", "an-hour-ahead"])
def test_a_static_file_ignores_an_if_modified_since_in_the_future(static_client, method, date):
    since = _soon() if date == "soon" else date

    response = getattr(static_client, method)(f"/static/{ASSET}", HTTP_IF_MODIFIED_SINCE=since)

    assert response.status_code == 200
    if method == "get":
        assert b"".join(response.streaming_content) == (BASE_DIR / "static" / ASSET).read_bytes()


def test_a_static_file_still_revalidates_with_a_date_up_to_now(static_client):
    modified = os.stat(BASE_DIR / "static" / ASSET).st_mtime
    for since in (http_date(modified), http_date(timezone.now().timestamp())):
        response = static_client.get(f"/static/{ASSET}", HTTP_IF_MODIFIED_SINCE=since)

        assert response.status_code == 304, since


def test_a_static_file_answers_its_etag_with_a_304_whatever_the_date(static_client):
    """If-None-Match decides where it is given (RFC 9110, 13.2.2): the date is not read."""
    etag = static_client.get(f"/static/{ASSET}")["ETag"]

    response = static_client.get(
        f"/static/{ASSET}", HTTP_IF_NONE_MATCH=etag, HTTP_IF_MODIFIED_SINCE=FUTURE
    )

    assert response.status_code == 304
