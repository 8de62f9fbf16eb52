"""The programme pages: the overview, the programmes, each programme's curriculum map and gap
report with their downloads, and the staff's in-place edits of map cells."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.csv import csv_response
from curricula import services
from curricula.models import Programme
from curricula.selectors import programmes as selectors

CHANGE_LINK = "curricula.change_courseability"
ADD_LINK = "curricula.add_courseability"
DELETE_LINK = "curricula.delete_courseability"


def can_edit_map(user) -> bool:
    """Staff holding the change permission on course-ability links see and use the cell forms."""
    return bool(user.is_active and user.is_staff and user.has_perm(CHANGE_LINK))


@require_GET
def home_page(request: HttpRequest) -> HttpResponse:
    summaries = selectors.programme_summaries()
    # What to look at first: the programmes leaving the most essential requirements missing.
    first = sorted(
        (s for s in summaries if s.figures.get("missing")),
        key=lambda s: (-(s.figures["missing"] or 0), s.figures.get("percent") or 0),
    )[:3]
    return render(request, "home.html", {"summaries": summaries, "look_first": first})


@require_GET
def programme_list_page(request: HttpRequest) -> HttpResponse:
    summaries = selectors.programme_summaries()
    return render(request, "curricula/programme_list.html", {"summaries": summaries})


def programme_or_404(pk: int) -> Programme:
    programme = selectors.programme_get(pk=pk)
    if programme is None:
        raise Http404
    return programme


def positive_int(value: str | None) -> int | None:
    """A primary key from a query or form parameter; None for anything else (no 500 on junk)."""
    if value and value.isascii() and value.isdigit() and 0 < int(value) < 2**63:
        return int(value)
    return None


@require_GET
def programme_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_or_404(pk)
    position_id = positive_int(request.GET.get("position"))
    curriculum_map = selectors.curriculum_map(programme=programme, position_id=position_id)
    context = {
        "programme": programme,
        "map": curriculum_map,
        "report": selectors.gap_report(programme=programme, position_id=curriculum_map.position_id),
        "can_edit": can_edit_map(request.user),
        "position_id": curriculum_map.position_id,
    }
    return render(request, "curricula/programme_detail.html", context)


@require_GET
def programme_gaps_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """The gap report alone: what the page polls while the report is being recomputed."""
    programme = programme_or_404(pk)
    position_id = positive_int(request.GET.get("position"))
    context = {
        "programme": programme,
        "report": selectors.gap_report(programme=programme, position_id=position_id),
        "position_id": position_id,
    }
    return render(request, "curricula/_gap_report.html", context)


@require_GET
def programme_chart_svg(request: HttpRequest, pk: int) -> HttpResponse:
    """Coverage by competency area as a standalone SVG image."""
    programme = programme_or_404(pk)
    report = selectors.gap_report(programme=programme)
    svg = render_to_string(
        "curricula/chart.svg", {"programme": programme, "report": report, "standalone": True}
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="programme-{programme.pk}-coverage.svg"'
    return response


@require_GET
def programme_map_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The curriculum map as CSV: one row per course, one column per required ability, each
    cell the level code the course builds it to (empty when it does not)."""
    programme = programme_or_404(pk)
    position_id = positive_int(request.GET.get("position"))
    curriculum_map = selectors.curriculum_map(programme=programme, position_id=position_id)
    rows = [row for group in curriculum_map.areas for row in group.rows]
    header = [_("course code"), _("course title")] + [
        f"{row.code} {row.text}".strip() for row in rows
    ]
    minimum = ["", _("minimum level required")] + [row.min_level.code for row in rows]
    courses = (
        [column.code, column.listed_as or column.title]
        + [level.code if level else "" for level in (row.cells[index].level for row in rows)]
        for index, column in enumerate(curriculum_map.columns)
    )
    return csv_response(
        filename=f"programme-{programme.pk}-map.csv", header=header, rows=[minimum, *courses]
    )


@require_POST
def programme_cell_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Set or clear one cell of the map: the level a course builds an ability to.

    With htmx, answers with the updated map row and, out of band, the gap report; without
    JavaScript, redirects back to the map.
    """
    if not can_edit_map(request.user):
        raise PermissionDenied
    programme = programme_or_404(pk)
    course_id = positive_int(request.POST.get("course"))
    ability_id = positive_int(request.POST.get("ability"))
    position_id = positive_int(request.POST.get("position"))
    level_code = request.POST.get("level", "").strip()
    if course_id is None or ability_id is None:
        return HttpResponseBadRequest(_("Choose a course and an ability."))
    if not selectors.map_contains(programme=programme, course_id=course_id, ability_id=ability_id):
        return HttpResponseBadRequest(
            _("That course and ability are not a cell of this programme's map.")
        )
    link, course, ability, level = selectors.cell_targets(
        course_id=course_id, ability_id=ability_id, level_code=level_code
    )
    if level_code and level is None:
        return HttpResponseBadRequest(_("Unknown level “%(code)s”.") % {"code": level_code})
    try:
        if level is None:
            if link is not None:
                require_permission(request.user, DELETE_LINK)
                services.course_ability_unlink(link=link)
        elif link is None:
            require_permission(request.user, ADD_LINK)
            services.course_ability_link(course=course, ability=ability, level=level)
        elif link.level_id != level.pk:
            services.course_ability_update(link=link, level=level)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))

    if request.headers.get("HX-Request") != "true":
        messages.success(request, _("Saved. The gap report is being brought up to date."))
        url = reverse("curricula:programme-detail", args=[programme.pk])
        if position_id:
            url += "?" + urlencode({"position": position_id})
        return redirect(f"{url}#row-{ability_id}")

    # Re-read the programme: the edit marked its coverage stale (or already recomputed it inline).
    programme = programme_or_404(pk)
    curriculum_map = selectors.curriculum_map(
        programme=programme, position_id=position_id, ability_ids=[ability_id]
    )
    context = {
        "programme": programme,
        "map": curriculum_map,
        "rows": [row for group in curriculum_map.areas for row in group.rows],
        "report": selectors.gap_report(programme=programme, position_id=curriculum_map.position_id),
        "can_edit": True,
        "position_id": curriculum_map.position_id,
        "oob": True,
    }
    return render(request, "curricula/_cell_response.html", context)


def require_permission(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied
