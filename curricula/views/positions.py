"""One position's page: its requirements by competency area, beside the programmes that target it
or build what it requires. A page of curricula, since it combines positions with programmes."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from curricula.selectors.positions import position_programmes_page
from positions.selectors import level_scale


@require_GET
def position_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = position_programmes_page(pk=pk)
    if found is None:
        raise Http404
    context = {
        "page": found.page,
        "position": found.page.position,
        "columns": found.columns,
        "areas": found.areas,
        "levels": level_scale(),
    }
    return render(request, "curricula/position_detail.html", context)
