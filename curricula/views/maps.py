"""Editing the curriculum map, and one ability's row (or one cell) of it in detail.

Nothing is written until an explicit save: a change set (one cell, a selection set to a level, a
pasted block) is posted to `changes/`, optionally first with `preview=1`, which checks it and says
what it would do without writing. A saved set answers with its token; posting to
`changes/<token>/undo/` reverts the whole set through the history.

Every endpoint works from a plain form (the row page's, without JavaScript: a redirect back to the
map with a "Saved · Undo" banner) and from the map's script, which sends `X-Map-Editor: 1` and
swaps in the fragments it gets back.
"""

import re
from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from core.csv import CSV_ENCODINGS, UTF_8, csv_encoding_checked, reading_encoding
from core.history import HistoryConflict
from core.http import site_path
from core.login_links import redirect_to_login
from core.spreadsheets import spreadsheet_rows_past
from core.uploads import api_import_inline_rows, upload_content
from curricula import services
from curricula.map_imports import map_import_plan, map_import_too_large
from curricula.models import Programme
from curricula.permissions import (
    PERMISSION_NEEDS,
    can_add_map,
    can_clear_map,
    can_edit_map,
    map_access,
)
from curricula.selectors import maps
from curricula.selectors.programmes import gap_report, programme_map_axes
from curricula.views.programmes import (
    UNDO_NEEDS,
    can_read_link_history,
    map_undo_missing,
    map_view,
    positive_int,
    programme_or_404,
)

# Matched whole (fullmatch): "$" would also let a key end in a newline.
CELL_FIELD = re.compile(r"(cell|base):([0-9]{1,18}):([0-9]{1,18})")
TOKEN = re.compile(r"[0-9a-f]{32}")
# What a form or a script may send for "yes" (a preview): anything else, "0" included, is no.
YES = {"1", "true", "on", "yes"}


def _from_editor(request: HttpRequest) -> bool:
    """The map's script (or htmx) asked, and wants fragments rather than a redirect."""
    return request.headers.get("X-Map-Editor") == "1" or request.headers.get("HX-Request") == "true"


def _editor_refusal(request: HttpRequest, programme: Programme) -> HttpResponse | None:
    """None when the user may edit the map. Signed out (a session that ended while the map was
    open), the editor is told so with a way to log in and come back, and a plain form goes to
    log in; anyone else signed in is refused."""
    if not request.user.is_authenticated:
        back = _back_url(request, programme)
        if _from_editor(request):
            context = {
                "programme": programme,
                "errors": [_("You are no longer signed in: log in again, then make the change.")],
                "login_url": redirect_to_login(back)["Location"],
            }
            return render(request, "curricula/_map_errors.html", context, status=401)
        return redirect_to_login(back)
    if not can_edit_map(request.user):
        raise PermissionDenied
    return None


def _view_params(request: HttpRequest) -> QueryDict:
    """The map view the edit was made in (its filters and column page), sent as `view`."""
    return QueryDict(request.POST.get("view", "")[:2000])


def cells_from_post(post: QueryDict) -> list[maps.CellInput]:
    """`cell:<course>:<ability>=<level>` fields, each with an optional `base:<course>:<ability>`
    (the level the editor showed), in the order posted."""
    values: dict[tuple[int, int], str] = {}
    bases: dict[tuple[int, int], str] = {}
    for key in post:
        match = CELL_FIELD.fullmatch(key)
        if match:
            # Keyed by the ids' values, so that "base:01:1" goes with "cell:1:1".
            into = values if match[1] == "cell" else bases
            into[int(match[2]), int(match[3])] = post.get(key, "")[:64]
    return [maps.CellInput(*cell, value, bases.get(cell)) for cell, value in values.items()]


@require_POST
def programme_changes_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Check (with `preview=1`) or write a change set of map cells."""
    programme = programme_or_404(pk)
    refusal = _editor_refusal(request, programme)
    if refusal:
        return refusal
    cells = cells_from_post(request.POST)
    if not cells:
        return _refused(request, programme, [_("Choose at least one cell.")])
    preview = request.POST.get("preview", "").strip().casefold() in YES
    return _plan_and_write(request, programme, cells, preview=preview)


@require_POST
def programme_cell_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Set or clear one cell (`course`, `ability`, `level`, optionally `base`: the level shown,
    refused if the cell has changed since): a change set of one."""
    programme = programme_or_404(pk)
    refusal = _editor_refusal(request, programme)
    if refusal:
        return refusal
    course_id = positive_int(request.POST.get("course"))
    ability_id = positive_int(request.POST.get("ability"))
    if course_id is None or ability_id is None:
        return _refused(request, programme, [_("Choose a course and an ability.")])
    base = request.POST.get("base")
    cell = maps.CellInput(
        course_id,
        ability_id,
        request.POST.get("level", "")[:64],
        None if base is None else base[:64],
    )
    return _plan_and_write(request, programme, [cell], preview=False)


def _plan_and_write(
    request: HttpRequest, programme: Programme, cells: list[maps.CellInput], *, preview: bool
) -> HttpResponse:
    # A pasted blank over a link, from an editor who may not delete links, or a level over an
    # empty cell, from one who may not add them: the preview leaves that cell as it is (and
    # sends it no more), so that the rest can be saved. A set sent to be written with a clear
    # or a new link is still refused below.
    plan = maps.map_change_plan(
        programme=programme,
        cells=cells,
        withhold_clears=preview and not can_clear_map(request.user),
        withhold_creations=preview and not can_add_map(request.user),
    )
    if plan.errors and not preview:
        return _refused(request, programme, plan.errors)
    if plan.withheld:
        left = {(cell.course_id, cell.ability_id) for cell in plan.withheld}
        cells = [cell for cell in cells if (cell.course_id, cell.ability_id) not in left]
    refusal = _not_permitted(request, programme, plan.permissions)
    if refusal:
        return refusal
    if preview:
        # A cell sent without the level shown (a pasted block going on beyond the page shown)
        # is saved from this preview with the level it lists as now: a change meanwhile is
        # refused, as for a cell the editor saw.
        now = {(cell.course_id, cell.ability_id): cell.before for cell in plan.cells}
        shown = []
        for cell in cells:
            key = (cell.course_id, cell.ability_id)
            if cell.base is None and key in now:
                cell = replace(cell, base=now[key].code if now[key] else "")
            shown.append(cell)
        cells = shown
        # A preview answers what is wrong as readily as what would change: nothing is written.
        context = {
            "programme": programme,
            "plan": plan,
            "changes": plan.changes,
            "outside": positive_int(request.POST.get("outside")) or 0,
            # Values of a pasted block beyond the page shown, where the map goes on.
            "off_page": positive_int(request.POST.get("off_page")) or 0,
            "created": plan.count("create"),
            "changed": plan.count("change"),
            "cleared": plan.count("clear"),
            "same": plan.count("same"),
            "withheld": plan.withheld_count("clear"),
            "withheld_reason": PERMISSION_NEEDS["curricula.delete_courseability"],
            "left_empty": plan.withheld_count("create"),
            "left_empty_reason": PERMISSION_NEEDS["curricula.add_courseability"],
            "bulk": request.POST.get("bulk", "").strip().casefold() in YES,
            "cells": cells,
            "errors": plan.errors,
            "view_query": request.POST.get("view", ""),
        }
        return render(request, "curricula/_map_preview.html", context)
    try:
        change_set = services.programme_map_change(
            programme=programme, cells=cells, user=request.user
        )
    except ValidationError as error:
        return _refused(request, programme, error.messages)
    return _changed(request, programme, change_set)


def _refused(
    request: HttpRequest, programme: Programme, errors: list[str], *, status: int = 400
) -> HttpResponse:
    """Why nothing was written: a fragment for the map's script, a whole page for a plain form
    (with a way back to where it was sent from)."""
    context = {"programme": programme, "errors": errors}
    if _from_editor(request):
        return render(request, "curricula/_map_errors.html", context, status=status)
    row_page = _row_page_again(request, programme, errors, status=status)
    if row_page is not None:
        return row_page
    context["back_url"] = _back_url(request, programme)
    return render(request, "curricula/map_errors.html", context, status=status)


def _row_page_again(
    request: HttpRequest, programme: Programme, errors: list[str], *, status: int
) -> HttpResponse | None:
    """A plain form sent from one of the programme's row pages, refused: that page again, with
    why above its form and the levels chosen kept (a page of its own lost them all). A cell
    changed since the page was opened shows its level now, so that saving over it again is a
    choice made knowingly. None for a post from anywhere else."""
    back = site_path(request, request.POST.get("back")) or ""
    try:
        match = resolve(urlsplit(back).path) if back else None
    except Resolver404:
        match = None
    if (
        match is None
        or match.view_name != "curricula:programme-ability"
        or match.kwargs.get("pk") != programme.pk
    ):
        return None
    detail = maps.map_ability_detail(programme=programme, ability_id=match.kwargs["ability_id"])
    if detail is None:
        return None
    chosen = {}
    for entry in detail.courses:
        key = f"{entry.course_id}:{detail.ability.pk}"
        now = entry.level.code if entry.level else ""
        value, base = request.POST.get(f"cell:{key}"), request.POST.get(f"base:{key}")
        changed_meanwhile = base is not None and base.strip().upper() != now
        chosen[entry.course_id] = now if value is None or changed_meanwhile else value.strip()
    context = _ability_context(request, programme, detail, view=_view_params(request))
    context.update(errors=errors, chosen=chosen, back_path=back)
    return render(request, "curricula/programme_ability.html", context, status=status)


def _back_url(request: HttpRequest, programme: Programme) -> str:
    """The page the form was on (a row page sends `back`), else the map in its view."""
    back = site_path(request, request.POST.get("back"))
    if back:
        return back
    query = _view_params(request).urlencode()
    return programme.get_absolute_url() + (f"?{query}" if query else "")


# What an undo needs, by the history record of each change it reverts, and what its refusal
# says by permission (a redo's: an undo undone writes what the set did before its undo): all
# from the one table of what undoing each kind of change needs.
UNDO_NEEDED = {need.history_type: need.permission for need in UNDO_NEEDS.values()}
UNDO_REFUSALS = {need.permission: need.refusal for need in UNDO_NEEDS.values()}
REDO_REFUSALS = {need.permission: need.redo_refusal for need in UNDO_NEEDS.values()}


def _offered_as_redo(records) -> bool:
    """Whether the status offers undoing these records as Redo: they are an undo (of a saved
    set or of a redo, however long the chain before it), as MapChangeSet.redo tells the status
    of the set after it."""
    return services.programme_map_change_is_undo(records=records)


def _not_permitted(
    request: HttpRequest,
    programme: Programme,
    needed: set[str],
    *,
    reasons: Mapping[str, Promise] = PERMISSION_NEEDS,
) -> HttpResponse | None:
    """None when the account holds every permission `needed`; else a 403 that says, through
    `reasons` (by permission), which kind of write it lacks (nothing was written)."""
    missing = sorted(perm for perm in needed if not request.user.has_perm(perm))
    if not missing:
        return None
    return _refused(request, programme, [str(reasons[perm]) for perm in missing], status=403)


@require_POST
def programme_change_undo(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """Undo a whole change set (which is itself a change set: undo it again to redo)."""
    programme = programme_or_404(pk)
    refusal = _editor_refusal(request, programme)
    if refusal:
        return refusal
    if not TOKEN.fullmatch(token):
        raise Http404
    records = services.programme_map_change_records(token=token)
    courses = set(programme.programme_courses.values_list("course_id", flat=True))
    if not records or any(record.course_id not in courses for record in records):
        raise Http404  # no such set, or another programme's
    # Undoing a creation deletes, undoing a deletion adds back. The status offers no Undo when
    # the account lacks one of these; this is one sent anyway (an older page, by hand).
    needed = {UNDO_NEEDED[record.history_type] for record in records}
    if not request.user.has_perms(needed):
        # Which words the refusal takes costs a read of the chain: only when refused.
        refusals = REDO_REFUSALS if _offered_as_redo(records) else UNDO_REFUSALS
        return _not_permitted(request, programme, needed, reasons=refusals)
    try:
        change_set = services.programme_map_undo(token=token, user=request.user, records=records)
    except (HistoryConflict, ValidationError) as error:
        if not _from_editor(request) and _banner_waiting(request, programme, undoes=token):
            # The same Undo sent twice from a plain form (a double click): the browser shows
            # this answer, so it is the first one's, "Undone · Redo", not "undone already".
            return _changed(request, programme, services.MapChangeSet(token="", cells=[]))
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        return _refused(request, programme, messages, status=409)
    return _changed(request, programme, change_set)


def _banner_store(request: HttpRequest, programme: Programme, change_set) -> None:
    """Keep the change set for the map's next page to show once (programmes.map_change_banner)."""
    request.session["map_change"] = {
        "programme": programme.pk,
        "token": change_set.token,
        "count": change_set.count,
        "undoes": change_set.undoes,
        "redo": change_set.redo,
        "created": change_set.created,
        "changed": change_set.changed,
        "cleared": change_set.cleared,
    }


def _banner_waiting(request: HttpRequest, programme: Programme, *, undoes: str = "") -> bool:
    """Whether a plain form's change set of this programme (with `undoes`, the undo of that
    set) waits in the session for the map to show it: the map was never shown after it, as when
    the browser sent the form twice and follows the second answer alone."""
    banner = request.session.get("map_change")
    return bool(
        banner
        and banner.get("programme") == programme.pk
        and banner.get("token")
        and (not undoes or banner.get("undoes") == undoes)
    )


def _changed(request: HttpRequest, programme: Programme, change_set) -> HttpResponse:
    """After a change set: the map's script gets the changed rows, the gap report and the
    "Saved · Undo" status; a plain form is sent back to the map, which shows them once."""
    params = _view_params(request)
    if not _from_editor(request):
        # A save sent twice changes nothing the second time; the first one's "Saved · Undo"
        # is the one to show.
        if change_set.token or not _banner_waiting(request, programme):
            _banner_store(request, programme, change_set)
        url = programme.get_absolute_url()
        query = params.urlencode()
        if query:
            url += "?" + query
        if change_set.cells:
            url += f"#row-{change_set.cells[0][1]}"
        return redirect(url)
    # Re-read the programme: the edit marked its coverage stale (or recomputed it inline).
    programme = programme_or_404(programme.pk)
    filters = maps.MapFilters.from_query(params)
    whole = None
    if filters.active:
        # The filtered view's figures are computed from the whole view, whose filters are the
        # ones the page keeps (the changed rows alone cannot tell an area the map offers).
        whole = map_view(programme, params)
        filters = whole.map.filters
    changed = maps.curriculum_map(
        programme=programme,
        filters=filters,
        ability_ids={ability_id for _course, ability_id in change_set.cells},
        column_page=positive_int(params.get("cols")) or 1,
    )
    if whole is not None:
        report = whole.report
    else:
        report = gap_report(programme=programme, levels=changed.levels)
    view = maps.MapView(programme=programme, map=changed, report=report)
    context = {
        **view.context(),
        "rows": changed.rows,
        "change_set": change_set,
        "undo_missing": map_undo_missing(
            request.user,
            created=change_set.created,
            changed=change_set.changed,
            cleared=change_set.cleared,
            redo=bool(change_set.undoes) and not change_set.redo,
        ),
        "can_edit": True,
        "oob": True,
    }
    return render(request, "curricula/_map_change_response.html", context)


@require_safe
# The same address answers the row page or, to the map's script, the cell's panel: a browser's
# back button or a shared cache must not give one for the other.
@vary_on_headers("X-Map-Editor", "HX-Request")
def programme_ability_page(request: HttpRequest, pk: int, ability_id: int) -> HttpResponse:
    """One ability's row of the map in full: which targets require it, and every course with
    its level, note, provenance and last change; staff edit the row here without JavaScript.
    With `?course=`, that cell is the one in focus; the map's script shows it in a panel."""
    programme = programme_or_404(pk)
    detail = maps.map_ability_detail(programme=programme, ability_id=ability_id)
    if detail is None:
        raise Http404
    context = _ability_context(
        request, programme, detail, view=QueryDict(request.GET.get("view", "")[:2000])
    )
    context["cell"] = detail.course(positive_int(request.GET.get("course")))
    if _from_editor(request):
        return render(request, "curricula/_map_cell_panel.html", context)
    return render(request, "curricula/programme_ability.html", context)


def _ability_context(
    request: HttpRequest, programme: Programme, detail, *, view: QueryDict
) -> dict:
    """What a row page (or a cell's panel) shows of `detail`, for the request's user, in the
    map view `view` (its filters and column page)."""
    access = map_access(request)
    can_add = access.can_add
    return {
        "programme": programme,
        "detail": detail,
        "can_edit": access.can_edit,
        "can_add": can_add,
        # A course's level to choose: any for one who may add links, else a taught course's.
        "can_save": bool(detail.courses)
        and (can_add or any(entry.level for entry in detail.courses)),
        "can_clear": access.can_clear,
        "show_history": can_read_link_history(request.user),
        "view_query": view.urlencode(),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("Cookie")
def programme_map_import_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the map from a matrix file (curricula.map_imports): the upload form, then (posted
    with the file) its preview, cell by cell, with every problem by line and column. The
    preview's *Save* posts its cells to `changes/` as the paste's preview does: one change set,
    its permissions, its refusal of a cell changed since, Saved · Undo."""
    programme = programme_or_404(pk)
    refusal = _editor_refusal(request, programme)
    if refusal:
        return refusal
    context: dict = {
        "programme": programme,
        # Without courses or required abilities a file can fill no cell: the page says so first.
        "axes": programme_map_axes(programme=programme),
        "blank_clears": False,
        "encodings": CSV_ENCODINGS,
        "encoding": UTF_8,
    }
    if request.method != "POST":
        return render(request, "curricula/map_import.html", context)
    blank_clears = request.POST.get("blank_clears", "").strip().casefold() in YES
    context["blank_clears"] = blank_clears
    upload = request.FILES.get("file")
    if upload is None:
        context["file_errors"] = [_("Choose a CSV or XLSX file of the map.")]
        return render(request, "curricula/map_import.html", context, status=400)
    try:
        encoding = context["encoding"] = csv_encoding_checked(request.POST.get("encoding"))
        limit = api_import_inline_rows()
        if spreadsheet_rows_past(upload, kind=services.catalogue_kind(upload), rows=limit):
            raise map_import_too_large(limit)
        with reading_encoding(encoding):
            report = map_import_plan(
                programme=programme,
                content=upload_content(upload),
                file_name=upload.name or "",
                blank_clears=blank_clears,
                withhold_clears=not can_clear_map(request.user),
                withhold_creations=not can_add_map(request.user),
            )
    except ValidationError as error:
        context["file_errors"] = error.messages
        return render(request, "curricula/map_import.html", context, status=400)
    plan = report.plan
    context.update(
        report=report,
        file_name=upload.name,
        changes=plan.changes if plan else [],
        cells=report.changed_cells,
        errors=report.problem_messages(),
        withheld=plan.withheld_count("clear") if plan else 0,
        withheld_reason=PERMISSION_NEEDS["curricula.delete_courseability"],
        left_empty=plan.withheld_count("create") if plan else 0,
        left_empty_reason=PERMISSION_NEEDS["curricula.add_courseability"],
    )
    return render(request, "curricula/map_import.html", context, status=200 if report.ok else 400)
