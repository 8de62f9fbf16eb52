"""The programme pages: the overview, the programmes, each programme's curriculum map and gap
report with their downloads (CSV, SVG, XLSX and a printable report), all following the map's
filters. Editing the map is in views/maps.py."""

import json
from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.csv import csv_response
from core.downloads import content_disposition
from core.i18n import join_long_items
from core.models import XML_ILLEGAL
from core.xlsx import XLSX_CONTENT_TYPE
from curricula.coverage.selectors import ProgrammeAbilities
from curricula.exports import programme_workbook_for, workbook_disposition
from curricula.models import Programme
from curricula.permissions import (
    ADD_LINK,
    CHANGE_LINK,
    DELETE_LINK,
    map_access,
)
from curricula.progression.selectors import programme_progression
from curricula.selectors import maps
from curricula.selectors import programmes as selectors
from curricula.selectors.readiness import programme_certification_readiness


@dataclass(frozen=True)
class UndoNeed:
    """What undoing one kind of cell change in a change set writes, and what is said when the
    account lacks it."""

    history_type: str  # the change's history record: "+" a new link, "~" a level, "-" a clear
    permission: str  # what the undo writes with
    status: Promise  # the status, instead of Undo
    refusal: Promise  # the refusal of an undo sent anyway
    # The same for a set the status offers to redo (an undo: undoing it writes the set again).
    redo_status: Promise
    redo_refusal: Promise


# By what the set did: undoing a new link deletes it, undoing a clear adds the link back. The
# status's counts, the undo view's check of the history and its refusals all read this table.
UNDO_NEEDS = {
    "created": UndoNeed(
        "+",
        DELETE_LINK,
        gettext_lazy("undo needs permission to delete links"),
        gettext_lazy(
            "Undoing this change would delete the links it added: your account may not delete "
            "links."
        ),
        gettext_lazy("redo needs permission to delete links"),
        gettext_lazy(
            "Redoing this change would delete again the links its undo added back: your account "
            "may not delete links."
        ),
    ),
    "changed": UndoNeed(
        "~",
        CHANGE_LINK,
        gettext_lazy("undo needs permission to change links"),
        gettext_lazy(
            "Undoing this change would restore the levels it changed: your account may not "
            "change a link's level."
        ),
        gettext_lazy("redo needs permission to change links"),
        gettext_lazy(
            "Redoing this change would set again the levels its undo restored: your account may "
            "not change a link's level."
        ),
    ),
    "cleared": UndoNeed(
        "-",
        ADD_LINK,
        gettext_lazy("undo needs permission to add links"),
        gettext_lazy(
            "Undoing this change would add back the links it cleared: your account may not add "
            "links."
        ),
        gettext_lazy("redo needs permission to add links"),
        gettext_lazy(
            "Redoing this change would add back the links its undo deleted: your account may not "
            "add links."
        ),
    ),
}


def map_undo_missing(user, *, created: int, changed: int, cleared: int, redo: bool = False) -> str:
    """Why a change set's status offers no Undo (no Redo, with `redo`): "" when the user may
    revert every cell of it, else what undoing needs (the server refuses the undo all the
    same)."""
    counts = {"created": created, "changed": changed, "cleared": cleared}
    return join_long_items(
        need.redo_status if redo else need.status
        for kind, need in UNDO_NEEDS.items()
        if counts[kind] and not user.has_perm(need.permission)
    )


def can_read_link_history(user) -> bool:
    """Staff whom the admin shows a link's history (to view or change links) get a link to it;
    other staff were led to a 403."""
    return bool(
        user.is_active
        and user.is_staff
        and (user.has_perm("curricula.view_courseability") or user.has_perm(CHANGE_LINK))
    )


# Programme cards per page of the overview, rows per page of the programmes list (`?page=`; junk
# or out of range gives the nearest page).
OVERVIEW_PAGE_SIZE = 24
PROGRAMME_LIST_PAGE_SIZE = 50


def summaries_page(request: HttpRequest, per_page: int) -> tuple[Page, list]:
    """A page of programmes and their summaries."""
    page = Paginator(selectors.programme_summary_list(), per_page).get_page(request.GET.get("page"))
    return page, selectors.programme_summaries(page.object_list)


@require_safe
def home_page(request: HttpRequest) -> HttpResponse:
    page, summaries = summaries_page(request, OVERVIEW_PAGE_SIZE)
    context = {
        "summaries": summaries,
        "summaries_page": page,
        # What to look at first, among all programmes (not only this page's).
        "look_first": selectors.programme_look_first(limit=3),
    }
    return render(request, "home.html", context)


@require_safe
def programme_list_page(request: HttpRequest) -> HttpResponse:
    page, summaries = summaries_page(request, PROGRAMME_LIST_PAGE_SIZE)
    return render(
        request,
        "curricula/programme_list.html",
        {
            "summaries": summaries,
            "summaries_page": page,
            # Table III's words only while the paper gives every programme listed; the Track
            # column only while some programme has one.
            "table_three": selectors.programme_table_three_share(),
        },
    )


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


MapView = maps.MapView


def map_view(
    programme: Programme,
    params,
    *,
    paged: bool = True,
    suggest: bool = True,
    abilities: ProgrammeAbilities | None = None,
) -> MapView:
    """The map and report for a query string's filters (`params`: a QueryDict), leniently: junk
    in a shared link is ignored. See maps.programme_map_view."""
    filters = maps.MapFilters.from_query(params)
    column_page = (positive_int(params.get("cols")) or 1) if paged else 1
    row_page = (positive_int(params.get("rows")) or 1) if paged else 1
    return maps.programme_map_view(
        programme=programme,
        filters=filters,
        column_page=column_page,
        row_page=row_page,
        paged=paged,
        open_gaps=positive_int(params.get("gaps")),
        suggest=suggest,
        abilities=abilities,
    )


def map_change_banner(request: HttpRequest, programme: Programme) -> dict | None:
    """The last change set saved from a page without JavaScript, shown once with its Undo."""
    banner = request.session.pop("map_change", None) if hasattr(request, "session") else None
    if banner and banner.get("programme") == programme.pk:
        return banner
    return None


# Rows of the progression table shown at once on the programme page (the printable report
# holds them all): a programme of an ESCO-sized catalogue builds hundreds of abilities.
PROGRESSION_PAGE_ROWS = 50


def progression_page(view: MapView, progression, number: int) -> dict:
    """One page of the progression's rows (`number` clamped) with the addresses of its
    neighbours, which keep the map's view (filters, pages of columns and rows)."""
    page = maps.page_of(len(progression.rows), number, PROGRESSION_PAGE_ROWS)
    base = (
        view.programme.get_absolute_url() + "?" + (f"{view.page_query}&" if view.page_query else "")
    )
    return {
        "progression_rows": progression.rows[page.start : page.stop],
        "progression_page": page,
        "progression_previous": f"{base}prog={page.number - 1}#progression"
        if page.has_previous
        else "",
        "progression_next": f"{base}prog={page.number + 1}#progression" if page.has_next else "",
    }


@require_safe
def programme_detail_page(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_or_404(pk)
    # The map and the progression read the links of the programme's courses, the report and
    # the progression the abilities' names: once for both.
    abilities = ProgrammeAbilities(programme)
    access = map_access(request)
    view = map_view(programme, request.GET, suggest=access.can_review, abilities=abilities)
    progression = programme_progression(
        programme=programme,
        levels=view.map.levels,
        relations=view.map.relations,
        entries=view.map.programme_courses,
        abilities=abilities,
    )
    banner = map_change_banner(request, programme)
    context = {
        **view.context(),
        "can_edit": access.can_edit,
        "can_add": access.can_add,
        "can_clear": access.can_clear,
        "change_banner": banner,
        "undo_missing": map_undo_missing(
            request.user,
            # A banner saved before these counts were kept offers Undo, as it did.
            **{kind: banner.get(kind, 0) for kind in UNDO_NEEDS},
            redo=bool(banner.get("undoes")) and not banner.get("redo"),
        )
        if banner
        else "",
        "progression": progression,
        **progression_page(view, progression, positive_int(request.GET.get("prog")) or 1),
        "readiness": programme_certification_readiness(
            programme=programme, entries=view.map.programme_courses
        ),
    }
    return render(request, "curricula/programme_detail.html", context)


@require_safe
def programme_report_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme report for accreditation files: summary, chart, the full map (every column,
    in printable slices) and the gap report, under the same filters, laid out for print."""
    programme = programme_or_404(pk)
    # The printed gap lists name no suggested course.
    abilities = ProgrammeAbilities(programme)
    view = map_view(programme, request.GET, paged=False, suggest=False, abilities=abilities)
    columns = view.map.columns
    slices = [
        {
            "columns": columns[start : start + REPORT_SLICE_COLUMNS],
            "start": start,
            # Place of its last course, counting from 1 (what the heading says).
            "end": min(start + REPORT_SLICE_COLUMNS, len(columns)),
            "groups": maps.map_column_groups(columns[start : start + REPORT_SLICE_COLUMNS]),
        }
        for start in range(0, len(columns), REPORT_SLICE_COLUMNS)
    ]
    for part in slices:
        stop = part["start"] + len(part["columns"])
        part["rows"] = [
            (group.area, [(row, row.cells[part["start"] : stop]) for row in group.rows])
            for group in view.map.areas
        ]
    context = {
        **view.context(),
        "slices": slices,
        "progression": programme_progression(
            programme=programme,
            levels=view.map.levels,
            relations=view.map.relations,
            entries=view.map.programme_courses,
            abilities=abilities,
        ),
        "readiness": programme_certification_readiness(
            programme=programme, entries=view.map.programme_courses
        ),
    }
    return render(request, "curricula/programme_report.html", context)


# Courses per printed table of the report: what fits across landscape A4 at print size.
REPORT_SLICE_COLUMNS = 20


@require_safe
def programme_gaps_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """The gap report alone: what the page polls while the report is being recomputed. The
    poll says which version it shows (`seen`): while that is still the stored report's, the
    answer is 204 No Content and htmx leaves the report as it is, the reader's place in it (the
    focused control) and what a screen reader has read included; it polls again, as often as
    the answer's HX-Trigger says (gap-report-poll, followed by site.js): less often the longer
    the report waits, so that a page left open while no worker runs does not ask every second."""
    programme = programme_or_404(pk)
    seen = request.GET.get("seen")
    if seen and seen == selectors.programme_report_version(programme=programme):
        response = HttpResponse(status=204)
        seconds = selectors.programme_report_poll_seconds(
            programme=programme, watched=_watched(request.GET.get("since"))
        )
        response["HX-Trigger"] = json.dumps({"gap-report-poll": {"seconds": seconds}})
        return response
    view = map_view(programme, request.GET, suggest=map_access(request).can_review)
    return render(request, "curricula/_gap_report.html", view.context())


def _watched(since: str | None) -> timedelta | None:
    """How long a page has been watching a report whose wait is not known, from the Unix time
    its poll carries (`since`, written with the report: GapReport.poll_since); None for none,
    or one ahead of now. Only the asking page's own interval depends on it."""
    began = positive_int(since)
    if began is None:
        return None
    watched = timezone.now().timestamp() - began
    return timedelta(seconds=watched) if watched >= 0 else None


@require_safe
def programme_chart_svg(request: HttpRequest, pk: int) -> HttpResponse:
    """Coverage by competency area as a standalone SVG image, for the map's filters."""
    programme = programme_or_404(pk)
    params = request.GET
    report = maps.programme_chart_report(
        programme=programme,
        filters=maps.MapFilters.from_query(params),
        column_page=positive_int(params.get("cols")) or 1,
        row_page=positive_int(params.get("rows")) or 1,
    )
    svg = render_to_string(
        "curricula/chart.svg",
        {"programme": programme, "report": report, "standalone": True},
        request=request,
    )
    # Names refuse what XML cannot carry (core.models.NameField), yet rows stored before they
    # did may hold one, and in the chart served alone browsers refuse the whole image at it.
    response = HttpResponse(XML_ILLEGAL.sub("", svg), content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = content_disposition(
        label=programme.display_name,
        suffix="-coverage.svg",
        fallback=f"programme-{programme.pk}",
        inline=True,
    )
    return response


@require_safe
def programme_map_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The curriculum map as CSV, for the map's filters (every column, not one page): one row
    per course, one column per required ability, each cell the level code the course builds it
    to (empty when it does not)."""
    programme = programme_or_404(pk)
    # The map alone: the CSV shows no figure of the report.
    curriculum_map = maps.curriculum_map(
        programme=programme, filters=maps.MapFilters.from_query(request.GET), paged=False
    )
    rows = curriculum_map.rows
    header = [_("course code"), _("course title")] + [
        f"{row.code} {row.text}".strip() for row in rows
    ]
    minimum = ["", _("minimum level required")] + [row.min_level.code for row in rows]
    courses = (
        [column.code, column.listed_as or column.title]
        + [level.code if level else "" for level in (row.cells[index].level for row in rows)]
        for index, column in enumerate(curriculum_map.columns)
    )
    # A row per course of one programme, as the API's map.csv: answered whole, so that it has
    # an ETag and a download polled with If-None-Match is a 304 until the map changes.
    return csv_response(
        disposition=content_disposition(
            label=programme.display_name, suffix="-map.csv", fallback=f"programme-{programme.pk}"
        ),
        header=header,
        rows=[minimum, *courses],
        for_spreadsheets=True,
        stream=False,
    )


@require_safe
def programme_workbook_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme workbook (XLSX) for the map's filters: see curricula.exports."""
    programme = programme_or_404(pk)
    view = map_view(programme, request.GET, paged=False, suggest=False)
    return workbook_response(view)


def workbook_response(view: MapView) -> HttpResponse:
    """The programme workbook of a map view as a download (the page's and the API's)."""
    response = HttpResponse(programme_workbook_for(view), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = workbook_disposition(view)
    return response
