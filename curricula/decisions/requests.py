"""What a decision-support question may ask, checked once for every door: the programme page's
form, the API and `manage.py recommend`.

Two steps. The shape (numbers are numbers, lists are bounded) is checked by the serializers
below, which also document the API's request body and query; the door hands them its raw data
(`scenario_request`, `recommendation_request`). Then a scenario is checked against the database
(`scenario_check`): courses and abilities exist, a course is not both added and removed, and so
on. Both raise Django's ValidationError with a message per field, which the API answers as a 400,
the page shows beside the form and the command prints.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import zip_longest
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from rest_framework import serializers
from rest_framework.settings import api_settings

from core.api.fields import IdsField, StrictCharField
from core.api.filters import MAX_ID
from core.api.serializers import KnownKeysMixin
from core.i18n import join_list, localized
from core.spreadsheets import shown
from curricula.coverage.engine import ProgrammeIn
from curricula.credits import number_to_write
from curricula.decisions import whatif
from curricula.models import Course, CourseAbility
from positions.models import Ability, Level, Position
from positions.selectors import levels_written

# Enough for any real scenario; bounds the work one request can ask for.
MAX_COURSES = 500
MAX_LINKS = 2000
MAX_TARGETS = 200
# The page's form removes a link with this level value (the API with null).
REMOVE_LINK = "-"


@dataclass(frozen=True)
class LinkChange:
    """One cell of a scenario: `level` a level code, or None / "" to remove the link."""

    course: int
    ability: int
    level: str | None


@dataclass(frozen=True)
class ScenarioRequest:
    """A scenario as asked: ids and level codes, not yet checked against the database."""

    add_courses: tuple[int, ...] = ()
    remove_courses: tuple[int, ...] = ()
    links: tuple[LinkChange, ...] = ()
    add_targets: tuple[int, ...] = ()
    remove_targets: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.add_courses
            or self.remove_courses
            or self.links
            or self.add_targets
            or self.remove_targets
        )


@dataclass(frozen=True)
class RecommendationRequest:
    budget: float | None = None
    position_id: int | None = None
    area_id: int | None = None


# --- shapes ------------------------------------------------------------------------------------


def _id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _id_list(*, max_length: int, help_text) -> IdsField:
    """An optional list of ids, each given once, empty when not given."""
    return IdsField(required=False, default=list, max_length=max_length, help_text=help_text)


# Longest a level may be written, by its code or its name in either language (as the link
# writes read it: positions.selectors.levels_written).
LEVEL_WRITTEN_LENGTH = max(
    Level._meta.get_field(name).max_length for name in ("code", "name", "name_zh")
)


class LinkChangeSerializer(KnownKeysMixin, serializers.Serializer):
    course = _id_field()
    ability = _id_field()
    level = StrictCharField(
        max_length=LEVEL_WRITTEN_LENGTH,
        allow_null=True,
        allow_blank=True,
        help_text=gettext_lazy(
            "Level to set the link to, by its code (I, R, M...) or its name in either language, "
            "as the link writes read it; null or empty removes it."
        ),
    )


class ScenarioRequestSerializer(KnownKeysMixin, serializers.Serializer):
    add_courses = _id_list(
        max_length=MAX_COURSES,
        help_text=gettext_lazy("Catalogue courses to add to the programme (at its end)."),
    )
    remove_courses = _id_list(
        max_length=MAX_COURSES, help_text=gettext_lazy("Courses of the programme to take out.")
    )
    links = LinkChangeSerializer(
        many=True,
        required=False,
        default=list,
        max_length=MAX_LINKS,
        help_text=gettext_lazy(
            "Course-ability links to add, change (level code) or remove (null)."
        ),
    )
    add_targets = _id_list(
        max_length=MAX_TARGETS,
        help_text=gettext_lazy("Positions to try as new target positions of the programme."),
    )
    remove_targets = _id_list(
        max_length=MAX_TARGETS,
        help_text=gettext_lazy("Target positions of the programme to try without."),
    )


class CreditsField(serializers.DecimalField):
    """A number of credits as a catalogue gives them (curricula.resources.CreditsWidget): a
    decimal comma ("3,5", as much of Europe writes it) and full-width digits (as a Chinese
    input method types them) read as 3.5."""

    def to_internal_value(self, data):
        written = data
        if isinstance(data, str):
            data = unicodedata.normalize("NFKC", data).strip()
            if data.count(",") == 1 and "." not in data:
                data = data.replace(",", ".")
        try:
            if isinstance(data, str) and "_" in data:
                # Decimal reads Python's digit grouping: "3_5" would be 35 (as CreditsWidget).
                self.fail("invalid")
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not isinstance(written, str) or error.get_codes() != ["invalid"]:
                raise
            # DRF's "A valid number is required." says neither what was wrong nor what to write.
            number = number_to_write(written)
            if number is None:
                message = _("Write a number, such as 30, not “%(value)s”.")
            else:
                message = _("Write %(number)s, not “%(value)s”.")
            raise serializers.ValidationError(
                message % {"value": shown(written.strip()), "number": number}, code="invalid"
            ) from error


class RecommendationQuerySerializer(serializers.Serializer):
    budget = CreditsField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Most credits (or courses, when credits are missing) to spend."),
    )
    position = _id_field(required=False, allow_null=True)
    area = _id_field(required=False, allow_null=True)


def _validated(serializer: serializers.Serializer) -> dict[str, Any]:
    """The serializer's data, or its errors as Django's ValidationError (field: messages)."""
    if not serializer.is_valid():
        raise ValidationError(
            {
                field: [str(message) for message in _flatten(errors, field=field)]
                for field, errors in serializer.errors.items()
            }
        )
    return serializer.validated_data


def _numbered(field: str, number: int, problem: str) -> str:
    """A problem of the `number`-th item (from 1) of a list field, said as the database checks
    say a link's (`scenario_check`)."""
    if field == "links":
        return _("Link %(number)s: %(problem)s") % {"number": number, "problem": problem}
    return _("Item %(number)s: %(problem)s") % {"number": number, "problem": problem}


def _flatten(errors: Any, *, field: str) -> Iterable[str]:
    # A list field's errors come keyed by the item's place (from 0): name the item as the
    # database checks do, counted from 1. A nested serializer's (one per link): name the field
    # inside.
    if isinstance(errors, dict):
        for key, inner in errors.items():
            for message in _flatten(inner, field=field):
                if isinstance(key, int):
                    yield _numbered(field, key + 1, message)
                elif key == api_settings.NON_FIELD_ERRORS_KEY:
                    yield message
                else:
                    yield f"{key}: {message}"
    elif isinstance(errors, list):
        for inner in errors:
            yield from _flatten(inner, field=field)
    else:
        yield str(errors)


def scenario_request(data: Mapping[str, Any]) -> ScenarioRequest:
    """The scenario in `data` (the API's body: add_courses, remove_courses, links, add_targets,
    remove_targets), checked for shape; ValidationError otherwise."""
    checked = _validated(ScenarioRequestSerializer(data=data))
    return ScenarioRequest(
        add_courses=tuple(checked["add_courses"]),
        remove_courses=tuple(checked["remove_courses"]),
        links=tuple(LinkChange(**link) for link in checked["links"]),
        add_targets=tuple(checked["add_targets"]),
        remove_targets=tuple(checked["remove_targets"]),
    )


# The parallel lists of the form's cell rows: a row is a course, an ability and a level.
CELL_FIELDS = ("cell_course", "cell_ability", "cell_level")


def cell_rows(form: Any) -> list[tuple[str, str, str]]:
    """The form's cell rows, as many as its longest list: a row an address built by hand leaves
    a parameter out of (`?cell_course=5&cell_level=M`, no `cell_ability`) has it empty, so that
    it is refused naming the row rather than dropped by zipping lists of unequal length."""
    return list(zip_longest(*(form.getlist(key) for key in CELL_FIELDS), fillvalue=""))


def cell_changes(form: Any) -> list[tuple[int, tuple[str, str, str]]]:
    """The form's cell rows that ask for a change, each with its number as the form sent it
    (from 1): a row is a change only with a level chosen; the others ask for nothing and are
    left out everywhere (the scenario, the choices shown back, the address, the checks)."""
    return [(number, row) for number, row in enumerate(cell_rows(form), start=1) if row[2]]


def scenario_form_data(form: Any) -> dict[str, Any]:
    """The programme page's scenario form (a QueryDict: repeated `add` and `remove`, parallel
    `cell_course`, `cell_ability`, `cell_level` rows, repeated `add_target` and
    `remove_target`) in the API's shape. A cell row with no level chosen is left out, as an
    empty id is (a parameter without a value asks for nothing); the level "-" removes the
    link."""
    links = [
        {"course": course, "ability": ability, "level": None if level == REMOVE_LINK else level}
        for _number, (course, ability, level) in cell_changes(form)
    ]
    return {
        "add_courses": _given(form, "add"),
        "remove_courses": _given(form, "remove"),
        "links": links,
        "add_targets": _given(form, "add_target"),
        "remove_targets": _given(form, "remove_target"),
    }


def _given(form: Any, key: str) -> list[str]:
    # Each once: the page's links build the query by adding ids, and may repeat one; the API
    # refuses a repeat (IdsField), a page's scenario is not the reader's typing.
    return list(dict.fromkeys(value.strip() for value in form.getlist(key) if value.strip()))


class FormProblem(NamedTuple):
    """What is wrong with the what-if form, and the cell row it is about (counted as the form
    sent its rows, from 1), or None for the form's other groups: the page ties the message to
    that row's controls."""

    row: int | None
    message: str


def scenario_form_row_errors(form: Any) -> list[FormProblem]:
    """What the form's cell rows lack, row by row, in the form's words: a row with a level
    chosen needs a course and an ability (the serializer would say "0: ability: A valid integer
    is required."). Rows count as the form sent them, so the number is the row the reader saw."""
    missing = {
        (True, False): _("Cell change %(row)s: choose a course, or set its level to “No change”."),
        (False, True): _(
            "Cell change %(row)s: choose an ability, or set its level to “No change”."
        ),
        (True, True): _(
            "Cell change %(row)s: choose a course and an ability, or set its level to “No change”."
        ),
    }
    problems = []
    for number, (course, ability, _level) in cell_changes(form):
        lacking = (not course.strip(), not ability.strip())
        if any(lacking):
            problems.append(FormProblem(number, missing[lacking] % {"row": number}))
    return problems


def _form_id(value: str) -> int | None:
    value = value.strip()
    # ASCII digits only: `str.isdigit()` accepts "²", which `int()` refuses.
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID else None


# The form's groups, as its headings name them, for what a value in a group is wrong with.
FORM_ID_GROUPS = {
    "add": (gettext_lazy("Bring in from the catalogue"), "course"),
    "remove": (gettext_lazy("Take out of the programme"), "course"),
    "add_target": (gettext_lazy("Target positions"), "position"),
    "remove_target": (gettext_lazy("Target positions"), "position"),
}
# Longest a refused value is shown (a hand-edited address may carry anything).
SHOWN_VALUE = 40


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_VALUE else value[:SHOWN_VALUE] + "…"


def _not_an_id(kind: str, value: str, parameter: str) -> str:
    words = {
        "course": _("“%(value)s” (%(parameter)s) is not a course id."),
        "ability": _("“%(value)s” (%(parameter)s) is not an ability id."),
        "position": _("“%(value)s” (%(parameter)s) is not a position id."),
    }
    return words[kind] % {"value": _shown(value), "parameter": parameter}


def scenario_form_value_errors(form: Any) -> list[FormProblem]:
    """What is not an id among the form's ids, and a cell's level longer than any level code: a
    hand-edited address (`?add=abc`), which the serializer would answer with the value's index
    in its list ("0: A valid integer is required."). Each message names the form's group, the
    parameter and the value given. Empty values ask for nothing and pass."""
    problems = []
    for parameter, (group, kind) in FORM_ID_GROUPS.items():
        for value in form.getlist(parameter):
            if value.strip() and _form_id(value) is None:
                problems.append(
                    FormProblem(
                        None,
                        _("%(label)s: %(value)s")
                        % {"label": group, "value": _not_an_id(kind, value, parameter)},
                    )
                )
    # Every row, a change or not: the form's menus send ids or nothing, so junk in a row with
    # no level chosen was typed into the address too, and is refused as in any other row.
    for number, (course, ability, level) in enumerate(cell_rows(form), start=1):
        for parameter, kind, value in (
            ("cell_course", "course", course),
            ("cell_ability", "ability", ability),
        ):
            if value.strip() and _form_id(value) is None:
                problems.append(
                    FormProblem(
                        number,
                        _("Cell change %(row)s: %(problem)s")
                        % {"row": number, "problem": _not_an_id(kind, value, parameter)},
                    )
                )
        if level and level != REMOVE_LINK and len(level) > LEVEL_WRITTEN_LENGTH:
            problems.append(
                FormProblem(
                    number,
                    _("Cell change %(row)s: unknown level “%(code)s”.")
                    % {"row": number, "code": _shown(level)},
                )
            )
    return problems


def _form_ids(form: Any, key: str) -> tuple[int, ...]:
    return tuple(pk for pk in map(_form_id, form.getlist(key)) if pk is not None)


def scenario_form_choices(form: Any) -> ScenarioRequest:
    """What the form chose, read leniently to show it back beside a refusal: ids that are not
    ids are left out, and a cell row with a level keeps its course and ability even when one is
    missing (None), so that the reader corrects the row instead of choosing it all again. Never
    checked or previewed: `scenario_request` is the door for that."""
    links = tuple(
        LinkChange(
            course=_form_id(course),  # type: ignore[arg-type]
            ability=_form_id(ability),  # type: ignore[arg-type]
            level=None if level == REMOVE_LINK else level,
        )
        for _number, (course, ability, level) in cell_changes(form)
    )
    return ScenarioRequest(
        add_courses=_form_ids(form, "add"),
        remove_courses=_form_ids(form, "remove"),
        links=links,
        add_targets=_form_ids(form, "add_target"),
        remove_targets=_form_ids(form, "remove_target"),
    )


def scenario_form_query(form: Any) -> str:
    """The decide page's query (a QueryDict: the what-if form's scenario and catalogue search,
    the recommendations' filters) with only the parameters that carry a value, for its address:
    the form sends its empty search and every empty cell row. A cell row is a change only with a
    level chosen (scenario_form_data): any other row is left out. The rows are parallel lists,
    so a kept row's empty course or ability is kept only where a later row's value comes after
    it (else that value would be read as this row's); one with none after it is left out, as a
    row reads a list's missing end as empty (cell_rows), and the page says the same of it. Read
    back, the query gives the same page."""
    pairs: list[tuple[str, str]] = []
    cells_at = None
    for key, values in form.lists():
        if key in CELL_FIELDS:
            cells_at = len(pairs) if cells_at is None else cells_at
            continue
        pairs.extend((key, value) for value in values if value.strip())
    if cells_at is not None:
        rows = [row for _number, row in cell_changes(form)]
        # How many rows each list needs: up to its last value.
        needed = [
            max((at + 1 for at, row in enumerate(rows) if row[field].strip()), default=0)
            for field in range(len(CELL_FIELDS))
        ]
        cells = [
            (key, value)
            for at, row in enumerate(rows)
            for field, (key, value) in enumerate(zip(CELL_FIELDS, row, strict=True))
            if at < needed[field]
        ]
        pairs[cells_at:cells_at] = cells
    return urlencode(pairs)


def recommendation_request(data: Mapping[str, Any]) -> RecommendationRequest:
    """The recommendation question in `data` (budget, position, area; absent or empty means
    none), checked for shape; ValidationError otherwise."""
    present = {key: value for key, value in data.items() if value not in (None, "")}
    checked = _validated(RecommendationQuerySerializer(data=present))
    budget: Decimal | None = checked.get("budget")
    return RecommendationRequest(
        budget=float(budget) if budget is not None else None,
        position_id=checked.get("position"),
        area_id=checked.get("area"),
    )


# --- against the database ----------------------------------------------------------------------


def _ids(ids: Iterable[int], names: dict[int, str] | None = None) -> str:
    """The ids, each known record by its name (a course by its code, as the page shows it)."""
    names = names or {}
    return join_list(names.get(pk) or str(pk) for pk in ids)


def _add_remove_errors(
    add: list[int],
    remove: list[int],
    *,
    present: set[int],
    known: set[int],
    fields: tuple[str, str],
    messages: tuple[str, str, str],
    names: dict[int, str] | None = None,
) -> dict[str, list[str]]:
    """What is wrong with ids to add to and remove from the programme (its courses, or its
    target positions): an id to add must exist (`known`) and be new (not in `present`); one to
    remove must be present and not added too. `fields` names the add and remove fields;
    `messages` words the unknown, already-present and not-present ids; `names` names the
    records that exist (an unknown id has only itself to be named by)."""
    add_field, remove_field = fields
    unknown_message, already_message, lacking_message = messages
    errors: dict[str, list[str]] = {}
    unknown = [pk for pk in add if pk not in known]
    if unknown:
        errors.setdefault(add_field, []).append(unknown_message % {"ids": _ids(unknown)})
    already = [pk for pk in add if pk in present]
    if already:
        errors.setdefault(add_field, []).append(already_message % {"ids": _ids(already, names)})
    both = [pk for pk in add if pk in set(remove)]
    if both:
        errors.setdefault(remove_field, []).append(
            _("Both added and removed: %(ids)s.") % {"ids": _ids(both, names)}
        )
    lacking = [pk for pk in remove if pk not in present]
    if lacking:
        errors.setdefault(remove_field, []).append(lacking_message % {"ids": _ids(lacking, names)})
    return errors


def _course_errors(
    add: list[int], remove: list[int], present: set[int], codes: dict[int, str]
) -> dict[str, list[str]]:
    """Courses to add must exist and be new to the programme; courses to remove must be in it
    and not added too. Each known course is named by its code (`codes`)."""
    return _add_remove_errors(
        add,
        remove,
        present=present,
        known=set(codes),
        names=codes,
        fields=("add_courses", "remove_courses"),
        messages=(
            _("No course has the id %(ids)s."),
            _("Already in the programme: %(ids)s."),
            _("Not in the programme: %(ids)s."),
        ),
    )


def _link_changes(
    links: list[LinkChange], course_codes: dict[int, str]
) -> tuple[list[tuple[int, int, int | None]], list[tuple[int, str]]]:
    """Each cell as (course id, ability id, level id or None), and what is wrong with the rest,
    each problem with the link's place in `links` (from 0): an unknown course, ability or level,
    a cell given twice (the second time), removing a link that is not there. A level is read as
    every other door reads one (positions.selectors.levels_written: its code in any case or
    width, or its name). A known course or ability is named by its code, as the page's menus
    show it (the ids are the request's, not the reader's). No links, no reads (a scenario of
    courses or targets alone: the engine's inputs have read the level scale already)."""
    if not links:
        return [], []
    levels = list(Level.objects.all())
    ability_codes = dict(
        Ability.objects.filter(pk__in={link.ability for link in links}).values_list("pk", "code")
    )
    known_abilities = set(ability_codes)
    existing = set(
        CourseAbility.objects.filter(
            course_id__in={link.course for link in links}, ability_id__in=known_abilities
        ).values_list("course_id", "ability_id")
    )
    seen: set[tuple[int, int]] = set()
    changes: list[tuple[int, int, int | None]] = []
    problems: list[tuple[int, str]] = []
    for index, link in enumerate(links):
        key = (link.course, link.ability)
        level = (link.level or "").strip()
        named = levels_written(level, levels) if level and "\x00" not in level else []
        names = {
            "course": course_codes.get(link.course) or link.course,
            "ability": ability_codes.get(link.ability) or link.ability,
        }
        problem = None
        if link.course not in course_codes:
            problem = _("No course has the id %(id)s.") % {"id": link.course}
        elif link.ability not in known_abilities:
            problem = _("No ability has the id %(id)s.") % {"id": link.ability}
        elif key in seen:
            problem = _("Course %(course)s and ability %(ability)s are given twice.") % names
        elif level and len(named) != 1:
            problem = _("Unknown level “%(code)s”.") % {"code": level}
        elif not level and key not in existing:
            problem = _("Course %(course)s has no link to ability %(ability)s to remove.") % names
        else:
            changes.append((link.course, link.ability, named[0].pk if level else None))
        if problem is not None:
            problems.append((index, problem))
        seen.add(key)
    return changes, problems


def _target_errors(
    add: list[int],
    remove: list[int],
    targets: set[int],
    position_names: dict[int, str] | None = None,
) -> dict[str, list[str]]:
    """Positions to try as targets must exist and not be targets yet; targets to try without
    must be targets and not added too. Each known position is named as the page shows it: its
    name in the reader's language, in quotes (a name may hold the list's comma).
    `position_names`: names read for every position of `add` and `remove` that exists."""
    quoted = pgettext("a record's name in quotes", "“%(name)s”")
    asked = {*add, *remove}
    if position_names is not None:
        found = {pk: name for pk, name in position_names.items() if pk in asked}
    else:
        found = {
            pk: localized(name, name_zh)
            for pk, name, name_zh in (
                Position.objects.filter(pk__in=asked).values_list("pk", "name", "name_zh")
                if asked
                else ()
            )
        }
    names = {pk: quoted % {"name": name} for pk, name in found.items()}
    return _add_remove_errors(
        add,
        remove,
        present=targets,
        known=set(names),
        names=names,
        fields=("add_targets", "remove_targets"),
        messages=(
            _("No position has the id %(ids)s."),
            _("Already a target position: %(ids)s."),
            _("Not a target position of the programme: %(ids)s."),
        ),
    )


class ScenarioRefused(ValidationError):
    """`scenario_check`'s refusal: a ValidationError with a message per field, each link's
    message after the link's number in the request's `links` (from 1: "Link 2: …", as the API
    and the command say it), and `link_problems`, each link's problems unnumbered by its place in
    `links` (from 0), for a door that numbers its rows its own way (the page's form counts the
    rows it sent, and says a message beside its row)."""

    def __init__(self, errors: dict[str, list[str]], link_problems: list[tuple[int, str]]):
        super().__init__(errors)
        self.link_problems = link_problems


def scenario_check(
    *,
    programme_in: ProgrammeIn,
    request: ScenarioRequest,
    position_names: dict[int, str] | None = None,
) -> whatif.Scenario:
    """The scenario as engine ids, or a ScenarioRefused (a ValidationError with a message per
    field; a link's names the link) for unknown courses, abilities, levels or positions, courses
    or targets both added and removed, adding a course (target) the programme has, removing one
    it lacks, a cell given twice, or removing a link that does not exist."""
    add = list(dict.fromkeys(request.add_courses))
    remove = list(dict.fromkeys(request.remove_courses))
    add_targets = list(dict.fromkeys(request.add_targets))
    remove_targets = list(dict.fromkeys(request.remove_targets))
    links = list(request.links)
    course_codes = dict(
        Course.objects.filter(pk__in={*add, *remove, *(link.course for link in links)}).values_list(
            "pk", "code"
        )
    )
    errors = _course_errors(add, remove, set(programme_in.course_ids), course_codes)
    errors.update(
        _target_errors(add_targets, remove_targets, set(programme_in.target_ids), position_names)
    )
    changes, link_problems = _link_changes(links, course_codes)
    if link_problems:
        errors["links"] = [
            _numbered("links", index + 1, problem) for index, problem in link_problems
        ]
    if errors:
        raise ScenarioRefused(errors, link_problems)
    return whatif.Scenario(
        add_course_ids=tuple(add),
        remove_course_ids=tuple(remove),
        links=tuple(changes),
        add_target_ids=tuple(add_targets),
        remove_target_ids=tuple(remove_targets),
    )
