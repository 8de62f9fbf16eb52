"""The router every app's viewsets register on."""

from rest_framework.routers import DefaultRouter

# Ids in URLs look like ids (at most 18 digits): a malformed, negative or oversized id is a plain
# 404 from the URL resolver instead of a database error.
ID_PATTERN = r"[0-9]{1,18}"


class Router(DefaultRouter):
    """DRF's DefaultRouter whose detail routes take only id-shaped lookups unless a viewset says
    otherwise (`lookup_value_regex`)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._default_value_pattern = ID_PATTERN
