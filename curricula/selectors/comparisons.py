"""Reads for comparing programmes: two to four programmes judged by the coverage engine against
the same target positions (every position any of them targets), side by side.

Each programme's own stored report answers "how is it doing against its own targets"; a
comparison asks "how do they differ against the same ones", which no stored report holds when
their targets differ. So the figures and rows are computed on the spot by the coverage engine,
from the inputs `coverage_inputs` reads for the compared programmes (each keeping its own
courses and crosswalk rule set) with every programme's targets set to the union. The stored
report's state and percent are shown beside them. A constant number of queries, whatever the
number of abilities, courses or links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.i18n import join_list, localized
from curricula.coverage.engine import (
    COVERED,
    ESSENTIAL,
    MISSING,
    PARTIAL,
    REQUIREMENT_FIELDS,
    iter_reports,
)
from curricula.coverage.selectors import coverage_inputs
from curricula.models import (
    CourseAbility,
    CoverageState,
    Programme,
    ProgrammeCourse,
    ProgrammeTarget,
)
from curricula.selectors.maps import search_matches
from positions.models import (
    Ability,
    CompetencyArea,
    Level,
    Position,
    Requirement,
    ability_language,
)

MIN_COMPARED = 2
MAX_COMPARED = 4
SCOPE_REQUIRED = "required"
SCOPE_BUILT = "built"
SCOPES = (SCOPE_REQUIRED, SCOPE_BUILT)
# Rows of the ability table per page (`?page=`): an ESCO-sized catalogue requires thousands.
COMPARISON_PAGE_ROWS = 50

_ABILITY, _MIN, _BEST, _STATUS, _IMPORTANCE = (
    REQUIREMENT_FIELDS.index(name)
    for name in ("ability", "min_level", "best_level", "status", "importance")
)


class ComparisonInputError(ValueError):
    """The programmes asked for cannot be compared: `message` says why, for a form or a 400."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def comparison_programme_ids(values: Sequence[str]) -> list[int]:
    """The programme ids in `values` (each a string; blanks, as an unchosen menu sends, are left
    out), in the order given: two to four distinct positive numbers, or ComparisonInputError.
    Reading stops at the fifth: 100,000 ids, each checked against those before it, held a
    request for two minutes before this answer."""
    given = [value.strip() for value in values if value and value.strip()]
    if len(given) > MAX_COMPARED:
        raise ComparisonInputError(_("Compare at most four programmes at once."))
    ids: list[int] = []
    for value in given:
        if not (value.isascii() and value.isdigit() and 0 < int(value) < 2**63):
            raise ComparisonInputError(
                _("“%(value)s” is not a programme id: give whole numbers.") % {"value": value[:50]}
            )
        number = int(value)
        if number in ids:
            raise ComparisonInputError(
                _("Programme %(id)s is chosen twice: choose different programmes.") % {"id": number}
            )
        ids.append(number)
    if len(ids) < MIN_COMPARED:
        raise ComparisonInputError(_("Choose at least two programmes to compare."))
    if len(ids) > MAX_COMPARED:
        raise ComparisonInputError(_("Compare at most four programmes at once."))
    return ids


def comparison_programme_choices() -> list[tuple[int, str]]:
    """Every programme the menus offer, (id, name in the reader's language), in the overview's
    and the programmes list's order (Programme.objects.in_catalogue_order: those without a
    certification or track last), so that a programme is found where the list showed it. One
    query."""
    return [
        (pk, localized(name, name_zh))
        for pk, name, name_zh in Programme.objects.in_catalogue_order().values_list(
            "pk", "name", "name_zh"
        )
    ]


def comparison_programmes(*, ids: Sequence[int]) -> list[Programme]:
    """The programmes of `ids`, in that order, with their coverage rows; ComparisonInputError
    naming those that do not exist. One query."""
    found = {
        programme.pk: programme
        for programme in Programme.objects.filter(pk__in=ids).select_related("coverage")
    }
    unknown = [str(pk) for pk in ids if pk not in found]
    if unknown:
        raise ComparisonInputError(
            ngettext(
                "No programme has the id %(ids)s: choose programmes from the list.",
                "No programme has the ids %(ids)s: choose programmes from the list.",
                len(unknown),
            )
            % {"ids": join_list(unknown)}
        )
    return [found[pk] for pk in ids]


def comparison_position_known(*, programmes: Sequence[Programme], position_id: int) -> bool:
    """Whether one of `programmes` targets the position. One query."""
    return ProgrammeTarget.objects.filter(
        programme__in=programmes, position_id=position_id
    ).exists()


# The engine's figures a Tally takes, by the Tally's name for each (the engine's `covered`,
# `partial` and `missing` count essential requirements only).
_ENGINE_FIGURES = {
    "percent": "percent",
    "score": "score",
    "essential": "essential",
    "essential_covered": "covered",
    "essential_partial": "partial",
    "essential_missing": "missing",
    "total": "total",
}
# An ability required by several positions is judged at its strictest minimum: the status of
# its worst row, as its best level is the same in every row.
_STATUS_RANK = {MISSING: 0, PARTIAL: 1, COVERED: 2}


@dataclass
class Tally:
    """Requirements of one group (a programme's, a position's, an area's) against the compared
    targets. The essential figures are the coverage engine's, the very ones the programme's gap
    report shows when its targets are the compared ones; `covered` and `partial` count the
    engine's statuses of all requirements, optional ones included."""

    percent: float | None = None
    score: float | None = None
    essential: int = 0
    essential_covered: int = 0
    essential_partial: int = 0
    essential_missing: int = 0
    total: int = 0
    covered: int = 0
    partial: int = 0

    @classmethod
    def of(cls, figures: dict, statuses) -> Tally:
        """The tally of the engine's `figures` for a group whose requirements have `statuses`."""
        tally = cls(**{name: figures[key] for name, key in _ENGINE_FIGURES.items()})
        for status in statuses:
            if status == COVERED:
                tally.covered += 1
            elif status == PARTIAL:
                tally.partial += 1
        return tally

    @property
    def percent_all(self) -> float | None:
        return 100.0 * self.covered / self.total if self.total else None

    def as_dict(self) -> dict:
        return {
            **{name: getattr(self, name) for name in _ENGINE_FIGURES},
            "percent_all": self.percent_all,
            "covered": self.covered,
            "partial": self.partial,
        }


@dataclass
class ComparedProgramme:
    programme: Programme
    name: str
    state: str  # the stored report's: fresh, stale, computing
    stored_percent: float | None
    target_ids: frozenset[int]
    summary: Tally = field(default_factory=Tally)


@dataclass
class GroupFigures:
    """A target position or competency area, with one tally per compared programme."""

    id: int | None
    name: str
    tallies: list[Tally]
    targeted_by: list[bool] = field(default_factory=list)  # positions: which programmes target it


STATUS_LABELS = {
    COVERED: gettext_lazy("Covered"),
    PARTIAL: gettext_lazy("Partial"),
    MISSING: gettext_lazy("Missing"),
}


@dataclass
class ComparisonCell:
    level: str  # the best level's code, "" where no course builds it
    level_name: str
    status: str  # covered, partial, missing; "" where nothing requires the ability

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, ""))


@dataclass
class ComparisonRow:
    ability_id: int
    code: str
    text: str
    area_id: int | None
    area: str
    language: str  # the ability's: the page marks its statement's language by it
    min_level: str  # the strictest minimum's code, "" where nothing required it
    min_level_name: str
    essential: bool
    position_ids: tuple[int, ...]
    cells: list[ComparisonCell]

    @property
    def difference(self) -> int:
        """0: one programme covers it and another misses it; 1: their statuses differ
        otherwise; 2: their levels differ; 3: alike. Rows sort by it."""
        statuses = {cell.status for cell in self.cells}
        if COVERED in statuses and MISSING in statuses:
            return 0
        if len(statuses) > 1:
            return 1
        if len({cell.level for cell in self.cells}) > 1:
            return 2
        return 3

    @property
    def differs(self) -> bool:
        return self.difference < 3


@dataclass
class ComparisonFilters:
    scope: str = SCOPE_REQUIRED
    position_id: int | None = None
    area_id: int | None = None  # 0: abilities of no competency area
    q: str = ""
    differences: bool = False


@dataclass
class Comparison:
    programmes: list[ComparedProgramme]
    positions: list[GroupFigures]
    areas: list[GroupFigures]
    rows: list[ComparisonRow]  # every row the filters keep, differences first
    filters: ComparisonFilters  # those kept: what the menus do not offer is dropped
    area_choices: list[tuple[int, str]]  # the areas of the abilities compared (0: none)

    @property
    def difference_count(self) -> int:
        return sum(1 for row in self.rows if row.differs)


def programme_comparison(
    *, programmes: Sequence[Programme], filters: ComparisonFilters | None = None
) -> Comparison:
    """The comparison of `programmes` (as comparison_programmes read them) against the union of
    their target positions: figures per programme, per position and per competency area, and a
    row per ability (required by any of the positions, or with the `built` scope built by any
    of their courses) with each programme's best level and status, filtered by `filters`.
    A position none of them targets, or an area none of the abilities compared is in (under
    the scope and position kept), is no filter, as junk is: the menus do not offer it.
    At most thirteen queries (the engine's inputs: seven, and up to two for the crosswalks the
    rule sets count; then levels, positions, abilities and areas), whatever the catalogue's
    size."""
    filters = filters or ComparisonFilters()
    ids = [programme.pk for programme in programmes]
    inputs, catalogue = coverage_inputs(programme_ids=ids)
    by_id = {entry.id: entry for entry in inputs}
    union: list[int] = []
    for pid in ids:
        for position_id in by_id[pid].target_ids:
            if position_id not in union:
                union.append(position_id)
    reports = dict(
        iter_reports([replace(by_id[pid], target_ids=tuple(union)) for pid in ids], catalogue)
    )
    level_rank = {level.code: level.rank for level in catalogue.levels.values()}
    # A level's name in the reader's language.
    level_names = {
        level.code: level.display_name for level in Level.objects.only("code", "name", "name_zh")
    }

    position_reports = {
        pid: {position["position"]: position for position in reports[pid]["positions"]}
        for pid in ids
    }
    position_rows = {
        pid: {position_id: report["requirements"] for position_id, report in by_position.items()}
        for pid, by_position in position_reports.items()
    }
    # Per programme and required ability, the engine's status (at its strictest minimum).
    judged = {pid: _judged(position_rows[pid].values()) for pid in ids}
    position_names = {
        pk: localized(name, name_zh)
        for pk, name, name_zh in Position.objects.filter(pk__in=union)
        .order_by("order", "name", "pk")
        .values_list("pk", "name", "name_zh")
    }
    ordered_positions = [pk for pk in position_names if pk in set(union)]
    if filters.position_id and filters.position_id not in position_names:
        # None of them targets it: ignored, as the map ignores junk in a shared link; the API
        # refuses it beforehand (comparison_position_known).
        filters = replace(filters, position_id=None)

    # Per required ability: strictest minimum (code), essential by any, requiring positions.
    required = _required(ordered_positions, position_rows[ids[0]], level_rank)
    # The rows' requirements: under a position filter, that position's minimum and importance.
    # The rows' statuses: under a position filter, the engine's in that position's rows.
    if filters.position_id:
        shown = _required([filters.position_id], position_rows[ids[0]], level_rank)
        statuses = {
            pid: {row[_ABILITY]: row[_STATUS] for row in position_rows[pid][filters.position_id]}
            for pid in ids
        }
    else:
        shown, statuses = required, judged
    best = {
        pid: {
            row[_ABILITY]: row[_BEST]
            for rows in position_rows[pid].values()
            for row in rows
            if row[_BEST]
        }
        for pid in ids
    }

    if filters.scope == SCOPE_BUILT:
        rank_code = {level.rank: level.code for level in catalogue.levels.values()}
        built: dict[int, dict[int, int]] = {pid: {} for pid in ids}
        for pid in ids:
            reached = built[pid]
            for course_id in by_id[pid].course_ids:
                for ability_id, level_id in catalogue.courses[course_id].links:
                    rank = catalogue.levels[level_id].rank
                    if rank > reached.get(ability_id, 0):
                        reached[ability_id] = rank
            for ability_id, rank in reached.items():
                # A required ability's best level is the engine's (crosswalks included).
                best[pid].setdefault(ability_id, rank_code[rank])
        row_ids = set().union(*(built[pid] for pid in ids))
        # The abilities any course of these programmes builds, as a subquery: no id list.
        ability_filter = Q(
            pk__in=CourseAbility.objects.filter(
                course_id__in=ProgrammeCourse.objects.filter(programme_id__in=ids).values(
                    "course_id"
                )
            ).values("ability_id")
        )
    else:
        row_ids = set(shown)
        ability_filter = Q(
            pk__in=Requirement.objects.filter(
                position_id__in=ProgrammeTarget.objects.filter(programme_id__in=ids).values(
                    "position_id"
                )
            ).values("ability_id")
        )

    area_rows = list(
        CompetencyArea.objects.order_by("framework_id", "order", "code", "pk").values_list(
            "pk", "name", "name_zh", "framework_id"
        )
    )
    # The paper's areas (of no framework) first, as positions.models.area_ordering has them.
    area_rows.sort(key=lambda row: row[3] is not None)
    area_names = {pk: localized(name, name_zh) for pk, name, name_zh, _framework in area_rows}
    area_rank = {pk: rank for rank, pk in enumerate(area_names)}

    compared = [
        values
        for values in Ability.objects.filter(ability_filter)
        .order_by()
        .values_list("pk", "code", "text", "text_zh", "short_name", "area_id", ability_language())
        # Not those only a position the filter leaves out requires.
        if values[0] in row_ids
    ]
    seen_areas = {values[5] for values in compared}
    # The area menu offers the areas of the abilities compared (0: none), under the scope and
    # position kept.
    area_choices = [(pk, area_names[pk]) for pk in area_names if pk in seen_areas] + (
        [(0, _("No competency area"))] if None in seen_areas else []
    )
    if filters.area_id is not None and filters.area_id not in {pk for pk, _name in area_choices}:
        # An area none of them is in (another framework's, an id of nothing; 0 where every one
        # has an area) is no filter, as a position none of them targets and the map's area
        # are: its menu does not offer it, and it would keep no row under a menu on "All".
        # The API refuses it (its view compares the filters asked with those kept).
        filters = replace(filters, area_id=None)

    rows: list[ComparisonRow] = []
    for ability_id, code, text, text_zh, short_name, area_id, language in compared:
        if filters.area_id is not None and (area_id or 0) != filters.area_id:
            continue
        if filters.q and not search_matches(filters.q, text, text_zh, short_name, code=code):
            continue
        need = shown.get(ability_id)
        min_code = need[0] if need else ""
        cells = []
        for pid in ids:
            level = best[pid].get(ability_id, "")
            status = statuses[pid][ability_id] if need else ""
            cells.append(ComparisonCell(level, level_names.get(level, level), status))
        row = ComparisonRow(
            ability_id=ability_id,
            code=code,
            text=localized(text, text_zh),
            area_id=area_id,
            area=area_names.get(area_id, "") if area_id else "",
            language=language,
            min_level=min_code,
            min_level_name=level_names.get(min_code, min_code),
            essential=bool(need and need[1]),
            position_ids=tuple(need[2]) if need else (),
            cells=cells,
        )
        if filters.differences and not row.differs:
            continue
        rows.append(row)
    rows.sort(
        key=lambda row: (
            row.difference,
            row.area_id is None,
            area_rank.get(row.area_id, 0),
            row.code,
            row.ability_id,
        )
    )

    return Comparison(
        programmes=_compared(programmes, by_id, reports, judged),
        positions=_position_figures(
            ids, ordered_positions, position_names, position_reports, by_id
        ),
        areas=_area_figures(ids, reports, judged, catalogue, area_names),
        rows=rows,
        filters=filters,
        area_choices=area_choices,
    )


def _required(position_ids, rows_of, level_rank) -> dict[int, list]:
    """Per ability the positions require: [strictest minimum's code, essential for any,
    the positions requiring it]."""
    required: dict[int, list] = {}
    for position_id in position_ids:
        for row in rows_of.get(position_id, []):
            ability_id, min_code = row[_ABILITY], row[_MIN]
            essential = row[_IMPORTANCE] == ESSENTIAL
            found = required.get(ability_id)
            if found is None:
                required[ability_id] = [min_code, essential, [position_id]]
            else:
                if level_rank[min_code] > level_rank[found[0]]:
                    found[0] = min_code
                found[1] = found[1] or essential
                found[2].append(position_id)
    return required


def _judged(rows_of_positions) -> dict[int, str]:
    """Per ability the rows require, the engine's status at its strictest minimum: its worst
    row's (the engine's programme and area figures count it so)."""
    judged: dict[int, str] = {}
    for rows in rows_of_positions:
        for row in rows:
            ability_id, status = row[_ABILITY], row[_STATUS]
            found = judged.get(ability_id)
            if found is None or _STATUS_RANK[status] < _STATUS_RANK[found]:
                judged[ability_id] = status
    return judged


def _compared(programmes, by_id, reports, judged) -> list[ComparedProgramme]:
    """Each programme with its stored report's state and percent, and its summary against the
    compared targets: the engine's (each ability once, at its strictest minimum)."""
    compared = []
    for programme in programmes:
        try:
            coverage = programme.coverage  # read with the programme: no query
        except Programme.coverage.RelatedObjectDoesNotExist:
            coverage = None
        compared.append(
            ComparedProgramme(
                programme=programme,
                name=programme.display_name,
                state=coverage.state if coverage else CoverageState.STALE,
                stored_percent=coverage.percent if coverage else None,
                target_ids=frozenset(by_id[programme.pk].target_ids),
                summary=Tally.of(reports[programme.pk], judged[programme.pk].values()),
            )
        )
    return compared


def _position_figures(ids, ordered, names, position_reports, by_id) -> list[GroupFigures]:
    return [
        GroupFigures(
            id=position_id,
            name=names[position_id],
            tallies=[
                Tally.of(
                    position_reports[pid][position_id],
                    (row[_STATUS] for row in position_reports[pid][position_id]["requirements"]),
                )
                for pid in ids
            ],
            targeted_by=[position_id in by_id[pid].target_ids for pid in ids],
        )
        for position_id in ordered
    ]


def _area_figures(ids, reports, judged, catalogue, area_names) -> list[GroupFigures]:
    """Per competency area, in the engine's order (the gap report's), each programme's figures
    as its report gives them."""
    statuses: dict[int, dict[int | None, list[str]]] = {pid: {} for pid in ids}
    for pid in ids:
        for ability_id, status in judged[pid].items():
            area_id = catalogue.abilities[ability_id].area_id
            # As the engine files an ability whose area it does not know: under none.
            key = area_id if area_id in catalogue.areas else None
            statuses[pid].setdefault(key, []).append(status)
    by_area = {pid: {area["area"]: area for area in reports[pid]["areas"]} for pid in ids}
    return [
        GroupFigures(
            id=area["area"],
            name=area_names.get(area["area"], "") if area["area"] else str(_("No competency area")),
            tallies=[
                Tally.of(by_area[pid][area["area"]], statuses[pid].get(area["area"], []))
                for pid in ids
            ],
        )
        for area in reports[ids[0]]["areas"]
    ]
