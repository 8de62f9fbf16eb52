"""Pages for positions: Table I as a grid of tracks and degree levels. One position's page shows
which programmes build its requirements, so it lives in curricula (curricula.views.positions)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from positions import selectors

UNPLACED_PER_PAGE = 50


@require_GET
def position_list_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    unplaced = Paginator(selectors.position_unplaced(query=query), UNPLACED_PER_PAGE)
    context = {
        "query": query,
        "table": selectors.position_table_one(query=query),
        "unplaced_page": unplaced.get_page(request.GET.get("page")),
    }
    return render(request, "positions/position_list.html", context)
