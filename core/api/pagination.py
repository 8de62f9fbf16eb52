from django.core.paginator import InvalidPage, Page, Paginator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination


def _whole_number(raw: str) -> bool:
    """At least 1, in plain ASCII digits."""
    return raw.isascii() and raw.isdigit() and bool(raw.strip("0"))


# The digits of a page number a refusal repeats (a number past the end may be any length).
PAGE_SHOWN = 20


class _ListPage(Page):
    # Django's Page iterates through Sequence.__getitem__, one call per item: 1,000 calls for a
    # full page, which DRF makes when it turns the page into a list (~1 ms of a 1,000-link page).
    def __iter__(self):
        if not isinstance(self.object_list, list):
            self.object_list = list(self.object_list)
        return iter(self.object_list)


class _Paginator(Paginator):
    # Where set: page 1 is read before the list is counted (_ReadFirstPaginator).
    read_first = False

    def _get_page(self, *args, **kwargs):
        return _ListPage(*args, **kwargs)

    def page(self, number):
        # No rows counted: an empty page, without reading the list again. Django slices it
        # ([0:0]), and a UNION's slice is compiled in full before it is found empty (as much
        # Python as the count, for a poll of deletions/ with nothing changed).
        if self.count:
            return super().page(number)
        return self._get_page([], self.validate_number(number), self)


class _ReadFirstPaginator(_Paginator):
    def page(self, number):
        # Page 1 read first: fewer rows than a page are all the rows, their number the count
        # (no COUNT, which compiles the list's SQL again); a full page is the page the count
        # would have sliced (no orphans), read once.
        if str(number) != "1" or self.orphans or "count" in self.__dict__:
            return super().page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            self.__dict__["count"] = len(rows)  # Paginator.count, a cached_property
        return self._get_page(rows, self.validate_number(number), self)


class KnownCount:
    """A queryset whose total is already known exactly (e.g. a trigger-kept counter): the
    paginator takes `count()` from here instead of running COUNT(*)."""

    def __init__(self, queryset, count: int) -> None:
        self.queryset = queryset
        self._count = count

    def count(self) -> int:
        return self._count

    @property
    def ordered(self) -> bool:
        return self.queryset.ordered

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key):
        return self.queryset[key]


class StandardPagination(PageNumberPagination):
    """`{count, next, previous, results}`; clients choose `?page_size=` from 1 to 1000."""

    django_paginator_class = _Paginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        # As documented: one page number, a whole number from 1; DRF would take the last of
        # several, and an empty one as 1.
        pages = request.query_params.getlist(self.page_query_param)
        if pages and (len(pages) > 1 or not _whole_number(pages[0])):
            raise ValidationError({self.page_query_param: [_("Give one page number, from 1.")]})
        # DRF's, but for a page past the last, a 404 naming the last page ("Invalid page."
        # alone left a client to guess whether the list shrank or its number was wrong).
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = self.django_paginator_class(queryset, page_size)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage:
            written = str(page_number)
            shown = written if len(written) <= PAGE_SHOWN else written[:PAGE_SHOWN] + "…"
            raise NotFound(
                _("There is no page %(page)s: the last page is %(last)d.")
                % {"page": shown, "last": paginator.num_pages}
            ) from None
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        self.request = request
        return list(self.page)

    def get_page_size(self, request):
        # DRF quietly falls back to the default for a malformed size; say so instead.
        sizes = request.query_params.getlist(self.page_size_query_param)
        raw = sizes[-1] if sizes else None
        if raw is not None and (len(sizes) > 1 or not _whole_number(raw)):
            raise ValidationError(
                {self.page_size_query_param: [_("Use a whole number of at least 1.")]}
            )
        # As documented: more than the maximum is refused, not quietly cut down to it.
        if raw is not None and int(raw) > self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("At most %(max)d results per page.") % {"max": self.max_page_size}
                    ]
                }
            )
        return super().get_page_size(request)

    def get_paginated_response_schema(self, schema):
        # Every key is always there; next/previous are null at the ends (OpenAPI 3.1 types).
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": str(_("Results in all pages."))},
                "next": {**link, "description": str(_("The next page, null on the last."))},
                "previous": {
                    **link,
                    "description": str(_("The previous page, null on the first.")),
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(_("The page to return, from 1.")),
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Results per page (default %(default)d, at most %(max)d).")
                    % {"default": self.page_size, "max": self.max_page_size}
                ),
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                },
            },
        ]


class ReadFirstPagination(StandardPagination):
    """StandardPagination for a list whose SQL costs more to build than to run (deletions/'s
    UNION): page 1 is read before the list is counted, and where it is not full, not counted
    at all (most polls of a sync)."""

    django_paginator_class = _ReadFirstPaginator


def page_parameters() -> list[OpenApiParameter]:
    """StandardPagination's `page` and `page_size`, for an operation that pages part of its
    answer (a list inside an object), which the schema generator does not see as a list."""
    return [
        OpenApiParameter(
            name=parameter["name"],
            type=parameter["schema"],
            location=OpenApiParameter.QUERY,
            required=False,
            description=parameter["description"],
        )
        for parameter in StandardPagination().get_schema_operation_parameters(view=None)
    ]
