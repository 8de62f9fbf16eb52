"""Pages for positions: Table I as a grid of tracks and degree levels, each cell showing its first
placements with a link to the rest (the cell's own paged list). One position's page shows which
programmes build its requirements, so it lives in curricula (curricula.views.positions)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from core.models import DegreeLevel
from core.search import shortened
from positions import selectors
from positions.models import Track

UNPLACED_PER_PAGE = 50
CELL_PER_PAGE = 50


class CountedPaginator(Paginator):
    """A paginator told how many objects there are, by a page that has counted them already
    (with other counts, in one query): it does not count them again."""

    def __init__(self, object_list, per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


def _table_one_cell(request: HttpRequest) -> tuple[Track, str] | None:
    """The Table I cell a `?track=<id>&degree=<level>` link asks for; None for none or junk."""
    track_id, degree = request.GET.get("track", ""), request.GET.get("degree", "")
    if not (track_id.isascii() and track_id.isdigit() and int(track_id) < 2**63):
        return None
    if degree not in DegreeLevel.values:
        return None
    track = selectors.track_get(pk=int(track_id))
    return (track, degree) if track else None


@require_safe
def position_list_page(request: HttpRequest) -> HttpResponse:
    query = shortened(request.GET.get("q", ""), 200)
    cell = _table_one_cell(request)
    if cell is not None:
        track, degree = cell
        placements = selectors.position_table_one_cell(
            track=track, degree_level=degree, query=query
        )
        cell_from_paper = selectors.position_table_one_cell_from_paper(
            track=track, degree_level=degree
        )
        matches_from_paper = (
            selectors.position_table_one_cell_from_paper(
                track=track, degree_level=degree, query=query
            )
            if query
            else cell_from_paper
        )
        context = {
            "query": query,
            "cell_track": track,
            "cell_degree": DegreeLevel(degree).label,
            "cell_page": Paginator(placements, CELL_PER_PAGE).get_page(request.GET.get("page")),
            # Table I's words only for what the paper lists, the whole cell (its title) and
            # the entries shown (their counts); staff's placements beside them get neutral ones.
            "cell_from_paper": cell_from_paper,
            "matches_from_paper": matches_from_paper,
            "cell_params": urlencode({"track": track.pk, "degree": degree}),
            # The search form keeps the cell: its track and degree ride along as hidden fields.
            "cell_hidden": [("track", track.pk), ("degree", degree)],
        }
        return render(request, "positions/position_cell_list.html", context)
    unplaced = selectors.position_unplaced(query=query)
    pages = CountedPaginator(unplaced.positions, UNPLACED_PER_PAGE, count=unplaced.counts.total)
    context = {
        "query": query,
        "table": selectors.position_table_one(query=query),
        "unplaced_page": pages.get_page(request.GET.get("page")),
        # What the positions below are, so that their introduction names only what is there.
        "unplaced_counts": unplaced.counts,
    }
    return render(request, "positions/position_list.html", context)
