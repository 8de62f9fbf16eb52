"""The site search page: one box in every page's header, the hits grouped by kind."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from curricula.selectors import search as search_selectors


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    if kind not in search_selectors.FIELDS:
        kind = None
    results = search_selectors.site_search(
        query=request.GET.get("q", ""), kind=kind, page=request.GET.get("page")
    )
    return render(request, "curricula/search.html", {"results": results, "kind": kind})
