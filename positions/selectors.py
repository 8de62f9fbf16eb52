"""Reads of the demand side, for the API and the pages. Each function owns its query shape (built
from the models' QuerySet methods), so callers get the related rows in a constant number of
queries however many records they list."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet

from core.models import DegreeLevel
from core.search import search_filter
from positions.models import (
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
    ImportJob,
    ImportStatus,
    Level,
    Placement,
    Position,
    Requirement,
    Track,
    TrackAlias,
)


def track_list() -> QuerySet[Track]:
    return Track.objects.prefetch_related(
        Prefetch("aliases", queryset=TrackAlias.objects.order_by("name"))
    )


def competency_area_list() -> QuerySet[CompetencyArea]:
    return CompetencyArea.objects.all()


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.all()


def ability_list() -> QuerySet[Ability]:
    return Ability.objects.all()


def ability_relation_list() -> QuerySet[AbilityRelation]:
    return AbilityRelation.objects.all()


def level_list() -> QuerySet[Level]:
    return Level.objects.all()


def requirement_list() -> QuerySet[Requirement]:
    return Requirement.objects.select_related("ability", "min_level")


def position_list() -> QuerySet[Position]:
    """Positions with `requirements_defined` (has any requirement) and placements; their
    requirements come from `position_requirements_attach`, once the page is known."""
    return Position.objects.with_requirements_defined().with_placements()


def position_requirements_attach(*, positions: Iterable[Position]) -> None:
    """Give each position `requirement_rows`: its requirements as the API shows them (dicts of
    id, ability, text, importance, min_level code), in one query for all of them.

    Plain rows rather than a prefetch: a page of 100 positions has ~4,000 requirements, and
    instantiating them (let alone their abilities) cost several times the query itself.
    """
    positions = list(positions)
    rows: dict[int, list[dict]] = {position.pk: [] for position in positions}
    for row in (
        Requirement.objects.filter(position_id__in=rows)
        .order_by("position_id", "order", "id")
        .values("id", "position_id", "ability_id", "ability__text", "importance", "min_level__code")
    ):
        rows[row["position_id"]].append(
            {
                "id": row["id"],
                "ability": row["ability_id"],
                "text": row["ability__text"],
                "importance": row["importance"],
                "min_level": row["min_level__code"],
            }
        )
    for position in positions:
        position.requirement_rows = rows[position.pk]


# --- Pages ---------------------------------------------------------------------------------


@dataclass
class TrackRow:
    """One row of Table I: a track and, per degree level, the placements listed under it."""

    track: Track
    cells: list[list[Placement]]


@dataclass
class TableOne:
    degree_levels: list[tuple[str, str]]
    rows: list[TrackRow]
    placement_count: int


# What the positions page's search reads: a placement by its Table I title and its position's
# Table II name; a position no track lists by its name and code.
PLACEMENT_SEARCH_FIELDS = ("title", "position__name")
POSITION_SEARCH_FIELDS = ("name", "code")


def position_table_one(*, query: str = "") -> TableOne:
    """Table I as a grid of tracks x degree levels; with a query, only matching placements.

    Three queries: tracks, placements (with their positions and requirement counts).
    """
    placements = Placement.objects.select_related("position", "track").annotate(
        requirement_count=Count("position__requirements")
    )
    if query:
        # Words, not substrings: "operations" finds "Operating manager", "运营" a Chinese name.
        placements = search_filter(placements, fields=PLACEMENT_SEARCH_FIELDS, query=query)
    placements = list(placements.order_by("track__order", "track__name", "order", "id"))
    levels = list(DegreeLevel.choices)
    by_cell: dict[tuple[int, str], list[Placement]] = {}
    for placement in placements:
        by_cell.setdefault((placement.track_id, placement.degree_level), []).append(placement)
    rows = [
        TrackRow(track=track, cells=[by_cell.get((track.pk, code), []) for code, _ in levels])
        for track in Track.objects.prefetch_related("aliases")
    ]
    if query:
        rows = [row for row in rows if any(row.cells)]
    return TableOne(degree_levels=levels, rows=rows, placement_count=len(placements))


def position_unplaced(*, query: str = "") -> QuerySet[Position]:
    """Positions no track lists (Table II only, or imported), with their requirement counts."""
    positions = Position.objects.unplaced().with_requirement_count()
    if query:
        positions = search_filter(positions, fields=POSITION_SEARCH_FIELDS, query=query)
    return positions.order_by("order", "name", "id")


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
    """A position with its placements and its requirements grouped by competency area.

    Three queries: the position, its placements with tracks, its requirements with abilities,
    areas and levels.
    """
    requirements = Requirement.objects.select_related(
        "ability", "ability__area", "min_level"
    ).order_by("ability__area__order", "ability__area__code", "order", "id")
    position = (
        Position.objects.filter(pk=pk)
        .prefetch_related(
            Prefetch("placements", queryset=Placement.objects.select_related("track")),
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
    """A depth level with the heat-map shade (1-3) pages colour it with."""

    pk: int
    code: str
    name: str
    rank: int
    shade: int
    display_name: str = ""  # the name in the interface's language


def level_scale() -> list[LevelShade]:
    """Every level, shallowest first, each with a shade: levels are data, so a fourth level
    still lands on the three-step colour scale."""
    levels = list(Level.objects.order_by("rank"))
    top = len(levels) or 1
    return [
        LevelShade(
            pk=level.pk,
            code=level.code,
            name=level.name,
            display_name=level.display_name,
            rank=level.rank,
            shade=max(1, min(3, round(3 * (index + 1) / top))),
        )
        for index, level in enumerate(levels)
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
