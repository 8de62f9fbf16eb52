"""A list's HEAD carries what its GET carries (RFC 9110, 9.3.2), the ETag included, and honours
If-None-Match: a client polling a list cheaply with HEAD learns whether it changed.

Lists are tagged by Django's ConditionalGetMiddleware, which tags and compares GETs only (a
HEAD's body is empty by the time plain Django views reach it; DRF's views render it whole)."""

import pytest

from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

LISTS = ("/api/v1/courses/", "/api/v1/levels/?ordering=-rank", "/api/v1/course-abilities/")


@pytest.mark.parametrize("url", LISTS)
def test_a_lists_head_answers_its_gets_etag(api_client, url):
    """Observed: HEAD /api/v1/courses/ answered 200 with no ETag, where its GET had one."""
    CourseFactory()
    tag = api_client.get(url)["ETag"]

    head = api_client.head(url)

    assert head.status_code == 200
    assert head["ETag"] == tag
    assert head.content == b""


@pytest.mark.parametrize("url", LISTS[:2])
def test_a_lists_head_is_304_while_the_etag_is_current_and_200_once_it_changes(api_client, url):
    CourseFactory()
    tag = api_client.get(url)["ETag"]

    assert api_client.head(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    CourseFactory()  # a new course changes the course list and nothing in the levels
    again = api_client.head(url, HTTP_IF_NONE_MATCH=tag)
    if url.startswith("/api/v1/levels/"):
        assert again.status_code == 304
    else:
        assert again.status_code == 200
        assert again["ETag"] != tag


def test_a_streamed_downloads_head_is_answered_without_reading_the_stream(api_client):
    CourseFactory()

    head = api_client.head("/api/v1/course-abilities/export/")

    assert head.status_code == 200
    assert head["Content-Type"].startswith("text/csv")
    assert b"".join(head.streaming_content) == b""
