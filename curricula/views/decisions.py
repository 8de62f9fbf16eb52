"""The decide page: recommendations that would close a programme's gaps, and a what-if scenario
previewed (a GET: nothing is saved) or applied by staff as one change."""

import dataclasses
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from core.login_links import redirect_to_login
from curricula.coverage.selectors import CrosswalkRelations, programme_relations
from curricula.decisions import requests, whatif
from curricula.decisions import selectors as decision_selectors
from curricula.decisions import services as decision_services
from curricula.models import Programme
from curricula.permissions import map_access
from curricula.selectors import programmes as programme_selectors
from curricula.views.programmes import programme_or_404


def can_apply_scenarios(user) -> bool:
    return bool(
        user.is_active and user.is_staff and user.has_perms(decision_services.SCENARIO_PERMISSIONS)
    )


@dataclasses.dataclass
class ScenarioForm:
    """The what-if form as read (see _scenario)."""

    # The scenario to check and preview: empty when anything in the form is wrong.
    request: requests.ScenarioRequest
    # The choices to show back in the form, every one made, to correct rather than make again.
    shown: requests.ScenarioRequest
    # What is wrong, in the form's words.
    problems: list[str] = dataclasses.field(default_factory=list)
    # Those of the problems about a cell row, by the row as shown back (see _shown_rows).
    row_problems: dict[int, list[str]] = dataclasses.field(default_factory=dict)


def _scenario(source) -> ScenarioForm:
    """The form's scenario and what is wrong with its shape (junk ids, a cell row lacking its
    course or ability: a message in the form's words, never a 500 or the serializer's "0: A
    valid integer is required.")."""
    form_problems = [
        *requests.scenario_form_value_errors(source),
        *requests.scenario_form_row_errors(source),
    ]
    try:
        scenario_request = requests.scenario_request(requests.scenario_form_data(source))
    except ValidationError as error:
        if not form_problems:
            return ScenarioForm(
                request=requests.ScenarioRequest(),
                shown=requests.scenario_form_choices(source),
                problems=_named(error, SCENARIO_LABELS),
            )
    else:
        if not form_problems:
            return ScenarioForm(request=scenario_request, shown=scenario_request)
    shown_rows = _shown_rows(source)
    by_row: dict[int, list[str]] = {}
    for problem in form_problems:
        if problem.row in shown_rows:
            by_row.setdefault(shown_rows[problem.row], []).append(problem.message)
    return ScenarioForm(
        request=requests.ScenarioRequest(),
        shown=requests.scenario_form_choices(source),
        problems=[problem.message for problem in form_problems],
        row_problems=by_row,
    )


def _shown_rows(source) -> dict[int, int]:
    """Each cell row that is a change (requests.cell_changes), numbered as the form sent it,
    by the row it is shown back as: the choices shown back hold those rows alone, in order."""
    changes = requests.cell_changes(source)
    return {number: shown for shown, (number, _row) in enumerate(changes, start=1)}


def _refusal(error: ValidationError, source, form: ScenarioForm) -> None:
    """A checked scenario's refusal added to what the form says: a cell change's problem named
    by its row as the form's own are ("Cell change 3: …"), and said beside that row too."""
    if not isinstance(error, requests.ScenarioRefused):
        form.problems.extend(error.messages)
        return
    form.problems.extend(
        message
        for name, messages in error.message_dict.items()
        if name != "links"
        for message in messages
    )
    # The scenario's links are the form's changes, in order (requests.scenario_form_data).
    changes = requests.cell_changes(source)
    for index, problem in error.link_problems:
        number = changes[index][0]
        message = _("Cell change %(row)s: %(problem)s") % {"row": number, "problem": problem}
        form.problems.append(message)
        form.row_problems.setdefault(index + 1, []).append(message)


# Empty rows the form may be asked for at once (the "add a cell change" button without JS).
MAX_CELL_ROWS = 100


def _cell_rows(
    scenario_request: requests.ScenarioRequest, source, errors: dict[int, list[str]]
) -> list[tuple]:
    """The form's cell rows: the scenario's changes, then empty rows up to the `cell_rows` asked
    for (one more each time the add button is pressed without JavaScript), at least one; each
    with what is wrong with it (the messages said beside the row, describing its controls)."""
    filled = list(scenario_request.links)
    try:
        asked = min(int(source.get("cell_rows") or 0), len(filled) + MAX_CELL_ROWS)
    except ValueError:
        asked = 0
    rows = [*filled, *[None] * max(1, asked - len(filled))]
    return [(cell, errors.get(number, [])) for number, cell in enumerate(rows, start=1)]


def _gap_abilities(recommendations: dict | None) -> int:
    """How many abilities the recommendations' gaps are in. A gap is one target position's
    essential requirement (the API's `gaps`), so an ability two targets require is two gaps;
    the report pages count it once. The gaps are those closed, left open and needing a new
    course."""
    if not recommendations:
        return 0
    closes = [gap for item in recommendations["courses"] for gap in item["closes"]]
    needed = [
        requirement
        for group in recommendations["new_course_needed"]
        for requirement in group["requirements"]
    ]
    return len({gap["ability"]["id"] for gap in [*closes, *recommendations["left_open"], *needed]})


# The recommendation form's fields, as its labels name them: a bad value's message says which.
FILTER_LABELS = {
    "budget": gettext_lazy("Budget (credits, or courses when credits are missing)"),
    "position": gettext_lazy("Target position"),
    "area": gettext_lazy("Competency area"),
}


# The what-if form's groups, as its headings name them, by the scenario's fields.
SCENARIO_LABELS = {
    "add_courses": gettext_lazy("Bring in from the catalogue"),
    "remove_courses": gettext_lazy("Take out of the programme"),
    "links": gettext_lazy("Change cells"),
    "add_targets": gettext_lazy("Target positions"),
    "remove_targets": gettext_lazy("Target positions"),
}


def _named(error: ValidationError, labels: dict) -> list[str]:
    """The error's messages, each after the label of the field it is about."""
    if not hasattr(error, "error_dict"):
        return error.messages
    return [
        _("%(label)s: %(value)s") % {"label": labels.get(field, field), "value": message}
        for field, messages in error.message_dict.items()
        for message in messages
    ]


class _PageReads:
    """What one decide page reads once for all its parts: the relations its inputs and its
    gaps' suggestions count, the inputs, the names of the targets and of the positions the
    form's scenario adds or removes (its check and its preview name them, as its
    recommendations and its choices name the targets), and the names its recommendations, its
    preview and its choices share. For a scenario applied, read for its check and kept for the
    page showing it refused."""

    def __init__(self, programme: Programme, form: ScenarioForm) -> None:
        self.relations = programme_relations(programme=programme)
        self.inputs, self.shared = decision_selectors.inputs_and_reads(
            programme=programme, relations=self.relations
        )
        self._asked = [*form.request.add_targets, *form.request.remove_targets]

    @cached_property
    def position_names(self) -> dict[int, str]:
        """One query, when first needed (a scenario applied that changes no target, none)."""
        return decision_selectors.target_names(programme_in=self.inputs[0], also=self._asked)


def _decide_page(
    request: HttpRequest,
    programme: Programme,
    source,
    form: ScenarioForm | None = None,
    reads: _PageReads | None = None,
    check: whatif.Scenario | ValidationError | None = None,
) -> HttpResponse:
    """The recommendations for the query's filters, and the preview of the form's scenario.
    `form`, `reads` and `check`: the scenario as read, what was read for it and its check's
    answer (a scenario applied and refused), else read and checked here."""
    errors: list[str] = []
    # The filters refused, so that each says it is invalid and is described by the messages.
    invalid: set[str] = set()
    filters = {key: request.GET.get(key, "") for key in ("budget", "position", "area")}
    try:
        question = requests.recommendation_request(filters)
    except ValidationError as error:
        question = None
        errors.extend(_named(error, FILTER_LABELS))
        invalid.update(getattr(error, "error_dict", {}))
    # The filters the form shows chosen: those refused left out, so that a bad budget does not
    # take the target position and area chosen beside it back to "All".
    shown_question = question
    if question is None and invalid:
        try:
            shown_question = requests.recommendation_request(
                {key: ("" if key in invalid else value) for key, value in filters.items()}
            )
        except ValidationError:
            shown_question = None
    recommendations = None
    if form is None:
        form = _scenario(source)
    if reads is None:
        reads = _PageReads(programme, form)
    relations, inputs, position_names = reads.relations, reads.inputs, reads.position_names
    # A search in the what-if's catalogue list (htmx) swaps only that list: no recommendations or
    # preview to compute for each keystroke.
    list_only = request.headers.get("HX-Target") == "what-if-catalogue"
    shown = form.shown
    what_if = None
    # The preview first: the first to name abilities reads every one the page names, and the
    # preview's may include those of a target it adds.
    if form.request and not list_only:
        try:
            if isinstance(check, ValidationError):
                raise check
            scenario = check or requests.scenario_check(
                programme_in=inputs[0], request=form.request, position_names=position_names
            )
            what_if = decision_selectors.what_if_detail(
                programme=programme,
                scenario=scenario,
                inputs=inputs,
                position_names=position_names,
                reads=reads.shared,
            )
        except ValidationError as error:
            _refusal(error, source, form)
    if question is not None and not list_only:
        try:
            recommendations = decision_selectors.recommendations_detail(
                programme=programme,
                budget=question.budget,
                position_id=question.position_id,
                area_id=question.area_id,
                inputs=inputs,
                position_names=position_names,
                reads=reads.shared,
            )
        except ValidationError as error:
            errors.extend(error.messages)

    choices = decision_selectors.scenario_choices(
        programme=programme,
        inputs=inputs,
        search=_course_search(source.get("course_q")),
        position_names=position_names,
        reads=reads.shared,
        keep_course_ids=[
            *shown.add_courses,
            *(link.course for link in shown.links if link.course is not None),
        ],
    )
    context = {
        "programme": programme,
        "recommendations": recommendations,
        "gap_abilities": _gap_abilities(recommendations),
        # Partial gaps first (raise a course of the programme), then those needing a new course.
        "needed": _needed(request, programme, recommendations, relations, inputs[1].levels),
        "errors": errors,
        "invalid": invalid,
        "filters": {
            "budget": filters["budget"],
            "position": shown_question.position_id if shown_question else None,
            "area": shown_question.area_id if shown_question else None,
        },
        "choices": choices,
        "chosen": {
            "add": set(shown.add_courses),
            "remove": set(shown.remove_courses),
            "add_targets": set(shown.add_targets),
            "remove_targets": set(shown.remove_targets),
        },
        "cells": _cell_rows(shown, source, form.row_problems),
        "remove_link": requests.REMOVE_LINK,
        "what_if": what_if,
        "scenario_errors": form.problems,
        "can_apply": can_apply_scenarios(request.user),
    }
    # htmx swaps only successful answers: it gets the errors with a 200.
    from_htmx = request.headers.get("HX-Request") == "true"
    bad = (errors or form.problems) and not from_htmx
    status = 400 if bad else 200
    response = render(request, "curricula/programme_decide.html", context, status=status)
    if from_htmx and request.method == "GET":
        # The what-if's previews and catalogue searches push their address (hx-push-url): the
        # one pushed holds only what carries a value, not each empty field the form sent.
        response["HX-Push-Url"] = _address(request)
    return response


# Longest catalogue search the what-if's course list is asked (its box's maxlength).
COURSE_SEARCH_LENGTH = 100


def _course_search(value: str | None) -> str:
    """The what-if's catalogue search as typed, without control characters: none can be typed
    in the box, and PostgreSQL refuses a NUL in a query (`?course_q=%00` was a 500)."""
    text = "".join(char for char in value or "" if char.isprintable() or char.isspace())
    return text.strip()[:COURSE_SEARCH_LENGTH]


def _address(request: HttpRequest) -> str:
    """The decide page's address for the query: only the parameters that carry a value."""
    query = requests.scenario_form_query(request.GET)
    return f"{request.path}?{query}" if query else request.path


def _needed(
    request: HttpRequest,
    programme: Programme,
    recommendations,
    relations: CrosswalkRelations | None = None,
    levels: Mapping[int, Any] | None = None,
) -> tuple[list, list, list]:
    """The gaps to close by raising a course of the programme; for staff who may accept
    suggested links, those a course of the programme has a pending suggestion for, each with
    those courses (`suggested`), as the gap report names them: such a gap needs a review, not a
    new course; and those needing a new course. `levels`: the scale the page's inputs read (by
    id), to say which suggestion is proposed below the level required."""
    if not recommendations:
        return [], [], []
    to_raise, new_course = decision_selectors.needed_split(recommendations)
    to_review: list = []
    if new_course and map_access(request).can_review:
        required = {req["ability"]["id"] for group in new_course for req in group["requirements"]}
        suggested = programme_selectors.programme_suggested_courses(
            programme=programme, required=required, relations=relations
        )
        ranks = programme_selectors.level_ranks(levels.values() if levels is not None else None)
        to_review, new_course = decision_selectors.needed_reviewable(new_course, suggested, ranks)
    return to_raise, to_review, new_course


@require_safe
# htmx's previews are answered without the redirect and the 400 a plain request gets, and its
# catalogue search (HX-Target) without the recommendations and the preview.
@vary_on_headers("HX-Request", "HX-Target")
def programme_decide_page(request: HttpRequest, pk: int) -> HttpResponse:
    """What would close the gaps: recommended catalogue courses, and a what-if scenario form
    whose preview (a GET: nothing is saved) shows the changes highlighted. Without JavaScript
    the form sends each of its empty fields: such a query is redirected, once, to the address
    htmx pushes for it (HX-Push-Url), which shows the same page; one holding a value that is
    not an id is answered with the page's 400 instead, naming it."""
    programme = programme_or_404(pk)
    # A value that is not an id is refused where it was given, not dropped by the redirect (a
    # cell row with no level chosen is left out of the address).
    junk = requests.scenario_form_value_errors(request.GET)
    if request.headers.get("HX-Request") != "true" and not junk:
        address = _address(request)
        if list(QueryDict(address.partition("?")[2]).lists()) != list(request.GET.lists()):
            return redirect(address)
    return _decide_page(request, programme, request.GET)


@require_POST
def programme_decide_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply the previewed scenario as one change (staff), then back to the programme. Signed
    out (a session that ended while the preview was open): to log in, then back to the preview
    of the same scenario."""
    programme = programme_or_404(pk)
    if not request.user.is_authenticated:
        scenario = request.POST.copy()
        scenario.pop("csrfmiddlewaretoken", None)
        back = reverse("curricula:programme-decide", args=[programme.pk])
        query = scenario.urlencode()
        return redirect_to_login(f"{back}{'?' + query if query else ''}#what-if")
    if not can_apply_scenarios(request.user):
        raise PermissionDenied
    form = _scenario(request.POST)
    if not form.problems and form.request:
        # Read as the page reads them: refused, the page is shown on what the check read.
        reads = _PageReads(programme, form)
        programme_in = reads.inputs[0]
        checked: whatif.Scenario | None = None
        asked = form.request.add_targets or form.request.remove_targets
        try:
            checked = requests.scenario_check(
                programme_in=programme_in,
                request=form.request,
                position_names=reads.position_names if asked else None,
            )
            outside = decision_selectors.scenario_links_outside(
                programme_in=programme_in, scenario=checked, applied=True
            )
            decision_services.programme_scenario_apply(programme=programme, scenario=checked)
        except ValidationError as error:
            # The preview shows what is wrong (someone may have changed the programme since).
            if checked is None:
                # The check refused it: shown on what the check read.
                return _decide_page(
                    request, programme, request.POST, form=form, reads=reads, check=error
                )
            # Checked, but its writing refused: the programme changed meanwhile, so the page
            # reads it afresh, and checks the scenario again, rather than preview what was read.
            return _decide_page(request, programme, request.POST)
        messages.success(
            request, _("Scenario applied. The gap report is being brought up to date.")
        )
        for note in outside:
            messages.warning(request, note["message"])
        return redirect(programme.get_absolute_url())
    return _decide_page(request, programme, request.POST)
