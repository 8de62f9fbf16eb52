"""Reads for the positions pages: each function owns its query shape and runs a fixed number of
queries, whatever the number of rows."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from core.models import DegreeLevel
from positions.models import CompetencyArea, Level, Placement, Position, Requirement, Track


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


def position_table_one(*, query: str = "") -> TableOne:
    """Table I as a grid of tracks x degree levels; with a query, only matching placements.

    Three queries: tracks, placements (with their positions and requirement counts).
    """
    placements = Placement.objects.select_related("position", "track").annotate(
        requirement_count=Count("position__requirements")
    )
    if query:
        placements = placements.filter(
            Q(title__icontains=query) | Q(position__name__icontains=query)
        )
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
    positions = Position.objects.filter(placements__isnull=True).annotate(
        requirement_count=Count("requirements")
    )
    if query:
        positions = positions.filter(name__icontains=query)
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
            rank=level.rank,
            shade=max(1, min(3, round(3 * (index + 1) / top))),
        )
        for index, level in enumerate(levels)
    ]
