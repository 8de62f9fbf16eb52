"""A request for a host the site does not serve (DJANGO_ALLOWED_HOSTS) is a 400: under /api/
(and /ims/case/) in the API's JSON error body, as every other API error; a page keeps the
site's HTML 400 page.

Observed: GET /api/v1/courses/ with a Host the site does not serve answered Django's HTML "Bad
Request (400)" page, which an API client cannot read as the API's {"detail": ...} errors."""

import pytest

pytestmark = pytest.mark.django_db

ELSEWHERE = {"HTTP_HOST": "not-served.example"}


@pytest.mark.parametrize(
    "path", ["/api/v1/courses/", "/api/v1/nothing-here/", "/ims/case/v1p0/CFDocuments"]
)
def test_an_api_request_for_a_host_not_served_is_a_json_400(client, path):
    response = client.get(path, **ELSEWHERE)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "This site does not serve the host this request names."}
    # The host is not echoed back: it is the sender's text.
    assert b"not-served.example" not in response.content


def test_a_write_to_the_api_for_a_host_not_served_is_a_json_400(client):
    response = client.post(
        "/api/v1/courses/", {"code": "X"}, content_type="application/json", **ELSEWHERE
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_page_for_a_host_not_served_keeps_the_html_400_page(client):
    response = client.get("/", **ELSEWHERE)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"<html" in response.content.lower()
