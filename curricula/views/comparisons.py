"""Comparing programmes: the page (/programs/compare/?p=1&p=2) and its CSV. The reads are
curricula.selectors.comparisons'; the API's twin is ProgrammeViewSet.compare."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from core.csv import csv_response
from core.downloads import content_disposition
from curricula.selectors import comparisons
from curricula.selectors.maps import SEARCH_MAX_LENGTH
from curricula.templatetags.maps import status_label
from curricula.views.programmes import positive_int


def comparison_filters(params) -> comparisons.ComparisonFilters:
    """The page's filters from its query string, leniently (as the map's): junk in a shared
    link is ignored."""
    scope = params.get("scope")
    area = params.get("area")
    return comparisons.ComparisonFilters(
        scope=scope if scope in comparisons.SCOPES else comparisons.SCOPE_REQUIRED,
        position_id=positive_int(params.get("position")),
        area_id=0 if area == "0" else positive_int(area),
        q=" ".join(str(params.get("q") or "").split())[:SEARCH_MAX_LENGTH],
        differences=params.get("differences") in ("1", "true", "on"),
    )


def _read(request: HttpRequest):
    """(programmes, error): the programmes the query string names, or why they cannot be
    compared (None when none were asked for: the page then offers its form alone)."""
    raw = [value for value in request.GET.getlist("p") if value.strip()]
    if not raw:
        return None, None
    try:
        ids = comparisons.comparison_programme_ids(raw)
        return comparisons.comparison_programmes(ids=ids), None
    except comparisons.ComparisonInputError as error:
        return None, error.message


@require_safe
def programme_compare_page(request: HttpRequest) -> HttpResponse:
    """The comparison, or with `format=csv` its download (one address: what the page shows is
    what the download holds, filters included)."""
    if request.GET.get("format") == "csv":
        return programme_compare_csv(request)
    programmes, error = _read(request)
    chosen = [value.strip() for value in request.GET.getlist("p") if value.strip()]
    if not chosen and positive_int(request.GET.get("from")):
        # From a programme's page: that programme chosen first, the others to choose.
        chosen = [request.GET["from"]]
    context = {
        "choices": comparisons.comparison_programme_choices(),
        # Four menus, each with its choice: the first two to fill, two more optional.
        "slots": (chosen + [""] * comparisons.MAX_COMPARED)[: comparisons.MAX_COMPARED],
        "error": error,
    }
    if programmes is None:
        return render(
            request, "curricula/programme_compare.html", context, status=400 if error else 200
        )
    comparison = comparisons.programme_comparison(
        programmes=programmes, filters=comparison_filters(request.GET)
    )
    # The links (pages, CSV) carry the filters kept, not one the menus do not offer.
    filters = comparison.filters
    page = Paginator(comparison.rows, comparisons.COMPARISON_PAGE_ROWS).get_page(
        request.GET.get("page")
    )
    base = [("p", programme.pk) for programme in programmes]
    view = list(base)
    if filters.scope != comparisons.SCOPE_REQUIRED:
        view.append(("scope", filters.scope))
    if filters.position_id:
        view.append(("position", filters.position_id))
    if filters.area_id is not None:
        view.append(("area", filters.area_id))
    if filters.q:
        view.append(("q", filters.q))
    if filters.differences:
        view.append(("differences", "1"))
    context.update(
        {
            "comparison": comparison,
            "rows": page.object_list,
            "rows_page": page,
            "view_query": urlencode(view),
            "filtered": len(view) > len(base),
        }
    )
    return render(request, "curricula/programme_compare.html", context)


def programme_compare_csv(request: HttpRequest) -> HttpResponse:
    """The comparison's rows, every one the filters keep: per programme the best level and the
    status against the level required. For reading, as *Map as CSV*: the header and the
    statuses in the reader's language, the levels as their codes (as the page shows them); the
    API keeps the statuses' codes."""
    programmes, error = _read(request)
    if programmes is None:
        return HttpResponse(
            error or _("Choose at least two programmes to compare."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    comparison = comparisons.programme_comparison(
        programmes=programmes, filters=comparison_filters(request.GET)
    )
    header = [_("ability code"), _("ability"), _("competency area"), _("minimum level required")]
    for entry in comparison.programmes:
        header += [
            _("%(programme)s: level") % {"programme": entry.name},
            _("%(programme)s: status") % {"programme": entry.name},
        ]
    rows = (
        [row.code, row.text, row.area, row.min_level]
        + [value for cell in row.cells for value in (cell.level, status_label(cell.status))]
        for row in comparison.rows
    )
    return csv_response(
        disposition=content_disposition(
            # Named as the reader reads it, as the map's and workbook's downloads are.
            label=pgettext("download file name", "programmes compared"),
            suffix=".csv",
            fallback="programmes-compared",
        ),
        header=header,
        rows=rows,
        for_spreadsheets=True,
        stream=False,
    )
