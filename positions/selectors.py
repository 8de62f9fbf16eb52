"""Reads of the demand side, for the API and the pages. Each function owns its query shape (built
from the models' QuerySet methods), so callers get the related rows in a constant number of
queries however many records they list."""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.utils import translation
from django.utils.translation import gettext as _

from core.chinese import simplified
from core.history import ChangedAt
from core.i18n import bracketed, join_list
from core.models import DegreeLevel, Provenance, normalized_code
from core.number_codes import NUMBER_LIKE, NumberReadings
from core.search import search_filter
from positions.models import (
    PAPER_PLACEMENT,
    TABLE_II_PROFILE,
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
    Importance,
    ImportJob,
    ImportStatus,
    Level,
    Placement,
    Position,
    Requirement,
    Track,
    TrackAlias,
    area_ordering,
)

# When a track last changed, as a sync sees it: an alias added, renamed or deleted is a change of
# the track that lists it.
TRACK_CHANGED = ChangedAt(Track, embedded=((TrackAlias, "track"),))


def track_list() -> QuerySet[Track]:
    """Tracks with their aliases, and `last_changed` (TRACK_CHANGED)."""
    return Track.objects.prefetch_related(
        Prefetch("aliases", queryset=TrackAlias.objects.order_by("name"))
    ).annotate(last_changed=TRACK_CHANGED.expression())


def track_get(*, pk: int) -> Track | None:
    return Track.objects.filter(pk=pk).first()


def competency_area_list() -> QuerySet[CompetencyArea]:
    return CompetencyArea.objects.all()


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.all()


def ability_list() -> QuerySet[Ability]:
    return Ability.objects.all()


def ability_code_readings(*, framework_id: int | None, csv_only: bool = False) -> NumberReadings:
    """The abilities' codes (in one framework, or in all for None) by the number a spreadsheet
    reads each as: what an unknown or new code may have been (1.10 for 1.1). Read once, and only
    when a code first needs it. `csv_only`: for an import that reads CSV alone."""
    abilities = Ability.objects.filter(code__regex=NUMBER_LIKE)
    if framework_id is not None:
        abilities = abilities.filter(framework_id=framework_id)
    return NumberReadings(lambda: abilities.values_list("code", flat=True), csv_only=csv_only)


def ability_relation_list() -> QuerySet[AbilityRelation]:
    return AbilityRelation.objects.all()


def level_list() -> QuerySet[Level]:
    return Level.objects.all()


def leaves_partial(rank: int | None, needed: int | None) -> bool:
    """Whether a link at a level of `rank` leaves a requirement needing a level of rank `needed`
    partial: the rule by which a suggestion's proposed level is said to be below a gap's. A
    rank not known on either side (no level proposed, a level no longer on the scale, no
    minimum) is not judged."""
    return rank is not None and needed is not None and rank < needed


# When a requirement last changed, as a sync sees it: it shows its ability's text, so a reworded
# ability is a change of the requirement. Its `changed_since` finds them by indexes (the
# requirements' update time, the abilities'); its `expression` is the list's annotation's value,
# which requirement_list computes by the join it makes anyway (one ability per requirement).
REQUIREMENT_CHANGED = ChangedAt(Requirement, shown=("ability__updated_at",))


def requirement_list() -> QuerySet[Requirement]:
    """Requirements with `last_changed` (REQUIREMENT_CHANGED's)."""
    return Requirement.objects.select_related("ability", "min_level").annotate(
        last_changed=Greatest("updated_at", "ability__updated_at")
    )


def position_list() -> QuerySet[Position]:
    """Positions with `requirements_defined` (has any requirement) and placements; their
    requirements come from `position_requirements_attach`, once the page is known, and their
    update time from POSITION_CHANGED."""
    return Position.objects.with_requirements_defined().with_placements()


# When a position last changed, as a sync sees it: its placements and requirements are part of
# it, and its placements name their tracks, its requirements their abilities' text.
POSITION_CHANGED = ChangedAt(
    Position,
    embedded=((Placement, "position"), (Requirement, "position")),
    shown=("placements__track__updated_at", "requirements__ability__updated_at"),
    per_page=("requirements__ability__updated_at",),
)


def position_requirements_attach(*, positions: Iterable[Position]) -> dict[int, datetime]:
    """Give each position `requirement_rows`: its requirements as the API shows them (dicts of
    id, ability, text, importance, min_level code), in one query for all of them. Returns, by
    position, when the abilities its requirements show last changed (POSITION_CHANGED's).

    Plain rows rather than a prefetch: a page of 100 positions has ~4,000 requirements, and
    instantiating them (let alone their abilities) cost several times the query itself.
    """
    positions = list(positions)
    rows: dict[int, list[dict]] = {position.pk: [] for position in positions}
    abilities_changed: dict[int, datetime] = {}
    # Tuples, not values() dicts: a page holds ~4,000 of them, each made into the API's dict.
    for pk, position_id, ability_id, text, changed, importance, min_level in (
        Requirement.objects.filter(position_id__in=rows)
        .order_by("position_id", "order", "id")
        .values_list(
            "id",
            "position_id",
            "ability_id",
            "ability__text",
            "ability__updated_at",
            "importance",
            "min_level__code",
        )
    ):
        if position_id not in abilities_changed or changed > abilities_changed[position_id]:
            abilities_changed[position_id] = changed
        rows[position_id].append(
            {
                "id": pk,
                "ability": ability_id,
                "text": text,
                "importance": importance,
                "min_level": min_level,
            }
        )
    for position in positions:
        position.requirement_rows = rows[position.pk]
    return abilities_changed


def position_page_attach(*, positions: Iterable[Position]) -> None:
    """Give a page of positions read with POSITION_CHANGED's list expression their
    `requirement_rows`, and complete their `last_changed` with the abilities those show: no
    query more than the requirements'."""
    positions = list(positions)
    abilities_changed = position_requirements_attach(positions=positions)
    POSITION_CHANGED.attach(
        positions, known={"requirements__ability__updated_at": abilities_changed}
    )


@dataclass
class PlacementsPlan:
    """What making a position's placements exactly a given list would do (as
    positions.services writes it): placements to add (their fields), to delete, and to change
    (each with its new title and order)."""

    add: list[dict[str, Any]] = field(default_factory=list)
    delete: list[Placement] = field(default_factory=list)
    change: list[tuple[Placement, dict[str, Any]]] = field(default_factory=list)


def position_placements_plan(
    *,
    position: Position | None,
    placements: Iterable[dict[str, Any]],
    name: str,
    served_name: str = "",
) -> PlacementsPlan:
    """Match `placements` (each {track, degree_level, title?, order?}) with the position's (none
    for a new one) on track and degree level. A placement without a title is listed under the
    position's name (`name`; stored blank, so it follows a rename), and a blank title and that
    name are the same title; one without an order takes its place in the list. A blank title
    sent back as it was served, under `served_name` (the position's name before a rename in the
    same write), is unchanged too. Raises ValidationError for two on the same track and degree
    level."""
    wanted: dict[tuple[int, str], dict[str, Any]] = {}
    for index, item in enumerate(placements):
        track: Track = item["track"]
        key = (track.pk, item["degree_level"])
        if key in wanted:
            raise ValidationError(
                {
                    "placements": _(
                        "The position is placed twice under %(track)s at the same degree level."
                    )
                    % {"track": track.name}
                }
            )
        wanted[key] = {
            "track": track,
            "degree_level": item["degree_level"],
            "title": item.get("title") or "",
            "order": item.get("order", index),
        }
    existing = (
        {(p.track_id, p.degree_level): p for p in position.placements.all()}
        if position is not None and position.pk
        else {}
    )
    plan = PlacementsPlan(delete=[p for key, p in existing.items() if key not in wanted])
    for key, item in wanted.items():
        placement = existing.get(key)
        values = {"title": item["title"], "order": item["order"]}
        if placement is None:
            plan.add.append(item)
        elif not _same_placement(placement, item, names={name, served_name or name}):
            plan.change.append((placement, values))
    return plan


def _same_placement(placement: Placement, item: dict[str, Any], *, names: set[str]) -> bool:
    """Whether `item` says what `placement` does: a blank title is the position's name, so the
    name written for it (or a blank for a title that is the name) changes nothing."""
    if placement.order != item["order"]:
        return False
    if placement.title == item["title"]:
        return True
    return (not placement.title and item["title"] in names) or (
        not item["title"] and placement.title in names
    )


def position_placements_permissions(
    *, position: Position | None, placements: Iterable[dict[str, Any]] | None, name: str
) -> set[str]:
    """The permissions a write of the position's placements needs beyond the position's own:
    each placement it would add, delete or change is a row with permissions of its own, as the
    admin's inline counts them. Placements sent back as they are need nothing."""
    if placements is None:
        return set()
    plan = position_placements_plan(
        position=position,
        placements=placements,
        name=name,
        served_name=position.name if position is not None else "",
    )
    return {
        perm
        for perm, rows in (
            ("positions.add_placement", plan.add),
            ("positions.delete_placement", plan.delete),
            ("positions.change_placement", plan.change),
        )
        if rows
    }


# --- Pages ---------------------------------------------------------------------------------


@dataclass
class TableOneCell:
    """The placements Table I lists under one track and degree level: the first
    TABLE_ONE_CELL_SHOWN of them (`placements`) and how many there are in all (`total`)."""

    degree_level: str
    degree_label: str
    placements: list[Placement]
    total: int = 0

    @property
    def hidden(self) -> int:
        return self.total - len(self.placements)

    def __bool__(self) -> bool:
        return bool(self.total)


@dataclass
class TrackRow:
    """One row of Table I: a track and, per degree level, the placements listed under it."""

    track: Track
    cells: list[TableOneCell]


@dataclass
class TableOne:
    degree_levels: list[tuple[str, str]]
    rows: list[TrackRow]
    placement_count: int
    # How many of them the paper lists (models.PAPER_PLACEMENT): the rest are staff's or imported.
    paper_count: int = 0
    # The same two for the whole grid, whatever the query: its heading and intro speak of it.
    grid_count: int = 0
    grid_paper_count: int = 0

    @property
    def narrow_columns(self) -> int:
        """How many degree levels a phone sets side by side (two at most: a third starts a
        line of its own)."""
        return min(len(self.degree_levels), 2)

    @property
    def from_paper(self) -> bool:
        """Whether the paper lists every placement (at least one): only then are they Table I's."""
        return 0 < self.placement_count == self.paper_count

    @property
    def grid_from_paper(self) -> bool:
        """Whether the paper lists every placement of the grid (at least one): only then is the
        grid Table I, searched or not."""
        return 0 < self.grid_count == self.grid_paper_count


# What the positions page's search reads: a placement by its Table I title and its position's
# Table II name; a position no track lists by its name and code; both also by the position's
# Chinese name, for the query's Chinese words (core.search.search_ids: `chinese_fields`).
PLACEMENT_SEARCH_FIELDS = ("title", "position__name")
PLACEMENT_CHINESE_FIELDS = ("position__name_zh",)
POSITION_SEARCH_FIELDS = ("name", "code")
POSITION_CHINESE_FIELDS = ("name_zh",)

# Placements shown in each cell of the Table I grid; the rest are a link away (the cell's own,
# paged list). The paper lists at most three per cell, a generated ESCO catalogue 150.
TABLE_ONE_CELL_SHOWN = 5


# Each placement shown says whether the paper lists it: only then is its title Table I's.
_FROM_PAPER = ExpressionWrapper(PAPER_PLACEMENT, output_field=BooleanField())


def _table_one_placements(*, query: str = "") -> QuerySet[Placement]:
    placements = Placement.objects.all()
    if query:
        # Words, not substrings: "operations" finds "Operating manager", "运营" a Chinese name.
        placements = search_filter(
            placements,
            fields=PLACEMENT_SEARCH_FIELDS,
            chinese_fields=PLACEMENT_CHINESE_FIELDS,
            query=query,
        )
    return placements


def _attach_requirement_counts(placements: list[Placement]) -> None:
    """Give each placement `requirement_count`, its position's number of requirements (one
    query for all of them)."""
    counts = dict(
        Requirement.objects.filter(position_id__in={p.position_id for p in placements})
        .order_by()
        .values("position_id")
        .annotate(n=Count("id"))
        .values_list("position_id", "n")
    )
    for placement in placements:
        placement.requirement_count = counts.get(placement.position_id, 0)


def position_table_one(*, query: str = "", shown: int | None = None) -> TableOne:
    """Table I as a grid of tracks x degree levels, each cell with its first `shown` placements
    (TABLE_ONE_CELL_SHOWN by default; in Table I's order) and its total; with a query, only
    matching placements. A track without (matching) placements has no row, and a degree level
    at which nothing is placed (whatever the query) no column.

    Five queries whatever the catalogue's size: each cell's total, the shown placements (with
    their positions), their requirement counts, the tracks and their aliases; with a query, a
    sixth for the whole grid's counts.
    """
    shown = TABLE_ONE_CELL_SHOWN if shown is None else shown
    matching = _table_one_placements(query=query)
    counts = list(
        matching.order_by()
        .values("track_id", "degree_level")
        .annotate(n=Count("id"), paper=Count("id", filter=PAPER_PLACEMENT))
        .values_list("track_id", "degree_level", "n", "paper")
    )
    totals = {(track_id, degree): n for track_id, degree, n, _paper in counts}
    # The first `shown` of each cell, numbered in a narrow subquery; only those rows are read.
    first_in_cell = (
        matching.annotate(
            rank_in_cell=Window(
                RowNumber(),
                partition_by=[F("track_id"), F("degree_level")],
                order_by=[F("order").asc(), F("id").asc()],
            )
        )
        .filter(rank_in_cell__lte=shown)
        .values("pk")
    )
    placements = list(
        Placement.objects.filter(pk__in=first_in_cell)
        .select_related("position")
        .annotate(from_paper=_FROM_PAPER)
        .order_by("track_id", "degree_level", "order", "id")
    )
    _attach_requirement_counts(placements)
    placement_count = sum(totals.values())
    paper_count = sum(paper for *_cell, paper in counts)
    if query:
        grid = list(
            Placement.objects.order_by()
            .values("degree_level")
            .annotate(n=Count("id"), paper=Count("id", filter=PAPER_PLACEMENT))
            .values_list("degree_level", "n", "paper")
        )
        grid_count = sum(n for _degree, n, _paper in grid)
        grid_paper_count = sum(paper for *_counts, paper in grid)
        in_use = {degree for degree, _n, _paper in grid}
    else:
        grid_count, grid_paper_count = placement_count, paper_count
        in_use = {degree for _track, degree, _n, _paper in counts}
    # The levels in use in the whole grid, searched or not: a field placing no one at a master's
    # level has no empty Master column, and a search does not move the columns.
    levels = DegreeLevel.in_order(in_use)
    by_cell: dict[tuple[int, str], list[Placement]] = {}
    for placement in placements:
        by_cell.setdefault((placement.track_id, placement.degree_level), []).append(placement)
    rows = [
        TrackRow(
            track=track,
            cells=[
                TableOneCell(
                    degree_level=code,
                    degree_label=label,
                    placements=by_cell.get((track.pk, code), []),
                    total=totals.get((track.pk, code), 0),
                )
                for code, label in levels
            ],
        )
        # Only tracks with placements (matching the query): a track no position is placed under,
        # as one made for a programme may be, would be a row of dashes.
        for track in Track.objects.filter(
            pk__in={track_id for track_id, _ in totals}
        ).prefetch_related("aliases")
    ]
    return TableOne(
        degree_levels=levels,
        rows=rows,
        placement_count=placement_count,
        paper_count=paper_count,
        grid_count=grid_count,
        grid_paper_count=grid_paper_count,
    )


def position_table_one_cell(*, track: Track, degree_level: str, query: str = "") -> QuerySet:
    """All the placements of one cell of Table I (a track and a degree level), in Table I's order,
    each with `requirement_count` (a subquery, so a page of them costs one query)."""
    requirements = (
        Requirement.objects.filter(position_id=OuterRef("position_id"))
        .order_by()
        .values("position_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        _table_one_placements(query=query)
        .filter(track=track, degree_level=degree_level)
        .select_related("position")
        .annotate(requirement_count=Coalesce(Subquery(requirements), 0), from_paper=_FROM_PAPER)
        .order_by("order", "id")
    )


def position_table_one_cell_from_paper(*, track: Track, degree_level: str, query: str = "") -> bool:
    """Whether the paper lists every placement (at least one) of a cell of Table I, or of those
    matching `query`: only then may a page call them Table I's. One query."""
    counts = (
        _table_one_placements(query=query)
        .filter(track=track, degree_level=degree_level)
        .aggregate(n=Count("id"), paper=Count("id", filter=PAPER_PLACEMENT))
    )
    return 0 < counts["n"] == counts["paper"]


@dataclass
class UnplacedCounts:
    """What the positions placed under no track (matching a search) are: how many there are,
    how many of them Table II profiles and how many were imported."""

    total: int
    table_ii: int
    imported: int

    @property
    def from_paper(self) -> bool:
        """Whether Table II profiles every one of them (at least one)."""
        return 0 < self.total == self.table_ii


def _unplaced(*, query: str = "") -> QuerySet[Position]:
    positions = Position.objects.unplaced()
    if query:
        positions = search_filter(
            positions,
            fields=POSITION_SEARCH_FIELDS,
            chinese_fields=POSITION_CHINESE_FIELDS,
            query=query,
        )
    return positions


@dataclass
class Unplaced:
    """The positions placed under no track (matching a search), to page through, and their
    counts, for the words introducing them."""

    positions: QuerySet[Position]
    counts: UnplacedCounts


def position_unplaced(*, query: str = "") -> Unplaced:
    """Positions no track lists (Table II only, or imported), with their requirement counts, and
    the counts of them. Two queries: the search's, once for both (search_filter runs it and
    keeps the keys found), and the counts'; the positions are read when the page is."""
    matching = _unplaced(query=query)
    counts = matching.order_by().aggregate(
        total=Count("id"),
        table_ii=Count("id", filter=TABLE_II_PROFILE),
        imported=Count("id", filter=Q(provenance=Provenance.IMPORT)),
    )
    return Unplaced(
        positions=matching.with_requirement_count().order_by("order", "name", "id"),
        counts=UnplacedCounts(**counts),
    )


@dataclass
class AreaGroup:
    """A position's requirements in one competency area (area None: requirements with no area)."""

    area: CompetencyArea | None
    requirements: list[Requirement] = field(default_factory=list)


@dataclass
class PositionPage:
    position: Position
    areas: list[AreaGroup]
    requirement_count: int


def position_page(*, pk: int) -> PositionPage | None:
    """A position with its placements (each with `from_paper`, as the positions list tells
    Table I's) and its requirements grouped by competency area.

    Three queries: the position, its placements with tracks, its requirements with abilities
    (and their frameworks), areas and levels.
    """
    requirements = Requirement.objects.select_related(
        # The framework: its language is its abilities' where they state none (shown_language).
        "ability",
        "ability__area",
        "ability__framework",
        "min_level",
    ).order_by(*area_ordering("ability__area"), "order", "id")
    position = (
        Position.objects.filter(pk=pk)
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("track").annotate(from_paper=_FROM_PAPER),
            ),
            Prefetch("requirements", queryset=requirements, to_attr="ordered_requirements"),
        )
        .first()
    )
    if position is None:
        return None
    groups: list[AreaGroup] = []
    for requirement in position.ordered_requirements:
        area = requirement.ability.area
        if not groups or groups[-1].area != area:
            groups.append(AreaGroup(area=area))
        groups[-1].requirements.append(requirement)
    return PositionPage(
        position=position, areas=groups, requirement_count=len(position.ordered_requirements)
    )


@dataclass(frozen=True)
class LevelShade:
    """A depth level with the heat-map shade (level_shades: "1" to "3", with half steps for a
    longer scale) pages colour it with."""

    pk: int
    code: str
    name: str
    rank: int
    shade: str
    display_name: str = ""  # the name in the interface's language
    names: frozenset[str] = frozenset()  # the name in each of the site's languages (level_names)


def level_names(name: str, name_zh: str = "") -> frozenset[str]:
    """A level's name as each of the site's languages reads it: as stored, its Chinese name
    (`name_zh`), and as translated (the default scale's names are in the message catalogue too,
    see Level.display_name). A bilingual office pastes from sheets in either language, whatever
    the interface's."""
    names = {name, name_zh} - {""}
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            names.add(translation.gettext(name))
    return frozenset(names)


def levels_named(text: str, levels: Iterable[Any]) -> list[Any]:
    """The levels (Level or LevelShade) that `text`, already cleaned, names: the one whose code
    it is, in any case (codes are unique); else every level one of whose names (level_names) it
    is, in any case; else every level one of whose names it is a form of (a word of the same
    stem, "Mastery" or "Intro"; in Chinese, part of the name, 掌握 of 熟练掌握: level_word_of);
    else, for a tier of a Chinese syllabus (了解, 理解, 熟悉), the level of its code
    (SYLLABUS_TIERS). More than one is a text that cannot tell them apart: the caller refuses
    it, never guesses."""
    wanted = text.casefold()
    levels = list(levels)
    by_code = [level for level in levels if level.code.casefold() == wanted]
    if by_code:
        return by_code
    by_name = [
        level for level in levels if wanted in {name.casefold() for name in _names_of(level)}
    ]
    if by_name:
        return by_name
    by_word = [
        level for level in levels if any(level_word_of(wanted, name) for name in _names_of(level))
    ]
    if by_word or wanted not in SYLLABUS_TIERS:
        return by_word
    tier = level_of_tier(SYLLABUS_TIERS[wanted], levels)
    return [tier] if tier is not None else []


def levels_written(text: str, levels: Iterable[Any]) -> list[Any]:
    """The levels a cell, a form or an API body names as written (levels_named, after the
    text is read as a code is: full width and spacing forgiven): the one reader of a level by
    code or name behind the imports, the map's paste, the review pages and the API."""
    return levels_named(" ".join(normalized_code(text).split()), levels)


def levels_listed(levels: Iterable[Any]) -> str:
    """The levels as a refusal lists them, each by its code and its name in the reader's
    language ("I (Introduced), R (Reinforced) and M (Mastered)"): levels are data, so a message
    names the scale a site has rather than I, R and M."""
    return join_list(bracketed(level.code, level.display_name) for level in levels)


# The words a spreadsheet's importance cell may hold, whole (in any case, width and spacing;
# Traditional Chinese read as Simplified): the values, the names the site shows (Essential, 核心;
# Optional, 可选), and the words of a job advert's lines the suggestions read as a cue
# (suggestions.levels: "must", "required", "nice to have", "a plus", 必备, 优先, 加分).
IMPORTANCE_WORDS: dict[str, tuple[str, ...]] = {
    Importance.ESSENTIAL: (
        "essential",
        "core",
        "required",
        "requirement",
        "must",
        "must have",
        "mandatory",
        "necessary",
        "核心",
        "必备",
        "必须",
        "必需",
        "必要",
        "要求",
        "须具备",
        "需具备",
    ),
    Importance.OPTIONAL: (
        "optional",
        "nice to have",
        "nice-to-have",
        "preferred",
        "preferable",
        "desirable",
        "a plus",
        "plus",
        "an advantage",
        "advantageous",
        "bonus",
        "可选",
        "优先",
        "加分",
        "加分项",
        "更佳",
        "为佳",
    ),
}


def importance_named(text: str) -> str | None:
    """The importance (Importance's value) a cell's `text` names whole, as IMPORTANCE_WORDS
    lists them; None for any other text (the caller refuses it: a cell is never guessed)."""
    wanted = " ".join(simplified(unicodedata.normalize("NFKC", text)).split()).casefold()
    for value, words in IMPORTANCE_WORDS.items():
        if wanted in words:
            return value
    return None


# A Chinese syllabus (教学大纲) states each outcome's depth in three tiers, 了解 < 理解 (熟悉) <
# 掌握, named here by the default scale's codes, as the suggestion engine names its three tiers
# (Bloom's verbs too) when it proposes a level; level_of_tier reads them on the site's scale. A
# designer's course-objective matrix written in them is pasted as it is.
TIERS = ("I", "R", "M")
SYLLABUS_TIERS = {"了解": "I", "理解": "R", "熟悉": "R", "掌握": "M"}


def level_of_tier(tier: str, levels: Iterable[Any]) -> Any | None:
    """The level (Level or LevelShade) of `levels` that a depth tier names: "I", "R" or "M",
    the lowest, middle and highest of three (a syllabus's 了解, 理解 or 熟悉, 掌握; the
    suggestions' Bloom verbs). On a scale holding the codes I, R and M, the level of that code,
    as always (a level added to the default scale changes nothing). On any other, by rank: I
    the lowest level, M the highest, R the middle one, of an even count the upper of the two
    middles (of four levels, the one just below the highest). A scale of two levels has no
    middle, so R names none; of one level, I and M both name it; of none, nothing."""
    levels = sorted(levels, key=lambda level: level.rank)
    by_code = {level.code: level for level in levels}
    if all(code in by_code for code in TIERS):
        return by_code.get(tier)
    if not levels or tier not in TIERS:
        return None
    if tier == TIERS[0]:
        return levels[0]
    if tier == TIERS[-1]:
        return levels[-1]
    return levels[len(levels) // 2] if len(levels) >= len(TIERS) else None


# A word and a level's name of one stem share at least this many first letters ("intro",
# "Introduced")...
_STEM_MIN = 4
# ...and the name goes on past them by at most this many (its ending: "-ed", "-ing")...
_ENDING_MAX = 3
# ...and the word by at most this many ("-y", "-ment", "-tion"): "Masterclass" is another word.
_WORD_ENDING_MAX = 4


def level_word_of(text: str, name: str) -> bool:
    """Whether `text` is a word for the level named `name` (both in any case) without being it:
    in Chinese (any CJK character), two characters or more of the name (掌握, 熟练 of 熟练掌握);
    otherwise the name's beginning (Intro, Master: four letters or more), or a word of its stem
    (Mastery, reinforcement: each past their common beginning is at most an ending; Masterclass
    is not)."""
    text, name = text.casefold(), name.casefold()
    if not text or not name or text == name:
        return False
    if any("\u3400" <= char <= "\u9fff" for char in text + name):
        return len(text) >= 2 and text in name
    common = next(
        (i for i, (a, b) in enumerate(zip(text, name, strict=False)) if a != b),
        min(len(text), len(name)),
    )
    if common < _STEM_MIN:
        return False
    if common == len(text):
        return True
    return len(name) - common <= _ENDING_MAX and len(text) - common <= _WORD_ENDING_MAX


def _names_of(level: Any) -> frozenset[str]:
    # A LevelShade carries them (level_scale reads them once per page); a Level does not.
    return getattr(level, "names", None) or level_names(level.name, getattr(level, "name_zh", ""))


# The heat map's shades, lightest first (static/css/site.css .shade-*): three steps, with a
# half step between each two for a scale of four or five levels.
SHADE_STEPS = ("1", "1h", "2", "2h", "3")


def level_shades(count: int) -> list[str]:
    """The shade of each of `count` levels, shallowest first. Up to three take the three full
    steps as they always have (the deepest the darkest); four or five each take a step of
    their own, the half steps between, so no two depths look alike (a nursing school's
    fourth level, E, had put R and M on one shade); more share the five."""
    if count <= 3:
        return [str(max(1, min(3, round(3 * (index + 1) / count)))) for index in range(count)]
    last = len(SHADE_STEPS) - 1
    return [SHADE_STEPS[round(last * index / (count - 1))] for index in range(count)]


def level_scale() -> list[LevelShade]:
    """Every level, shallowest first, each with a shade (level_shades): levels are data, so a
    fourth level gets a shade of its own."""
    levels = list(Level.objects.order_by("rank"))
    return [
        LevelShade(
            pk=level.pk,
            code=level.code,
            name=level.name,
            display_name=level.display_name,
            names=level_names(level.name, level.name_zh),
            rank=level.rank,
            shade=shade,
        )
        for level, shade in zip(levels, level_shades(len(levels)), strict=True)
    ]


# --- Import jobs -------------------------------------------------------------------------------


def import_job_list() -> QuerySet[ImportJob]:
    """Jobs newest first, with the user who started each."""
    return ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")


def import_job_progress(job: ImportJob) -> dict[str, Any]:
    """Progress of a job: live from the cache while it runs, else from the row."""
    live = cache.get(job.progress_cache_key) if job.status == ImportStatus.RUNNING else None
    if live:
        return live
    return {"progress": job.progress, "stage": job.status}
