"""What a client is answered when the server fails: the API in JSON, pages in HTML.

Observed on the production configuration with the database unreachable: GET /api/v1/levels/
answered the site's HTML error page, which an API client cannot read. (The database out of reach
is now a 503: test_database_unavailable.py; a failure of the site's own stays this 500.)"""

import pytest
from django.db import ProgrammingError
from django.test import Client

from positions.api.views import LevelViewSet


@pytest.fixture
def view_fails(monkeypatch):
    def wrong(self):
        raise ProgrammingError('relation "positions_level" does not exist (port 5432)')

    monkeypatch.setattr(LevelViewSet, "get_queryset", wrong)


@pytest.mark.django_db
def test_an_api_request_that_fails_on_the_server_is_answered_in_json(view_fails):
    response = Client(raise_request_exception=False).get("/api/v1/levels/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "A server error occurred. Try again in a moment."}
    # Nothing of the failure reaches the client.
    assert b"5432" not in response.content


def test_a_page_that_fails_is_still_the_sites_html_error_page(rf):
    from core.errors import server_error

    response = server_error(rf.get("/programs/1/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"Server error" in response.content
