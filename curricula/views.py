"""Pages for curriculum designers: the overview, the programmes, each programme's curriculum map
and gap report with their downloads, and the staff's in-place edits of map cells."""

import csv
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from curricula import page_selectors, services
from curricula.decisions import selectors as decision_selectors
from curricula.decisions import services as decision_services
from curricula.decisions.selectors import LinkChange
from curricula.models import Programme

CHANGE_LINK = "curricula.change_courseability"
ADD_LINK = "curricula.add_courseability"
DELETE_LINK = "curricula.delete_courseability"


def can_edit_map(user) -> bool:
    """Staff holding the change permission on course-ability links see and use the cell forms."""
    return bool(user.is_active and user.is_staff and user.has_perm(CHANGE_LINK))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    summaries = page_selectors.programme_summaries()
    # What to look at first: the programmes leaving the most essential requirements missing.
    first = sorted(
        (s for s in summaries if s.figures.get("missing")),
        key=lambda s: (-(s.figures["missing"] or 0), s.figures.get("percent") or 0),
    )[:3]
    return render(request, "home.html", {"summaries": summaries, "look_first": first})


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    summaries = page_selectors.programme_summaries()
    return render(request, "curricula/programme_list.html", {"summaries": summaries})


def _programme_or_404(pk: int) -> Programme:
    programme = page_selectors.programme_get(pk=pk)
    if programme is None:
        raise Http404
    return programme


def _positive_int(value: str | None) -> int | None:
    """A primary key from a query or form parameter; None for anything else (no 500 on junk)."""
    if value and value.isascii() and value.isdigit() and 0 < int(value) < 2**63:
        return int(value)
    return None


@require_GET
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(pk)
    position_id = _positive_int(request.GET.get("position"))
    curriculum_map = page_selectors.curriculum_map(programme=programme, position_id=position_id)
    context = {
        "programme": programme,
        "map": curriculum_map,
        "report": page_selectors.gap_report(
            programme=programme, position_id=curriculum_map.position_id
        ),
        "can_edit": can_edit_map(request.user),
        "position_id": curriculum_map.position_id,
    }
    return render(request, "curricula/programme_detail.html", context)


@require_GET
def programme_gaps(request: HttpRequest, pk: int) -> HttpResponse:
    """The gap report alone: what the page polls while the report is being recomputed."""
    programme = _programme_or_404(pk)
    position_id = _positive_int(request.GET.get("position"))
    context = {
        "programme": programme,
        "report": page_selectors.gap_report(programme=programme, position_id=position_id),
        "position_id": position_id,
    }
    return render(request, "curricula/_gap_report.html", context)


@require_GET
def programme_chart(request: HttpRequest, pk: int) -> HttpResponse:
    """Coverage by competency area as a standalone SVG image."""
    programme = _programme_or_404(pk)
    report = page_selectors.gap_report(programme=programme)
    svg = render_to_string(
        "curricula/chart.svg", {"programme": programme, "report": report, "standalone": True}
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="programme-{programme.pk}-coverage.svg"'
    return response


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    # A spreadsheet would run a cell starting with = + - @ as a formula: quote it as text.
    return "'" + value if value.startswith(_FORMULA_START) else value


@require_GET
def programme_map_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The curriculum map as CSV: one row per course, one column per required ability, each
    cell the level code the course builds it to (empty when it does not)."""
    programme = _programme_or_404(pk)
    position_id = _positive_int(request.GET.get("position"))
    curriculum_map = page_selectors.curriculum_map(programme=programme, position_id=position_id)
    rows = [row for group in curriculum_map.areas for row in group.rows]

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield writer.writerow(
            [_("course code"), _("course title")]
            + [_cell(f"{row.code} {row.text}".strip()) for row in rows]
        )
        yield writer.writerow(
            ["", _("minimum level required")] + [row.min_level.code for row in rows]
        )
        for index, column in enumerate(curriculum_map.columns):
            levels = [row.cells[index].level for row in rows]
            yield writer.writerow(
                [_cell(column.code), _cell(column.listed_as or column.title)]
                + [level.code if level else "" for level in levels]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="programme-{programme.pk}-map.csv"'
    return response


@require_POST
def programme_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """Set or clear one cell of the map: the level a course builds an ability to.

    With htmx, answers with the updated map row and, out of band, the gap report; without
    JavaScript, redirects back to the map.
    """
    if not can_edit_map(request.user):
        raise PermissionDenied
    programme = _programme_or_404(pk)
    course_id = _positive_int(request.POST.get("course"))
    ability_id = _positive_int(request.POST.get("ability"))
    position_id = _positive_int(request.POST.get("position"))
    level_code = request.POST.get("level", "").strip()
    if course_id is None or ability_id is None:
        return HttpResponseBadRequest(_("Choose a course and an ability."))
    if not page_selectors.map_contains(
        programme=programme, course_id=course_id, ability_id=ability_id
    ):
        return HttpResponseBadRequest(
            _("That course and ability are not a cell of this programme's map.")
        )
    link, course, ability, level = page_selectors.cell_targets(
        course_id=course_id, ability_id=ability_id, level_code=level_code
    )
    if level_code and level is None:
        return HttpResponseBadRequest(_("Unknown level “%(code)s”.") % {"code": level_code})
    try:
        if level is None:
            if link is not None:
                _require(request.user, DELETE_LINK)
                services.course_ability_unlink(link=link)
        elif link is None:
            _require(request.user, ADD_LINK)
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
    programme = _programme_or_404(pk)
    curriculum_map = page_selectors.curriculum_map(
        programme=programme, position_id=position_id, ability_ids=[ability_id]
    )
    context = {
        "programme": programme,
        "map": curriculum_map,
        "rows": [row for group in curriculum_map.areas for row in group.rows],
        "report": page_selectors.gap_report(
            programme=programme, position_id=curriculum_map.position_id
        ),
        "can_edit": True,
        "position_id": curriculum_map.position_id,
        "oob": True,
    }
    return render(request, "curricula/_cell_response.html", context)


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


# --- decision support: recommendations and what-if -------------------------------------------

REMOVE_LINK = "-"


def _scenario_params(data) -> tuple[list[int], list[int], list[LinkChange], list[str]]:
    """Courses to add and remove and cells to set from the form (GET preview or POST apply).

    A cell row with no level chosen is skipped; the level "-" removes the link. Junk ids are
    reported, never a 500.
    """
    problems = []
    add, remove = [], []
    for name, into in (("add", add), ("remove", remove)):
        for value in data.getlist(name):
            pk = _positive_int(value)
            if pk is None:
                problems.append(_("Choose courses from the lists."))
            else:
                into.append(pk)
    links = []
    for course, ability, level in zip(
        data.getlist("cell_course"),
        data.getlist("cell_ability"),
        data.getlist("cell_level"),
        strict=False,
    ):
        if not level:
            continue
        course_id, ability_id = _positive_int(course), _positive_int(ability)
        if course_id is None or ability_id is None:
            problems.append(_("Each changed cell needs a course and an ability."))
            continue
        links.append(LinkChange(course_id, ability_id, None if level == REMOVE_LINK else level))
    return add, remove, links, problems


def _budget(value: str | None) -> tuple[float | None, str | None]:
    if not value:
        return None, None
    try:
        budget = Decimal(value)
    except InvalidOperation:
        return None, _("Enter the budget as a number.")
    if not budget.is_finite() or budget < 0 or budget > 10**7:
        return None, _("Enter a budget of zero or more.")
    return float(budget), None


def _decide_page(request: HttpRequest, programme: Programme, source) -> HttpResponse:
    """The recommendations for the query's filters, and the preview of the form's scenario."""
    errors: list[str] = []
    budget, budget_error = _budget(request.GET.get("budget"))
    if budget_error:
        errors.append(budget_error)
    position_id = _positive_int(request.GET.get("position"))
    area_id = _positive_int(request.GET.get("area"))
    recommendations = None
    inputs = decision_selectors.programme_inputs(programme=programme)
    # A search in the what-if's catalogue list (htmx) swaps only that list: no recommendations or
    # preview to compute for each keystroke.
    list_only = request.headers.get("HX-Target") == "what-if-catalogue"
    if not budget_error and not list_only:
        try:
            recommendations = decision_selectors.recommendations_detail(
                programme=programme,
                budget=budget,
                position_id=position_id,
                area_id=area_id,
                inputs=inputs,
            )
        except ValidationError as error:
            errors.extend(error.messages)

    add, remove, links, scenario_errors = _scenario_params(source)
    what_if = None
    asked = bool(add or remove or links)
    if asked and not scenario_errors and not list_only:
        try:
            scenario = decision_selectors.scenario_check(
                programme_in=inputs[0], add_courses=add, remove_courses=remove, links=links
            )
            what_if = decision_selectors.what_if_detail(
                programme=programme, scenario=scenario, inputs=inputs
            )
        except ValidationError as error:
            scenario_errors.extend(error.messages)
    choices = decision_selectors.scenario_choices(
        programme=programme,
        inputs=inputs,
        search=(source.get("course_q") or "").strip()[:100],
        keep_course_ids=[*add, *(link.course for link in links)],
    )
    context = {
        "programme": programme,
        "recommendations": recommendations,
        "errors": errors,
        "filters": {
            "budget": request.GET.get("budget", ""),
            "position": position_id,
            "area": area_id,
        },
        "choices": choices,
        "chosen": {"add": set(add), "remove": set(remove)},
        "cells": [*links, *[None] * 3],
        "remove_link": REMOVE_LINK,
        "what_if": what_if,
        "scenario_errors": scenario_errors,
        "can_apply": can_apply_scenarios(request.user),
    }
    # htmx swaps only successful answers: it gets the errors with a 200.
    bad = (errors or scenario_errors) and request.headers.get("HX-Request") != "true"
    status = 400 if bad else 200
    return render(request, "curricula/programme_decide.html", context, status=status)


def can_apply_scenarios(user) -> bool:
    return bool(
        user.is_active and user.is_staff and user.has_perms(decision_services.SCENARIO_PERMISSIONS)
    )


@require_GET
def programme_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """What would close the gaps: recommended catalogue courses, and a what-if scenario form
    whose preview (a GET: nothing is saved) shows the changes highlighted."""
    return _decide_page(request, _programme_or_404(pk), request.GET)


@require_POST
def programme_decide_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply the previewed scenario as one change (staff), then back to the programme."""
    if not can_apply_scenarios(request.user):
        raise PermissionDenied
    programme = _programme_or_404(pk)
    add, remove, links, problems = _scenario_params(request.POST)
    if not problems and (add or remove or links):
        programme_in, _catalogue = decision_selectors.programme_inputs(programme=programme)
        try:
            scenario = decision_selectors.scenario_check(
                programme_in=programme_in, add_courses=add, remove_courses=remove, links=links
            )
            decision_services.programme_scenario_apply(programme=programme, scenario=scenario)
        except ValidationError:
            # The preview shows what is wrong (someone may have changed the programme since).
            return _decide_page(request, programme, request.POST)
        messages.success(
            request, _("Scenario applied. The gap report is being brought up to date.")
        )
        return redirect(programme.get_absolute_url())
    return _decide_page(request, programme, request.POST)
