"""One position's page: its requirements by competency area, beside the programmes that target it
or build what it requires; and one of its cells in detail (which of a programme's courses build
the requirement, how deeply, and where each link came from). Pages of curricula, since they
combine positions with programmes."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from curricula.selectors import positions as position_selectors
from curricula.selectors.maps import requirement_programme_detail
from curricula.selectors.positions import position_programmes_page, position_requirement_get
from curricula.selectors.programmes import programme_exists, programme_get
from curricula.views.programmes import can_read_link_history


@require_safe
def position_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    # `cols`: the page of programme columns (`all`: every one); junk or out of range gives the
    # nearest page.
    found = position_programmes_page(pk=pk, column_page=request.GET.get("cols"))
    if found is None:
        raise Http404
    columns = found.columns
    # Printed, the columns come in slices that fit across the paper, each its own table, headed
    # with the places of its programmes among all of them (the pager does not print).
    before = found.column_page.start_index() - 1 if columns else 0
    print_slices = [
        {
            "columns": columns[start : start + POSITION_PRINT_COLUMNS],
            "first": before + start + 1,
            "last": before + min(start + POSITION_PRINT_COLUMNS, len(columns)),
            "cells": f"{start}:{start + POSITION_PRINT_COLUMNS}",
        }
        for start in range(0, len(columns), POSITION_PRINT_COLUMNS)
    ]
    context = {
        "page": found.page,
        "position": found.page.position,
        "columns": columns,
        "print_slices": print_slices,
        "print_headed": len(print_slices) > 1 or found.column_page.paginator.count > len(columns),
        "column_page": found.column_page,
        "page_size": position_selectors.POSITION_PAGE_COLUMNS,
        "areas": found.areas,
        "levels": found.levels,
        "has_crosswalked": found.has_crosswalked,
        # Without a column: whether that is because there is no programme at all (one query
        # then, none otherwise).
        "any_programme": bool(found.columns) or programme_exists(),
    }
    return render(request, "curricula/position_detail.html", context)


# Programme columns per printed table of a position's comparison: what fits across landscape A4
# at print size, each programme's name written across its column.
POSITION_PRINT_COLUMNS = 10


@require_safe
def position_cell_page(
    request: HttpRequest, pk: int, programme_id: int, ability_id: int
) -> HttpResponse:
    """A cell of the position page: the programme's courses building the required ability, each
    with its level, note, provenance and last change, and those reaching it through a crosswalk
    the programme counts. The page's script shows it in a panel."""
    requirement = position_requirement_get(position_id=pk, ability_id=ability_id)
    programme = programme_get(pk=programme_id)
    if requirement is None or programme is None:
        raise Http404
    # The programme's courses with their links, and the level and status the coverage engine
    # finds under the programme's crosswalk rules, as its map and stored report count them.
    detail = requirement_programme_detail(requirement=requirement, programme=programme)
    context = {
        "position": requirement.position,
        "requirement": requirement,
        "programme": programme,
        "detail": detail,
        "show_history": can_read_link_history(request.user),
    }
    if request.headers.get("X-Map-Editor") == "1":
        return render(request, "curricula/_position_cell_panel.html", context)
    return render(request, "curricula/position_cell.html", context)
