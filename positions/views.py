"""Pages for positions: Table I as a grid of tracks and degree levels, and one position's
requirements by competency area."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from positions import page_selectors
from positions.signals import position_page_extras

UNPLACED_PER_PAGE = 50


@require_GET
def position_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    unplaced = Paginator(page_selectors.position_unplaced(query=query), UNPLACED_PER_PAGE)
    context = {
        "query": query,
        "table": page_selectors.position_table_one(query=query),
        "unplaced_page": unplaced.get_page(request.GET.get("page")),
    }
    return render(request, "positions/position_list.html", context)


@require_GET
def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = page_selectors.position_page(pk=pk)
    if page is None:
        raise Http404
    columns: list = []
    cells: dict[int, list] = {}
    for _receiver, extras in position_page_extras.send(sender=position_detail, page=page):
        offset = len(columns)
        columns.extend(extras["columns"])
        for requirement_id, row in extras["cells"].items():
            cells.setdefault(requirement_id, [None] * offset).extend(row)
    areas = [
        {
            "area": group.area,
            "rows": [
                {"requirement": r, "cells": _padded(cells.get(r.pk, []), len(columns))}
                for r in group.requirements
            ],
        }
        for group in page.areas
    ]
    context = {
        "page": page,
        "position": page.position,
        "columns": columns,
        "areas": areas,
        "levels": page_selectors.level_scale(),
    }
    return render(request, "positions/position_detail.html", context)


def _padded(row: list, length: int) -> list:
    return row + [None] * (length - len(row))
