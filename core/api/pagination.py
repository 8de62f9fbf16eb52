from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class _ListPage(Page):
    # Django's Page iterates through Sequence.__getitem__, one call per item: 1,000 calls for a
    # full page, which DRF makes when it turns the page into a list (~1 ms of a 1,000-link page).
    def __iter__(self):
        if not isinstance(self.object_list, list):
            self.object_list = list(self.object_list)
        return iter(self.object_list)


class _Paginator(Paginator):
    def _get_page(self, *args, **kwargs):
        return _ListPage(*args, **kwargs)


class StandardPagination(PageNumberPagination):
    """`{count, next, previous, results}`; clients choose `?page_size=` up to 1000."""

    django_paginator_class = _Paginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        # DRF quietly falls back to the default for a malformed size; say so instead.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and raw.strip("0")):
            raise ValidationError(
                {self.page_size_query_param: [_("Use a whole number of at least 1.")]}
            )
        return super().get_page_size(request)
