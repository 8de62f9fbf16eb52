"""Reads of the demand side. Each function owns its query shape, so callers (API, pages, exports)
get the related rows in a constant number of queries however many records they list."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from positions.models import (
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
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
    return Position.objects.annotate(
        requirements_defined=Exists(Requirement.objects.filter(position=OuterRef("pk")))
    ).prefetch_related(
        Prefetch("placements", queryset=Placement.objects.select_related("track")),
    )


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


def position_ids_placed(
    *, queryset: QuerySet[Position], track: Track | int | str | None, degree_level: str | None
) -> QuerySet[Position]:
    """Narrow to positions with one placement matching both the track (object, id or slug) and
    the degree level, so a position placed elsewhere at that degree does not slip through."""
    placements = Placement.objects.filter(position=OuterRef("pk"))
    if isinstance(track, Track):
        placements = placements.filter(track=track)
    elif isinstance(track, int) or (isinstance(track, str) and track.isdigit()):
        placements = placements.filter(track_id=int(track))
    elif track:
        placements = placements.filter(track__slug=track)
    if degree_level:
        placements = placements.filter(degree_level=degree_level)
    return queryset.filter(Exists(placements))
