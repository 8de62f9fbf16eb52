"""Reads of a programme's curriculum map: the map under the designer's filters (with its columns
paged), the coverage figures of a filtered view, one ability's row or one cell in detail, and the
plan of a change set before it is written.

Every function runs a fixed number of queries however large the programme or the catalogue:
filtering, paging and the filtered view's figures are computed in Python from the same five
queries that read the map.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.i18n import join_list, localized
from core.models import normalized_code
from core.search import SearchQuery, fold, is_code_start, search_query, shortened, typed
from curricula.coverage.engine import (
    DEFAULT_RULES,
    AbilityIn,
    AreaIn,
    Catalogue,
    CourseIn,
    CrosswalkRules,
    LevelIn,
    PositionIn,
    ProgrammeIn,
    RequirementIn,
    compute_report,
)
from curricula.coverage.selectors import (
    RELATION_LABELS,
    CrosswalkRelations,
    ProgrammeAbilities,
    ability_crosswalks,
    programme_crosswalks,
    programme_relations,
    programme_rules,
)
from curricula.models import Course, CourseAbility, Programme, ProgrammeCourse, ProgrammeTarget
from curricula.selectors.programmes import (
    FILTERED_STATE,
    GapReport,
    gap_report,
    gap_report_build,
)
from positions.models import (
    PAPER_PLACEMENT,
    Ability,
    CompetencyArea,
    Placement,
    Requirement,
    ability_language,
    area_ordering,
)
from positions.selectors import LevelShade, level_scale, levels_named

# Columns (courses) shown at once: a wider map is paged, so it stays usable at any width.
MAP_PAGE_COLUMNS = 40
# Requirements of each status (missing, partial, covered) the gap report lists for each target
# on the page; a link lists all of one target's (the downloads and the printed report hold all).
GAP_LIST_ITEMS = 10
# Rows (abilities) shown at once: ten targets of an ESCO-sized catalogue require hundreds of
# abilities, and a page of them all is slow to send and to read; the filters narrow them too.
MAP_PAGE_ROWS = 50
STATUSES = ("missing", "partial", "covered")
# Longer searches are cut: nobody types more, and it bounds the work per row.
SEARCH_MAX_LENGTH = 200
# A change set larger than this is refused: a pasted block is far smaller.
CHANGE_SET_MAX_CELLS = 5000
# What a cell may hold to mean "not taught" when typed or pasted.
CLEAR_CODES = frozenset({"", "-", "–", "—", "·", ".", "0"})  # noqa: RUF001 (dashes users type)
# How many cells one refusal of a change set's cells (for one reason) names; past them, "…".
REFUSAL_CELLS = 5


# --- Filters -------------------------------------------------------------------------------


def _positive_int(value: Any) -> int | None:
    text = str(value or "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) < 2**63:
        return int(text)
    return None


@dataclass(frozen=True)
class MapFilters:
    """What the designer narrowed the map to. Every figure, the chart and every download of the
    programme follow these, and the page's URL holds them (`params`), so a view can be shared."""

    position_id: int | None = None
    statuses: tuple[str, ...] = ()
    area_id: int | None = None
    module_id: int | None = None
    stage_id: int | None = None
    q: str = ""
    # *Find courses*: narrows the columns as module and stage do, by the same word rules as `q`.
    course_q: str = ""

    @classmethod
    def from_query(cls, params: Mapping) -> MapFilters:
        """Filters from a query string, leniently: anything malformed is ignored (a shared link
        with junk in it still opens). `params` is a QueryDict or a plain mapping."""
        getlist = getattr(params, "getlist", None)
        raw_statuses = getlist("status") if getlist else [params.get("status") or ""]
        statuses = tuple(s for s in STATUSES if s in set(raw_statuses))
        return cls(
            position_id=_positive_int(params.get("position")),
            # All three statuses is no filter at all.
            statuses=() if len(statuses) == len(STATUSES) else statuses,
            # 0: the abilities of no competency area, as the comparison's filter names them.
            area_id=0
            if str(params.get("area") or "").strip() == "0"
            else _positive_int(params.get("area")),
            module_id=_positive_int(params.get("module")),
            stage_id=_positive_int(params.get("stage")),
            q=_search_text(params.get("q")),
            course_q=_search_text(params.get("courses")),
        )

    @property
    def active(self) -> bool:
        return bool(
            self.position_id
            or self.statuses
            or self.area_id is not None
            or self.module_id
            or self.stage_id
            or self.q
            or self.course_q
        )

    @property
    def narrows_rows_or_columns(self) -> bool:
        """Anything beyond the target position: the figures are then computed for the view."""
        return bool(
            self.statuses
            or self.area_id is not None
            or self.module_id
            or self.stage_id
            or self.q
            or self.course_q
        )

    def params(self) -> list[tuple[str, str]]:
        """The filters as query parameters, in a stable order."""
        items: list[tuple[str, str]] = []
        if self.position_id:
            items.append(("position", str(self.position_id)))
        items += [("status", status) for status in self.statuses]
        for name in ("area", "module", "stage"):
            value = getattr(self, f"{name}_id")
            if value is not None:
                items.append((name, str(value)))
        if self.q:
            items.append(("q", self.q))
        if self.course_q:
            items.append(("courses", self.course_q))
        return items

    def matches_text(self, *texts: str, code: str = "") -> bool:
        """Whether a row (an ability: its code, statement, Chinese name, short name) is one
        *Find in the map* keeps: see `_text_matches`."""
        return _text_matches(self.q, *texts, code=code)

    def matches_course(self, *texts: str, code: str = "") -> bool:
        """Whether a column (a course: its code, title, Chinese title, the title its programme
        lists it under) is one *Find courses* keeps, by the same rules as the rows' search: see
        `_text_matches`."""
        return _text_matches(self.course_q, *texts, code=code)


def _search_text(value: Any) -> str:
    """A search box's text, its spaces collapsed and cut to SEARCH_MAX_LENGTH at a word's end
    (core.search.shortened)."""
    return shortened(" ".join(str(value or "").split()), SEARCH_MAX_LENGTH)


def _text_matches(q: str, *texts: str, code: str = "") -> bool:
    """Every word of the search `q` is a word of the code or one of the texts, by the site
    search's rules (core.search): English words stemmed ("planning" finds "plan", "cast" not
    "forecast"), Chinese segmented into words ("运营" does not find 货运营销). A search of stop
    words alone finds nothing, as the site search's does. The start of a code, as typed (any
    case, width and accent), also finds it: staff look for a branch by its code's start. A dotted
    code's start is read a part at a time, as the site search reads it: 2.2 finds 2.2.1, not
    2.20; NUR finds NUR.1.2, not NURS.1 (a code without a dot, D1 or ECOM101, by its start as
    typed: D finds D1). A code's words are itself (found by its start, a part at a time) and
    its parts mixing letters and digits (D1, P05 of P05.2), never a bare number inside it:
    otherwise "1.2.5" (the words 1, 2 and 5) found 1.5.2 and 2.1.5 too. No search: everything
    matches."""
    if not q:
        return True
    start, words = _search(q)
    if code and start and _code_begins(fold(normalized_code(code)), start):
        return True
    # Without this, a search of stop words (no words left) matched every row.
    return bool(words) and words.matches(code, *texts)


# For other pages searching abilities as the map's *Find in the map* does (the comparison).
search_matches = _text_matches


def _code_begins(code: str, start: str) -> bool:
    if "." in code:
        return is_code_start(start, code)
    return code.startswith(start)


@lru_cache(maxsize=64)
def _search(q: str) -> tuple[str, SearchQuery]:
    """The search as the start of a code and as words: read once per search, not once per row."""
    return typed(normalized_code(q)), search_query(q)


# --- The map -------------------------------------------------------------------------------


@dataclass
class MapColumn:
    """A course of the programme, in programme order."""

    course_id: int
    code: str
    title: str
    listed_as: str
    module: str
    module_id: int | None = None
    stage: str = ""
    stage_id: int | None = None
    index: int = 0  # position among the view's columns (all pages)
    # The title in its own words and in Chinese, whichever `title` shows, and the title the
    # programme's list gives it (Table III's, for the paper), whichever `listed_as` shows:
    # *Find courses* finds a column by any, in either interface language.
    own_title: str = ""
    title_zh: str = ""
    own_listed_as: str = ""
    # The course's `language`: the page marks an English title on a Chinese page as English.
    language: str = ""


@dataclass
class ColumnGroup:
    label: str
    span: int


@dataclass(slots=True)
class MapCell:
    course_id: int
    course_code: str
    ability_id: int
    level: LevelShade | None


@dataclass
class MapRow:
    """An ability required by the shown targets, at the strictest minimum among them."""

    ability_id: int
    code: str
    text: str
    min_level: LevelShade
    essential: bool
    required_by: list[str]
    area: CompetencyArea | None = None
    cells: list[MapCell] = field(default_factory=list)
    best: LevelShade | None = None
    page_cells: list[MapCell] = field(default_factory=list)
    # The statement in its own words and its Chinese name, whichever `text` shows: a search
    # finds a row by either, in either interface language. And its short name, the one the
    # suggestion review lists it by (an ESCO skill's label, its statement being a description).
    own_text: str = ""
    text_zh: str = ""
    short_name: str = ""
    # The ability's `language`: the page marks an English statement on a Chinese page English.
    language: str = ""

    @property
    def status(self) -> str:
        if self.best is None:
            return "missing"
        return "covered" if self.best.rank >= self.min_level.rank else "partial"


@dataclass
class AreaRows:
    area: CompetencyArea | None
    rows: list[MapRow]


@dataclass
class Option:
    pk: int
    name: str


@dataclass
class ColumnPage:
    """Which slice of the view's columns (or rows: `CurriculumMap.row_page`) is shown."""

    number: int
    count: int
    start: int
    stop: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.count

    @property
    def first_shown(self) -> int:
        return self.start + 1 if self.total else 0


@dataclass
class _EngineData:
    """What the filtered view's report is computed from (kept off the templates' way)."""

    requirements: dict[int, list[RequirementIn]]
    links: dict[int, list[tuple[int, int]]]
    areas: dict[int, CompetencyArea]
    # The programme's crosswalk rule set and what it counts (see Catalogue), so that a view's
    # report agrees with the stored one.
    rules: CrosswalkRules = DEFAULT_RULES
    matches: dict[int, tuple] = field(default_factory=dict)
    children: dict[int, tuple] = field(default_factory=dict)
    # The courses of the view's columns building nothing any shown target requires, whatever
    # the rows' filters keep (a course building a filtered-out requirement is not unused).
    unused_courses: list[int] = field(default_factory=list)


@dataclass
class CurriculumMap:
    columns: list[MapColumn]
    column_groups: list[ColumnGroup]
    areas: list[AreaRows]
    targets: list[Any]
    levels: list[LevelShade]
    position_id: int | None
    filters: MapFilters = field(default_factory=MapFilters)
    page: ColumnPage | None = None
    # The page of rows shown, and those rows by area (`areas` holds every row of the view).
    row_page: ColumnPage | None = None
    page_areas: list[AreaRows] = field(default_factory=list)
    area_options: list[Option] = field(default_factory=list)
    module_options: list[Option] = field(default_factory=list)
    stage_options: list[Option] = field(default_factory=list)
    all_row_count: int = 0
    all_column_count: int = 0
    engine: _EngineData | None = None
    # The ability relations the programme's rule set counts, as read for this map: the page's
    # other reads (its gaps' suggestions, its progression) take them instead of reading again.
    relations: CrosswalkRelations | None = None
    # Every course of the programme (unfiltered, with its course, module and stage), in the
    # programme's order: the page's progression and certification readiness take them.
    programme_courses: list[ProgrammeCourse] = field(default_factory=list)
    # The links of the programme's courses and the abilities' names, when the page reads them
    # for more than the map (its progression): the map's links were taken from them.
    abilities: ProgrammeAbilities | None = None

    @property
    def row_count(self) -> int:
        return sum(len(group.rows) for group in self.areas)

    @property
    def rows(self) -> list[MapRow]:
        return [row for group in self.areas for row in group.rows]

    @property
    def page_columns(self) -> list[MapColumn]:
        if self.page is None:
            return self.columns
        return self.columns[self.page.start : self.page.stop]

    @property
    def next_column_ids(self) -> str:
        """The course ids of the view's columns after this page's, space separated: a block
        pasted at the page's right edge goes on over them, as the map does."""
        stop = self.page.stop if self.page is not None else len(self.columns)
        return " ".join(str(column.course_id) for column in self.columns[stop:])

    @property
    def next_row_ids(self) -> str:
        """The ability ids of the view's rows after this page's, space separated: a block
        pasted at the page's bottom edge goes on over them."""
        if self.row_page is None:
            return ""
        return " ".join(str(row.ability_id) for row in self.rows[self.row_page.stop :])

    @property
    def level_codes(self) -> str:
        return join_list(level.code for level in self.levels)

    @property
    def level_names(self) -> dict[str, str]:
        """Each level's name by its code, in the reader's language, and an empty cell's ("" for
        "not taught"): the map's script names its cells with them."""
        return {"": _("not taught"), **{level.code: level.display_name for level in self.levels}}

    @property
    def show_required_by(self) -> bool:
        """The "required by" column says something only when more than one target is shown."""
        return len(self.shown_targets) > 1

    @property
    def show_modules(self) -> bool:
        """The map's module header row says something only when a course of the view is in a
        module: over a programme without modules it was one "No module" across every column.
        Read over the whole view, not the slice shown, so every slice has the same header."""
        return any(column.module for column in self.columns)

    @property
    def table_width(self) -> int:
        """Columns of the map's table: ability, required, reached, [required by,] the courses."""
        return 3 + self.show_required_by + len(self.page_columns)

    @property
    def grid_column_count(self) -> int:
        """Columns of the whole view's grid, every slice's courses: what the map's script tells a
        screen reader the grid holds when a slice of its courses is shown (aria-colcount)."""
        return 3 + self.show_required_by + len(self.columns)

    @property
    def area_sizes(self) -> str:
        """How many of the view's rows each competency area heads, in order, space separated:
        the map's script numbers a slice's rows among the whole view's with them."""
        return " ".join(str(len(group.rows)) for group in self.areas)

    @property
    def shown_targets(self) -> list[Any]:
        if self.position_id is None:
            return self.targets
        return [target for target in self.targets if target.pk == self.position_id]


def curriculum_map(
    *,
    programme: Programme,
    filters: MapFilters | None = None,
    position_id: int | None = None,
    ability_ids: Iterable[int] | None = None,
    column_page: int = 1,
    row_page: int = 1,
    paged: bool = True,
    abilities: ProgrammeAbilities | None = None,
) -> CurriculumMap:
    """The programme's courses against the abilities its targets require, grouped by competency
    area, narrowed by `filters`: the target position (`position_id` is shorthand for it), the
    rows' status, area and search words, the columns' module, training stage and
    course search words. A target position, module, training stage or competency area the
    map's menus do not offer is no filter, as junk is (the map's `filters` are those kept);
    with `ability_ids` the area is kept as given (its menu is the whole view's).

    A row's best level and status count only the view's columns, as the coverage engine finds
    them (direct links and the crosswalks the programme's rule set counts). The view's columns
    are paged (MAP_PAGE_COLUMNS at a time; `column_page`, clamped): each shown row's
    `page_cells` are the page's, its `cells` all of them. The rows are paged too
    (MAP_PAGE_ROWS at a time; `row_page`, clamped): `page_areas` holds the page's rows, `areas`
    every row of the view (each with its best level and status, but only the page's rows have
    cells). With `ability_ids`, only those rows, all on one page, whatever their status (a row
    just edited stays in place). `paged=False`: every column and row on one page. Five queries:
    levels, targets, courses, requirements, links; and one for the ability relations when the
    rule set counts any (two with children). The links are taken from `abilities` (a page's
    that reads them all for its progression too) when given.
    """
    filters = filters or MapFilters(position_id=position_id)
    levels = level_scale()
    by_level_id = {level.pk: level for level in levels}
    targets = [
        _with_table_i_title(target)
        for target in ProgrammeTarget.objects.filter(programme=programme)
        .select_related("position")
        .annotate(table_i=_table_i_placement())
        .order_by("position__order", "position__name", "position_id")
    ]
    target_names = {target.pk: target.display_name for target in targets}
    target_order = {target.pk: index for index, target in enumerate(targets)}
    shown_position = filters.position_id if filters.position_id in target_names else None
    if filters.position_id and shown_position is None:
        # Not one of the programme's targets (a stale or mistyped link): no such filter.
        filters = replace(filters, position_id=None)
    shown_targets = {shown_position} if shown_position else set(target_names)

    programme_courses = list(
        ProgrammeCourse.objects.filter(programme=programme)
        .select_related("course", "course__module", "course__stage")
        .order_by("order", "id")
    )
    all_columns: list[MapColumn] = []
    modules: dict[int, Option] = {}
    stages: dict[int, tuple[int, Option]] = {}
    # The columns come grouped by module (in the modules' order, courses without one last), each
    # module's courses in the programme's order: a programme listed by code would otherwise head
    # every column with its own module, and the module row would group nothing.
    entries = sorted(
        programme_courses,
        key=lambda entry: (
            entry.course.module is None,
            (entry.course.module.order, entry.course.module.name) if entry.course.module else (),
        ),
    )
    for entry in entries:
        course = entry.course
        if course.module is not None:
            modules.setdefault(
                course.module_id, Option(course.module_id, course.module.display_name)
            )
        if course.stage is not None:
            stages.setdefault(
                course.stage_id,
                (course.stage.order, Option(course.stage_id, course.stage.display_name)),
            )
        all_columns.append(
            MapColumn(
                course_id=course.pk,
                code=course.code,
                title=course.display_title,
                # Table III lists the paper's courses in English: its listing is the course's
                # name only where the reader's language has none of its own. A course the
                # programme lists under no title of its own has none (not its Chinese title,
                # which `localized` gives for a missing text in any language): the downloads
                # then name it by `title`, as the page does.
                listed_as=localized(entry.listed_as, course.title_zh) if entry.listed_as else "",
                module=course.module.display_name if course.module else "",
                module_id=course.module_id,
                stage=course.stage.display_name if course.stage else "",
                stage_id=course.stage_id,
                own_title=course.title,
                title_zh=course.title_zh,
                own_listed_as=entry.listed_as,
                language=course.language,
            )
        )
    # A module or training stage none of the programme's courses is in (a stale or mistyped
    # link, another programme's) is no filter, as junk and a position it does not target are:
    # its menu does not offer it, and the view would show no course and a report of 0%.
    if filters.module_id is not None and filters.module_id not in modules:
        filters = replace(filters, module_id=None)
    if filters.stage_id is not None and filters.stage_id not in stages:
        filters = replace(filters, stage_id=None)
    columns = [
        column
        for column in all_columns
        if (filters.module_id is None or column.module_id == filters.module_id)
        and (filters.stage_id is None or column.stage_id == filters.stage_id)
        and filters.matches_course(
            column.own_title, column.title_zh, column.own_listed_as, code=column.code
        )
    ]
    for index, column in enumerate(columns):
        column.index = index

    requirements = Requirement.objects.filter(position_id__in=list(target_names))
    if ability_ids is not None:
        requirements = requirements.filter(ability_id__in=list(ability_ids))
    # Plain values, not model instances: a map at ESCO scale reads hundreds of requirements,
    # and building an instance of each (with its ability and area) was a third of the map's time.
    requirements = requirements.order_by(
        *area_ordering("ability__area"), "ability__code", "ability_id", "id"
    ).values_list(
        "position_id",
        "ability_id",
        "min_level_id",
        "importance",
        "ability__code",
        "ability__text",
        "ability__text_zh",
        "ability__short_name",
        ability_language("ability"),
        "ability__area_id",
        "ability__area__code",
        "ability__area__name",
        "ability__area__name_zh",
        "ability__area__order",
        "ability__area__framework_id",
    )
    rows: dict[int, MapRow] = {}
    area_objects: dict[int, CompetencyArea] = {}
    per_position: dict[int, list[RequirementIn]] = {pk: [] for pk in shown_targets}
    required_by: dict[int, set[int]] = {}
    # Of every target, shown or not: the links to them are the map's engine's.
    all_required: set[int] = set()
    for (
        position_id,
        ability_id,
        min_level_id,
        importance,
        code,
        text,
        text_zh,
        short_name,
        language,
        area_id,
        area_code,
        area_name,
        area_name_zh,
        area_order,
        area_framework_id,
    ) in requirements:
        area = area_objects.get(area_id) if area_id is not None else None
        if area is None and area_id is not None:
            area = area_objects[area_id] = CompetencyArea(
                pk=area_id,
                code=area_code,
                name=area_name,
                name_zh=area_name_zh,
                order=area_order,
                framework_id=area_framework_id,
            )
        all_required.add(ability_id)
        if position_id not in shown_targets:
            continue
        per_position[position_id].append(RequirementIn(ability_id, min_level_id, importance))
        minimum = by_level_id[min_level_id]
        essential = importance == "essential"
        row = rows.get(ability_id)
        if row is None:
            row = rows[ability_id] = MapRow(
                ability_id=ability_id,
                code=code,
                text=localized(text, text_zh),
                min_level=minimum,
                essential=essential,
                required_by=[],
                area=area,
                own_text=text,
                text_zh=text_zh or "",
                short_name=short_name,
                language=language,
            )
        elif minimum.rank > row.min_level.rank:
            row.min_level = minimum
        row.essential = row.essential or essential
        required_by.setdefault(ability_id, set()).add(position_id)
    for ability_id, row in rows.items():
        row.required_by = [
            target_names[pk] for pk in sorted(required_by[ability_id], key=target_order.__getitem__)
        ]
    if abilities is not None and ability_ids is None:
        # Every target's requirements: the page's progression holds the courses to their levels.
        abilities.keep_requirements((row[1], row[2]) for row in requirements)

    links: dict[int, list[tuple[int, int]]] = {}
    # Each row's levels by course.
    level_of: dict[int, dict[int, LevelShade]] = {}
    relations = programme_relations(programme=programme)
    rules, matches, children = programme_crosswalks(
        programme=programme, required=rows, relations=relations
    )
    if all_columns and rows:
        # The abilities standing in for a required one (its matches, its children) are read
        # with the required ones: their links reach the row through the crosswalk.
        stand_ins = {other for found in matches.values() for other, _relation in found}
        stand_ins.update(child for found in children.values() for child in found)
        stand_ins.difference_update(rows)
        if abilities is not None:
            wanted = {*rows, *stand_ins} if ability_ids is not None else all_required | stand_ins
            found = [link for link in abilities.links() if link[1] in wanted]
        else:
            found = _map_links(
                programme=programme,
                rows=rows,
                stand_ins=stand_ins,
                ability_ids=ability_ids,
                target_ids=list(target_names),
            )
        for course_id, ability_id, level_id in found:
            links.setdefault(course_id, []).append((ability_id, level_id))
            if ability_id in rows:
                level_of.setdefault(ability_id, {})[course_id] = by_level_id[level_id]

    engine = _EngineData(
        requirements=per_position,
        links=links,
        areas=area_objects,
        rules=rules,
        matches=matches,
        children=children,
    )
    # Each row's level and status as the coverage engine finds them over the view's columns
    # (direct links and the crosswalks the programme counts), before the rows are filtered.
    reached = _reached(
        programme=programme,
        levels=levels,
        rows=rows,
        columns=columns,
        targets=shown_targets,
        engine=engine,
    )
    # Met in the rows' order, which is the areas' (area_ordering).
    area_options = [Option(area.pk, area.display_name) for area in area_objects.values()] + (
        [Option(0, _("No competency area"))] if any(r.area is None for r in rows.values()) else []
    )
    if (
        ability_ids is None
        and filters.area_id is not None
        and filters.area_id not in {option.pk for option in area_options}
    ):
        # An area its menu does not offer is no filter either (the view would show no row).
        # With `ability_ids` the options are those rows' areas alone: the caller gives the
        # filters its whole view kept.
        filters = replace(filters, area_id=None)
    all_row_count = len(rows)
    kept: list[MapRow] = []
    by_code = {level.code: level for level in levels}
    for row in rows.values():
        best = reached.get(row.ability_id)
        row.best = by_code.get(best) if best else None
        if filters.area_id is not None and (row.area.pk if row.area else 0) != filters.area_id:
            continue
        if not filters.matches_text(row.own_text, row.text_zh, row.short_name, code=row.code):
            continue
        if ability_ids is None and filters.statuses and row.status not in filters.statuses:
            continue
        kept.append(row)

    page = page_of(len(columns), column_page, MAP_PAGE_COLUMNS if paged else len(columns))
    rows_per_page = MAP_PAGE_ROWS if paged and ability_ids is None else len(kept)
    rows_page = page_of(len(kept), row_page, rows_per_page)
    # Cells only for the rows shown: the rows of other pages would be thousands of objects.
    column_keys = [(column.course_id, column.code) for column in columns]
    no_levels: dict[int, LevelShade] = {}
    for row in kept[rows_page.start : rows_page.stop]:
        levels_here = level_of.get(row.ability_id, no_levels)
        row.cells = [
            MapCell(course_id, course_code, row.ability_id, levels_here.get(course_id))
            for course_id, course_code in column_keys
        ]
        row.page_cells = row.cells[page.start : page.stop]

    return CurriculumMap(
        columns=columns,
        column_groups=map_column_groups(columns[page.start : page.stop]),
        areas=_by_area(kept),
        targets=targets,
        levels=levels,
        position_id=shown_position,
        filters=filters,
        page=page,
        row_page=rows_page,
        page_areas=_by_area(kept[rows_page.start : rows_page.stop]),
        area_options=area_options,
        module_options=list(modules.values()),
        stage_options=[option for _order, option in sorted(stages.values(), key=lambda s: s[0])],
        all_row_count=all_row_count,
        relations=relations,
        abilities=abilities,
        programme_courses=programme_courses,
        all_column_count=len(all_columns),
        engine=engine,
    )


def _map_links(
    *,
    programme: Programme,
    rows: Iterable[int],
    stand_ins: set[int],
    ability_ids: Iterable[int] | None,
    target_ids: list[int],
):
    """(course id, ability id, level id) of the links of the programme's courses the map
    reads: to its rows and their stand-ins (`ability_ids` given), else to every ability the
    targets require and the stand-ins. One query."""
    found = CourseAbility.objects.filter(
        course_id__in=ProgrammeCourse.objects.filter(programme=programme).values("course_id"),
    )
    if ability_ids is not None:
        found = found.filter(ability_id__in=[*rows, *stand_ins])
    else:
        required_ids = Requirement.objects.filter(position_id__in=target_ids).values("ability_id")
        found = found.filter(
            Q(ability_id__in=required_ids) | Q(ability_id__in=sorted(stand_ins))
            if stand_ins
            else Q(ability_id__in=required_ids)
        )
    return found.values_list("course_id", "ability_id", "level_id")


def _reached(
    *,
    programme: Programme,
    levels: list[LevelShade],
    rows: dict[int, MapRow],
    columns: list[MapColumn],
    targets: set[int],
    engine: _EngineData,
) -> dict[int, str]:
    """Per required ability of `rows`: the level code the view's columns reach it to under the
    programme's crosswalk rules (absent when none does). Keeps the columns' unused courses on
    `engine`. No queries."""
    if not rows or not columns:
        engine.unused_courses = [column.course_id for column in columns]
        return {}
    report = _engine_report(
        programme=programme,
        levels=levels,
        ability_ids=rows,
        rows=rows,
        columns=columns,
        targets=[pk for pk in engine.requirements if pk in targets],
        engine=engine,
    )
    engine.unused_courses = report["unused_courses"]
    index = report["requirement_fields"].index
    ability_at, best_at = index("ability"), index("best_level")
    return {
        values[ability_at]: values[best_at]
        for block in report["positions"]
        for values in block["requirements"]
        if values[best_at]
    }


def _engine_report(
    *,
    programme: Programme,
    levels: list[LevelShade],
    ability_ids: Iterable[int],
    rows: dict[int, MapRow],
    columns: list[MapColumn],
    targets: list[int],
    engine: _EngineData,
) -> dict:
    """The coverage engine's report for the view's columns and targets, counting only the
    requirements of `ability_ids`, under the programme's crosswalk rules."""
    shown = set(ability_ids)
    catalogue = Catalogue(
        levels={lv.pk: LevelIn(lv.pk, lv.code, lv.rank) for lv in levels},
        abilities={pk: AbilityIn(pk, rows[pk].area.pk if rows[pk].area else None) for pk in shown},
        courses={
            pk: CourseIn(pk, tuple(engine.links.get(pk, ())))
            for pk in (column.course_id for column in columns)
        },
        positions={
            pk: PositionIn(
                pk, tuple(r for r in engine.requirements.get(pk, ()) if r.ability_id in shown)
            )
            for pk in targets
        },
        areas={
            pk: AreaIn(pk, area.order, area.code, area.framework_id)
            for pk, area in engine.areas.items()
        },
        matches=engine.matches,
        children=engine.children,
    )
    return compute_report(
        ProgrammeIn(
            programme.pk, tuple(c.course_id for c in columns), tuple(targets), engine.rules
        ),
        catalogue,
    )


def _by_area(rows: list[MapRow]) -> list[AreaRows]:
    """Consecutive rows of the same competency area, grouped (the rows come in area order)."""
    groups: list[AreaRows] = []
    for row in rows:
        if not groups or groups[-1].area != row.area:
            groups.append(AreaRows(area=row.area, rows=[]))
        groups[-1].rows.append(row)
    return groups


def page_of(total: int, number: int, per_page: int) -> ColumnPage:
    """Page `number` (clamped to the pages there are) of `total` items, `per_page` at a time."""
    per_page = max(1, per_page)
    count = max(1, math.ceil(total / per_page))
    number = min(max(1, number), count)
    start = (number - 1) * per_page
    return ColumnPage(
        number=number, count=count, start=start, stop=min(total, start + per_page), total=total
    )


def map_column_groups(columns: list[MapColumn]) -> list[ColumnGroup]:
    """Consecutive columns of the same module, as the header row spanning them."""
    groups: list[ColumnGroup] = []
    for column in columns:
        if groups and groups[-1].label == column.module:
            groups[-1].span += 1
        else:
            groups.append(ColumnGroup(label=column.module, span=1))
    return groups


# --- The filtered view's figures -------------------------------------------------------------


def map_gap_report(*, programme: Programme, curriculum_map: CurriculumMap) -> GapReport:
    """The coverage report of exactly what the map shows: its targets, rows and columns, computed
    now by the coverage engine with its usual rules (so with no filter it equals the stored
    report once that is fresh). Its figures, chart and gap lists follow the filters. No queries:
    everything comes from the map."""
    data = curriculum_map.engine
    if data is None:
        raise ValueError("The map was built without its engine data.")
    rows = curriculum_map.rows
    report = _engine_report(
        programme=programme,
        levels=curriculum_map.levels,
        ability_ids=[row.ability_id for row in rows],
        rows={row.ability_id: row for row in rows},
        columns=curriculum_map.columns,
        targets=[target.pk for target in curriculum_map.shown_targets],
        engine=data,
    )
    # Unused is said of the view's columns against everything the targets require, not only
    # the rows the filters keep.
    report["unused_courses"] = data.unused_courses
    return gap_report_build(served=_dress(report, curriculum_map))


def _dress(report: dict, curriculum_map: CurriculumMap) -> dict:
    """The engine's report with names attached: the coverage API's shape."""
    abilities = {
        row.ability_id: {
            "id": row.ability_id,
            "code": row.code,
            "text": row.text,
            "language": row.language,
        }
        for row in curriculum_map.rows
    }
    courses = {
        column.course_id: {
            "id": column.course_id,
            "code": column.code,
            "title": column.title,
            "language": column.language,
        }
        for column in curriculum_map.columns
    }
    names = {target.pk: target.display_name for target in curriculum_map.targets}
    areas = curriculum_map.engine.areas if curriculum_map.engine else {}
    fields = report["requirement_fields"]
    positions = []
    for block in report["positions"]:
        requirements = []
        for values in block["requirements"]:
            item = dict(zip(fields, values, strict=True))
            item["ability"] = abilities[item["ability"]]
            # A crosswalked entry carries [via ability id, relation] after the course and level.
            item["courses"] = [
                {
                    "course": courses[entry[0]],
                    "level": entry[1],
                    "via": {"ability": {"id": entry[2]}, "relation": entry[3]}
                    if len(entry) > 2
                    else None,
                }
                for entry in item["courses"]
            ]
            requirements.append(item)
        positions.append(
            {
                **block,
                "position": {"id": block["position"], "name": names.get(block["position"], "")},
                "requirements": requirements,
            }
        )
    area_blocks = []
    for block in report["areas"]:
        area = areas.get(block["area"]) if block["area"] is not None else None
        area_blocks.append(
            {
                **block,
                "area": {"id": area.pk, "code": area.code, "name": area.display_name}
                if area
                else None,
            }
        )
    return {
        **{key: report[key] for key in ("percent", "score", "total", "essential")},
        **{key: report[key] for key in ("covered", "partial", "missing")},
        "state": FILTERED_STATE,
        "computed_at": timezone.now(),
        "positions": positions,
        "areas": area_blocks,
        "unused_courses": [courses[pk] for pk in report["unused_courses"]],
    }


@dataclass
class MapView:
    """The map as one request asked to see it: filtered, one page of its columns, and the
    figures of exactly that view."""

    programme: Programme
    map: CurriculumMap
    report: GapReport
    # The target whose gap lists the page shows whole; the others' are cut at GAP_LIST_ITEMS.
    open_gaps: int | None = None

    def __post_init__(self) -> None:
        # The gap report names positions as Table II does; Table I's title comes with the map's
        # targets (no query), so each heading can show both.
        titles = {target.pk: getattr(target, "table_i_title", "") for target in self.map.targets}
        from_paper = {
            target.pk: getattr(target, "table_i_from_paper", False) for target in self.map.targets
        }
        for gaps in self.report.positions:
            gaps.table_i_title = titles.get(gaps.position_id, "")
            gaps.table_i_from_paper = from_paper.get(gaps.position_id, False)
            gaps.list_limit = None if gaps.position_id == self.open_gaps else GAP_LIST_ITEMS

    @property
    def query(self) -> str:
        """The filters as a query string (no "?"): what every download and link carries."""
        return urlencode(self.map.filters.params())

    @property
    def page_query(self) -> str:
        """The filters and the pages of columns and rows: the address of this very view."""
        return self._query(
            cols=self.map.page.number if self.map.page else 1,
            rows=self.map.row_page.number if self.map.row_page else 1,
        )

    def _query(self, *, cols: int, rows: int) -> str:
        params = self.map.filters.params()
        if cols > 1:
            params.append(("cols", str(cols)))
        if rows > 1:
            params.append(("rows", str(rows)))
        return urlencode(params)

    def pager_links(self) -> dict[str, str]:
        """The addresses of the neighbouring pages of columns and of rows, each keeping the
        other page and the filters, by name (previous_cols, next_cols, previous_rows,
        next_rows): only those that exist."""
        path = self.programme.get_absolute_url()
        cols = self.map.page.number if self.map.page else 1
        rows = self.map.row_page.number if self.map.row_page else 1
        links: dict[str, str] = {}
        for name, page in (("cols", self.map.page), ("rows", self.map.row_page)):
            if page is None:
                continue
            for word, step, exists in (
                ("previous", -1, page.has_previous),
                ("next", 1, page.has_next),
            ):
                if not exists:
                    continue
                if name == "cols":
                    query = self._query(cols=cols + step, rows=rows)
                else:
                    query = self._query(cols=cols, rows=rows + step)
                links[f"{word}_{name}"] = (
                    f"{path}?{query}#map-heading" if query else f"{path}#map-heading"
                )
        return links

    def context(self) -> dict:
        """What the programme page's templates read."""
        # Each row links to its page: the address up to the ability's id, reversed once rather
        # than once per row (a tenth of a row's rendering time at ESCO scale).
        row_page = reverse("curricula:programme-ability", args=[self.programme.pk, 1])
        return {
            "row_url_base": row_page.removesuffix("1/"),
            # Each course's column head links to the course's page, likewise.
            "course_url_base": reverse("courses:detail", args=[1]).removesuffix("1/"),
            "programme": self.programme,
            "map": self.map,
            "report": self.report,
            "filters": self.map.filters,
            # The stored report's polling is for the unfiltered view only.
            "position_id": None,
            # ... and keeps the target whose gap lists are open.
            "open_gaps": self.open_gaps,
            "view_query": self.query,
            "page_query": self.page_query,
            "pager": self.pager_links(),
            # A target's whole gap lists: this address, then its id and its heading's anchor.
            "gaps_base": self.programme.get_absolute_url()
            + "?"
            + (f"{self.page_query}&" if self.page_query else ""),
            "filter_labels": filter_labels(self.map) if self.map.filters.active else [],
            "without_course_search": self.without_course_search(),
        }

    def without_course_search(self) -> str:
        """The address of this view with every filter but *Find courses*: the way back when it
        finds no course."""
        path = self.programme.get_absolute_url()
        query = urlencode(replace(self.map.filters, course_q="").params())
        return f"{path}?{query}" if query else path


def programme_map_view(
    *,
    programme: Programme,
    filters: MapFilters | None = None,
    column_page: int = 1,
    row_page: int = 1,
    paged: bool = True,
    open_gaps: int | None = None,
    suggest: bool = True,
    abilities: ProgrammeAbilities | None = None,
) -> MapView:
    """The map and the report of one view of it. With no filter the figures are the stored
    report's (with its state: fresh, stale, computing); with any, they are computed for the view,
    now, by the same engine. `paged=False`: every column on one page (downloads, print).
    `suggest=False`: without the courses suggested for the stored report's gaps (shown only to
    staff who may add links). Ten queries. `abilities`: the page's links and ability names,
    when it reads them for its progression too (see ProgrammeAbilities)."""
    filters = filters or MapFilters()
    shown = curriculum_map(
        programme=programme,
        filters=filters,
        column_page=column_page,
        row_page=row_page,
        paged=paged,
        abilities=abilities,
    )
    if shown.filters.active:
        report = map_gap_report(programme=programme, curriculum_map=shown)
    else:
        report = gap_report(
            programme=programme,
            suggest=suggest,
            relations=shown.relations,
            abilities=abilities,
            levels=shown.levels,
        )
    return MapView(programme=programme, map=shown, report=report, open_gaps=open_gaps)


def programme_chart_report(*, programme: Programme, filters: MapFilters, **pages) -> GapReport:
    """The report the coverage chart draws for a view: with no filter the stored report alone
    (no map, no suggestions: the chart shows neither), else the view's, as programme_map_view
    computes it (`pages`: its column_page and row_page). Five queries without a filter."""
    if not filters.active:
        return gap_report(programme=programme, suggest=False)
    return programme_map_view(programme=programme, filters=filters, suggest=False, **pages).report


def filter_labels(curriculum_map: CurriculumMap) -> list[tuple[str, str]]:
    """The active filters in words (label, value), for the page, the workbook and the report."""
    filters = curriculum_map.filters
    labels: list[tuple[str, str]] = []
    names = {
        "area": {o.pk: o.name for o in curriculum_map.area_options},
        "module": {o.pk: o.name for o in curriculum_map.module_options},
        "stage": {o.pk: o.name for o in curriculum_map.stage_options},
    }
    if curriculum_map.position_id:
        (target,) = curriculum_map.shown_targets
        labels.append((_("Target position"), target.display_name))
    if filters.statuses:
        words = {"covered": _("covered"), "partial": _("partial"), "missing": _("missing")}
        labels.append((_("Status"), join_list(words[s] for s in filters.statuses)))
    for key, label in (
        ("area", _("Competency area")),
        ("module", _("Module")),
        ("stage", _("Training stage")),
    ):
        value = getattr(filters, f"{key}_id")
        if value is not None:
            labels.append((label, names[key].get(value, str(value))))
    if filters.q:
        labels.append((_("Search"), filters.q))
    if filters.course_q:
        labels.append((_("Find courses"), filters.course_q))
    return labels


# --- One ability's row, one cell ---------------------------------------------------------------


@dataclass
class LinkDetail:
    """A course's link to an ability, with where it came from and when it last changed."""

    link_id: int | None
    course_id: int
    course_code: str
    course_title: str
    level: LevelShade | None
    note: str = ""
    provenance: str = ""
    provenance_label: str = ""
    source_ref: str = ""
    changed_at: datetime | None = None
    changed_by: str = ""


@dataclass
class RequiredBy:
    position_id: int
    name: str
    min_level: LevelShade
    essential: bool


@dataclass
class AbilityDetail:
    """One ability in one programme: which targets require it and how deeply, and every course
    of the programme with its link to it (if any)."""

    programme: Programme
    ability: Ability
    required_by: list[RequiredBy]
    courses: list[LinkDetail]
    levels: list[LevelShade]
    # The courses reaching it through a crosswalk the programme counts, as the gap report lists
    # them ({code, title, level, via: {code, text, framework, relation}}), and the level the
    # coverage engine finds with them (None: as the direct links alone).
    crosswalked: list[dict] = field(default_factory=list)
    reached: LevelShade | None = None

    @property
    def contributors(self) -> list[LinkDetail]:
        """The courses that build the ability, deepest first (programme order among equals)."""
        linked = [entry for entry in self.courses if entry.level is not None]
        return sorted(linked, key=lambda entry: -entry.level.rank)

    @property
    def best(self) -> LevelShade | None:
        if self.reached is not None:
            return self.reached
        contributors = self.contributors
        return contributors[0].level if contributors else None

    @property
    def min_level(self) -> LevelShade | None:
        if not self.required_by:
            return None
        return max((r.min_level for r in self.required_by), key=lambda level: level.rank)

    @property
    def status(self) -> str:
        best, minimum = self.best, self.min_level
        if best is None:
            return "missing"
        return "covered" if minimum is None or best.rank >= minimum.rank else "partial"

    def course(self, course_id: int | None) -> LinkDetail | None:
        return next((entry for entry in self.courses if entry.course_id == course_id), None)


def map_ability_detail(*, programme: Programme, ability_id: int) -> AbilityDetail | None:
    """An ability's row of the programme's map in full: the targets requiring it, and each of the
    programme's courses with its link (level, note, provenance, last change and by whom). None
    when the ability is no row of the map. Six queries, and those of _add_crosswalks."""
    ability = Ability.objects.select_related("area").filter(pk=ability_id).first()
    if ability is None:
        return None
    levels = level_scale()
    by_level_id = {level.pk: level for level in levels}
    required_by = [
        RequiredBy(
            position_id=requirement.position_id,
            name=requirement.position.display_name,
            min_level=by_level_id[requirement.min_level_id],
            essential=requirement.importance == "essential",
        )
        for requirement in Requirement.objects.filter(
            ability_id=ability_id, position__programme_targets__programme=programme
        )
        .select_related("position")
        .order_by("position__order", "position__name", "position_id")
    ]
    if not required_by:
        return None
    return _ability_detail(
        programme=programme, ability=ability, required_by=required_by, levels=levels
    )


def requirement_programme_detail(
    *, requirement: Requirement, programme: Programme
) -> AbilityDetail:
    """A position's requirement in one programme (a cell of the position's page), whether the
    programme targets the position or not: the programme's courses with their links to the
    ability, and the level and status the coverage engine finds under the programme's crosswalk
    rules against this requirement's minimum, as its map and stored report count them. The
    requirement comes with its position, ability and minimum level (position_requirement_get).
    Four queries, and those of _add_crosswalks."""
    levels = level_scale()
    by_level_id = {level.pk: level for level in levels}
    required_by = [
        RequiredBy(
            position_id=requirement.position_id,
            name=requirement.position.display_name,
            min_level=by_level_id[requirement.min_level_id],
            essential=requirement.importance == "essential",
        )
    ]
    return _ability_detail(
        programme=programme, ability=requirement.ability, required_by=required_by, levels=levels
    )


def _ability_detail(
    *,
    programme: Programme,
    ability: Ability,
    required_by: list[RequiredBy],
    levels: list[LevelShade],
) -> AbilityDetail:
    """The programme's courses with their links to `ability` (three queries), and what its
    crosswalks bring (_add_crosswalks)."""
    by_level_id = {level.pk: level for level in levels}
    entries = list(
        ProgrammeCourse.objects.filter(programme=programme)
        .select_related("course")
        .order_by("order", "id")
    )
    links = {
        link.course_id: link
        for link in CourseAbility.objects.filter(
            ability_id=ability.pk, course_id__in=[entry.course_id for entry in entries]
        )
    }
    changes = _last_changes(link.pk for link in links.values())
    courses = [
        _link_detail(entry.course, links.get(entry.course_id), by_level_id, changes)
        for entry in entries
    ]
    detail = AbilityDetail(
        programme=programme,
        ability=ability,
        required_by=required_by,
        courses=courses,
        levels=levels,
    )
    _add_crosswalks(detail, entries=entries, links=links)
    return detail


def _add_crosswalks(detail: AbilityDetail, *, entries: list, links: dict) -> None:
    """The level the programme reaches `detail`'s ability to through the crosswalks its rule set
    counts (the coverage engine's, as in the gap report), and the courses reaching it that way.
    One query when the rule set counts a relation, two when some ability stands in for it."""
    programme, ability_id = detail.programme, detail.ability.pk
    # The crosswalks of this ability itself, not of the programme's targets: a position's page
    # asks about programmes that need not target the position.
    rules = programme_rules(
        programme.crosswalk_exact_match, programme.crosswalk_related, programme.crosswalk_children
    )
    matches, children = ability_crosswalks(required=[ability_id], rule_sets=[rules])
    stand_ins = {other for other, _relation in matches.get(ability_id, ())}
    stand_ins.update(children.get(ability_id, ()))
    stand_ins.discard(ability_id)
    if not stand_ins or not entries:
        return
    course_links: dict[int, list[tuple[int, int]]] = {
        course_id: [(ability_id, link.level_id)] for course_id, link in links.items()
    }
    others: dict[int, dict] = {}
    found = CourseAbility.objects.filter(
        ability_id__in=sorted(stand_ins), course_id__in=[entry.course_id for entry in entries]
    ).values_list(
        "course_id",
        "ability_id",
        "level_id",
        "ability__code",
        "ability__text",
        "ability__text_zh",
        "ability__framework__name",
    )
    for course_id, other_id, level_id, code, text, text_zh, framework in found:
        course_links.setdefault(course_id, []).append((other_id, level_id))
        others[other_id] = {"code": code, "text": localized(text, text_zh), "framework": framework}
    if not others:
        return
    positions = {
        required.position_id: PositionIn(
            required.position_id,
            (
                RequirementIn(
                    ability_id,
                    required.min_level.pk,
                    "essential" if required.essential else "optional",
                ),
            ),
        )
        for required in detail.required_by
    }
    catalogue = Catalogue(
        levels={level.pk: LevelIn(level.pk, level.code, level.rank) for level in detail.levels},
        abilities={ability_id: AbilityIn(ability_id, detail.ability.area_id)},
        courses={
            entry.course_id: CourseIn(entry.course_id, tuple(course_links.get(entry.course_id, ())))
            for entry in entries
        },
        positions=positions,
        matches=matches,
        children=children,
    )
    report = compute_report(
        ProgrammeIn(
            programme.pk, tuple(entry.course_id for entry in entries), tuple(positions), rules
        ),
        catalogue,
    )
    index = report["requirement_fields"].index
    best_at, courses_at = index("best_level"), index("courses")
    titles = {entry.course_id: entry.course for entry in entries}
    by_code = {level.code: level for level in detail.levels}
    for block in report["positions"]:
        for values in block["requirements"]:
            best = by_code.get(values[best_at]) if values[best_at] else None
            if best is not None and (detail.reached is None or best.rank > detail.reached.rank):
                detail.reached = best
            for course_id, level_code, *via in values[courses_at]:
                if not via or any(
                    item["code"] == titles[course_id].code and item["level"] == level_code
                    for item in detail.crosswalked
                ):
                    continue
                other = others.get(via[0], {"code": "", "text": "", "framework": ""})
                detail.crosswalked.append(
                    {
                        "code": titles[course_id].code,
                        "title": titles[course_id].display_title,
                        "level": level_code,
                        "via": {
                            **other,
                            "relation": str(RELATION_LABELS.get(via[1], via[1])),
                        },
                    }
                )


def _link_detail(course, link, by_level_id, changes) -> LinkDetail:
    if link is None:
        return LinkDetail(
            link_id=None,
            course_id=course.pk,
            course_code=course.code,
            course_title=course.display_title,
            level=None,
        )
    changed_at, changed_by = changes.get(link.pk, (link.updated_at, ""))
    return LinkDetail(
        link_id=link.pk,
        course_id=course.pk,
        course_code=course.code,
        course_title=course.display_title,
        level=by_level_id[link.level_id],
        note=link.display_note,
        provenance=link.provenance,
        provenance_label=link.get_provenance_display(),
        source_ref=link.source_ref,
        changed_at=changed_at,
        changed_by=changed_by,
    )


def _last_changes(link_ids: Iterable[int]) -> dict[int, tuple[datetime, str]]:
    """When each link last changed and who changed it (blank for loaders and imports), from its
    history. One query."""
    ids = list(link_ids)
    if not ids:
        return {}
    latest: dict[int, tuple[datetime, str]] = {}
    records = (
        CourseAbility.history.filter(id__in=ids)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .only("id", "history_date", "history_user__username")
    )
    for record in records:
        if record.id not in latest:
            user = record.history_user
            latest[record.id] = (record.history_date, user.get_username() if user else "")
    return latest


# --- Change sets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellInput:
    """One cell of a change set as submitted: the level code wanted ("" clears), and the code the
    editor showed when it was opened (None when not sent), to refuse overwriting a newer edit."""

    course_id: int
    ability_id: int
    code: str
    base: str | None = None


@dataclass
class PlannedCell:
    course_id: int
    ability_id: int
    course_code: str
    ability_code: str
    ability_text: str
    before: LevelShade | None
    after: LevelShade | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "same" if self.after is None else "create"
        if self.after is None:
            return "clear"
        return "same" if self.before.pk == self.after.pk else "change"


@dataclass
class MapChangePlan:
    """What a change set would write, cell by cell, and why any cell is refused."""

    cells: list[PlannedCell]
    errors: list[str]
    # Clears and new links the editor may not make (see `map_change_plan`), left out of `cells`.
    withheld: list[PlannedCell] = field(default_factory=list)

    @property
    def changes(self) -> list[PlannedCell]:
        return [cell for cell in self.cells if cell.kind != "same"]

    def count(self, kind: str) -> int:
        return sum(1 for cell in self.cells if cell.kind == kind)

    def withheld_count(self, kind: str) -> int:
        """Cells left as they are of a kind ("clear" or "create") the editor may not write."""
        return sum(1 for cell in self.withheld if cell.kind == kind)

    @property
    def permissions(self) -> set[str]:
        """The link permissions writing the plan needs."""
        needed = {
            "create": "curricula.add_courseability",
            "change": "curricula.change_courseability",
            "clear": "curricula.delete_courseability",
        }
        return {needed[cell.kind] for cell in self.changes}


def _table_i_placement() -> Subquery:
    """The placement that places a target where the programme's track and degree are (the same
    query), as one object: its title, and whether the paper lists it (Table I's) or staff. One
    subquery for both, so the database looks the placement up once per target."""
    return Subquery(
        Placement.objects.filter(
            position=OuterRef("position"),
            track=OuterRef("programme__track"),
            # The programme's degree level: its certification's, else its own.
            degree_level=Coalesce(
                OuterRef("programme__certification__degree_level"),
                OuterRef("programme__own_degree_level"),
            ),
        )
        .order_by("order", "pk")
        .values(
            placement=JSONObject(
                title="title",
                from_paper=ExpressionWrapper(PAPER_PLACEMENT, output_field=BooleanField()),
            )
        )[:1],
        output_field=JSONField(),
    )


def _with_table_i_title(target: ProgrammeTarget) -> Any:
    """The target's position, with `table_i_title` set when its placement names it in other
    words, and `table_i_from_paper` when that placement is Table I's (the paper's own)."""
    position = target.position
    placement = target.table_i or {}
    title = placement.get("title") or ""
    position.table_i_title = title if title.casefold() != position.name.casefold() else ""
    # SQLite's JSON writes a boolean as 0 or 1, PostgreSQL's as false or true.
    position.table_i_from_paper = bool(placement.get("from_paper"))
    return position


def level_from_text(text: str, levels: list[LevelShade]) -> tuple[bool, LevelShade | None]:
    """(understood, level) for what someone typed or pasted into a cell: a level's code, or its
    name in any of the site's languages (positions.selectors.levels_named), in any case, or a
    blank, dash or dot for "not taught"; in full width too (Ｍ, ０, as a Chinese input method
    types them), and with no invisible format character around it (a zero-width
    space copied with the cell), read as codes are (core.models.normalized_code)."""  # noqa: RUF002
    cleaned = " ".join(normalized_code(str(text)).split()).casefold()
    if cleaned in CLEAR_CODES:
        return True, None
    named = levels_named(cleaned, levels)
    # A name two levels share (in one language or across both) is neither: refused.
    return (True, named[0]) if len(named) == 1 else (False, None)


def map_change_plan(
    *,
    programme: Programme,
    cells: list[CellInput],
    withhold_clears: bool = False,
    withhold_creations: bool = False,
) -> MapChangePlan:
    """Check a change set against the programme's map as it is now: every cell must be one of
    the map's (a course of the programme, an ability its targets require), every value a level
    or a blank, and every cell still at the level the editor showed. Later duplicates of a cell
    win. A reason to refuse is one error however many cells it holds (see _refusal). Four
    queries (six when a cell is not the map's, to name it by its codes).

    With `withhold_clears` (an editor who may not delete links), a blank over a link is set
    aside in `withheld`: that cell is left as it is, so whether it changed since is no matter.
    With `withhold_creations` (an editor who may not add links), so is a level over a cell that
    is empty now: it is left empty."""
    if len(cells) > CHANGE_SET_MAX_CELLS:
        return MapChangePlan(
            cells=[],
            errors=[
                _("A change set may hold at most %(count)s cells.")
                % {"count": CHANGE_SET_MAX_CELLS}
            ],
        )
    wanted: dict[tuple[int, int], CellInput] = {}
    for cell in cells:
        wanted[cell.course_id, cell.ability_id] = cell
    levels = level_scale()
    by_level_id = {level.pk: level for level in levels}
    course_codes = dict(
        ProgrammeCourse.objects.filter(programme=programme).values_list("course_id", "course__code")
    )
    # Statements in the reader's language: they name the cells in the preview and the refusals.
    abilities = {
        pk: (code, localized(text, text_zh))
        for pk, code, text, text_zh in Ability.objects.filter(
            pk__in={ability_id for _c, ability_id in wanted},
            requirements__position__programme_targets__programme=programme,
        )
        .distinct()
        .values_list("pk", "code", "text", "text_zh")
    }
    current = {
        (course_id, ability_id): by_level_id[level_id]
        for course_id, ability_id, level_id in CourseAbility.objects.filter(
            Q(course_id__in=list(course_codes)), Q(ability_id__in=list(abilities))
        ).values_list("course_id", "ability_id", "level_id")
        if (course_id, ability_id) in wanted
    }
    outside = [pair for pair in wanted if pair[0] not in course_codes or pair[1] not in abilities]
    codes_of_courses: dict[int, str] = {}
    codes_of_abilities: dict[int, str] = {}
    if outside:
        # Named as the map names them (a map open while a course or target was taken away): two
        # queries more, on this refusal alone.
        codes_of_courses = dict(
            Course.objects.filter(pk__in={c for c, _a in outside}).values_list("pk", "code")
        )
        codes_of_abilities = {
            pk: code or localized(text, text_zh)[:40]
            for pk, code, text, text_zh in Ability.objects.filter(
                pk__in={a for _c, a in outside}
            ).values_list("pk", "code", "text", "text_zh")
        }
    planned, withheld = [], []
    # The refusals by kind (and value): the cells each was sent for, in the order of each
    # kind's first cell. One kind over 30 pasted cells is one mistake, said once, not 30 times.
    refused: dict[tuple[str, str], list[dict]] = {}
    for (course_id, ability_id), cell in wanted.items():
        if course_id not in course_codes or ability_id not in abilities:
            if codes_of_courses.get(course_id) and codes_of_abilities.get(ability_id):
                refused.setdefault(("outside", ""), []).append(
                    {
                        "course": codes_of_courses[course_id],
                        "ability": codes_of_abilities[ability_id],
                    }
                )
            else:
                refused.setdefault(("unknown", ""), []).append(
                    {"course": course_id, "ability": ability_id}
                )
            continue
        course_code = course_codes[course_id]
        ability_code, ability_text = abilities[ability_id]
        where = {"course": course_code, "ability": ability_code or ability_text[:40]}
        understood, after = level_from_text(cell.code, levels)
        shown_ok, shown = (True, None) if cell.base is None else level_from_text(cell.base, levels)
        if not shown_ok:
            # Without the level the editor showed, a newer edit could not be told apart.
            refused.setdefault(("shown", cell.base[:20]), []).append(where)
            continue
        if not understood:
            refused.setdefault(("not_a_level", cell.code[:20]), []).append(where)
            continue
        before = current.get((course_id, ability_id))
        planned_cell = PlannedCell(
            course_id=course_id,
            ability_id=ability_id,
            course_code=course_code,
            ability_code=ability_code,
            ability_text=ability_text,
            before=before,
            after=after,
        )
        if cell.base is not None and shown == after:
            # Left as the editor showed it: nothing to write, whatever the cell holds now.
            planned_cell.before = after
        elif (withhold_clears and after is None and before is not None) or (
            withhold_creations and after is not None and before is None
        ):
            withheld.append(planned_cell)
            continue
        elif cell.base is not None and shown != before and before != after:
            # Changed since the editor showed it, and not to what this set wants.
            refused.setdefault(("changed", ""), []).append(
                {**where, "now": before.code if before else _("not taught")}
            )
            continue
        planned.append(planned_cell)
    codes = join_list(lv.code for lv in levels)
    errors = [_refusal(kind, value, places, codes) for (kind, value), places in refused.items()]
    return MapChangePlan(cells=planned, errors=errors, withheld=withheld)


def _refusal(kind: str, value: str, places: list[dict], codes: str) -> str:
    """The one refusal of a change set's cells `places` (each {course, ability}, and `now` for
    a cell changed since) for one reason, `kind`, with the `value` it is about: the cell's own
    sentence when one, else how many, the first REFUSAL_CELLS named."""
    if len(places) == 1:
        place = places[0]
        if kind == "unknown":
            return (
                _("Course %(course)s and ability %(ability)s are not a cell of this map.") % place
            )
        if kind == "outside":
            return (
                _(
                    "%(course)s × %(ability)s is not a cell of this map: the course is not "  # noqa: RUF001
                    "one of the programme's, or no target position requires the ability. "
                    "Reload the map."
                )
                % place
            )
        if kind == "shown":
            return _(
                "%(course)s × %(ability)s: the level shown, “%(value)s”, is not a level; "  # noqa: RUF001
                "reload the map."
            ) % {**place, "value": value}
        if kind == "changed":
            return (
                _(
                    "%(course)s × %(ability)s was changed by someone else since the map "  # noqa: RUF001
                    "was opened (now %(now)s)."
                )
                % place
            )
        return _(
            "%(course)s × %(ability)s: “%(value)s” is not a level; use %(codes)s or "  # noqa: RUF001
            "leave it empty."
        ) % {**place, "value": value, "codes": codes}
    count = len(places)
    if kind == "unknown":
        # Records that are gone have no code to name them by.
        return ngettext(
            "%(count)s cell is not a cell of this map: its course or ability is no longer on "
            "the site. Reload the map.",
            "%(count)s cells are not cells of this map: their courses or abilities are no "
            "longer on the site. Reload the map.",
            count,
        ) % {"count": count}
    named = (
        # The map open before the change since still shows the old level.
        _("%(course)s × %(ability)s (now %(now)s)")  # noqa: RUF001
        if kind == "changed"
        else _("%(course)s × %(ability)s")  # noqa: RUF001
    )
    names = [named % place for place in places[:REFUSAL_CELLS]]
    if count > REFUSAL_CELLS:
        names.append("…")
    params = {"count": count, "cells": join_list(names), "value": value, "codes": codes}
    if kind == "outside":
        return (
            ngettext(
                "%(count)s cell is not a cell of this map: %(cells)s; its course is not one of the "
                "programme's, or no target position requires its ability. Reload the map.",
                "%(count)s cells are not cells of this map: %(cells)s; their courses are not the "
                "programme's, or no target position requires their abilities. Reload the map.",
                count,
            )
            % params
        )
    if kind == "shown":
        return (
            ngettext(
                "The level shown, “%(value)s”, is not a level, in %(count)s cell: %(cells)s; "
                "reload the map.",
                "The level shown, “%(value)s”, is not a level, in %(count)s cells: %(cells)s; "
                "reload the map.",
                count,
            )
            % params
        )
    if kind == "changed":
        return (
            ngettext(
                "%(count)s cell was changed by someone else since the map was opened: %(cells)s.",
                "%(count)s cells were changed by someone else since the map was opened: %(cells)s.",
                count,
            )
            % params
        )
    return (
        ngettext(
            "“%(value)s” is not a level, in %(count)s cell: %(cells)s; use %(codes)s or leave it "
            "empty.",
            "“%(value)s” is not a level, in %(count)s cells: %(cells)s; use %(codes)s or leave "
            "them empty.",
            count,
        )
        % params
    )
