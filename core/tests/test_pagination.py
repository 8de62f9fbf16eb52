"""StandardPagination: what a page reads."""

from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from core.api.pagination import KnownCount, StandardPagination


class _Unread:
    """A list that must not be read: the test fails where it is."""

    def __getitem__(self, key):
        raise AssertionError(f"read {key!r}")


def test_a_page_of_an_empty_list_does_not_read_the_list_again():
    """Counted empty, the first page is empty without a second read: Django slices the list
    ([0:0]), and a UNION's slice (deletions/) was compiled in full, as much Python as the
    count, before it was found empty."""
    request = Request(APIRequestFactory().get("/api/v1/deletions/"))
    pagination = StandardPagination()
    assert pagination.paginate_queryset(KnownCount(_Unread(), 0), request) == []
    assert pagination.get_paginated_response([]).data["count"] == 0
