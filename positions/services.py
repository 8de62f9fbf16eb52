"""Writes of the demand side: positions with their placements, and their requirements.

Every service validates with full_clean() and saves model by model (never queryset.update), so
the model signals that keep coverage reports honest see each change. Staff edits carry the
provenance "edit".
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from positions.models import (
    Ability,
    Importance,
    Level,
    Placement,
    Position,
    Provenance,
    Requirement,
    Track,
)

POSITION_FIELDS = ("name", "description", "code", "uri", "external_id", "order")
REQUIREMENT_FIELDS = (
    "position",
    "ability",
    "importance",
    "min_level",
    "importance_score",
    "level_score",
    "order",
)


def validated_save(instance, *, conflict: dict[str, Any] | None = None) -> None:
    """full_clean() then save() inside a savepoint, so a constraint race is a ValidationError
    (`conflict`, or a generic message) and the caller's transaction survives it. Shared by the
    services of every app."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(
            conflict or {"__all__": _("This change conflicts with existing data.")}
        ) from exc


def _placements_replace(*, position: Position, placements: Iterable[dict[str, Any]]) -> None:
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
        wanted[key] = {**item, "order": item.get("order", index)}
    existing = {(p.track_id, p.degree_level): p for p in position.placements.all()}
    for key, placement in existing.items():
        if key not in wanted:
            placement.delete()
    for key, item in wanted.items():
        placement = existing.get(key) or Placement(
            position=position, track=item["track"], degree_level=item["degree_level"]
        )
        placement.title = item.get("title") or position.name
        placement.order = item["order"]
        placement.provenance = Provenance.EDIT
        validated_save(placement)


@transaction.atomic
def position_create(
    *,
    name: str,
    description: str = "",
    code: str = "",
    uri: str = "",
    external_id: str = "",
    order: int = 0,
    placements: Iterable[dict[str, Any]] = (),
) -> Position:
    """Create a position and its placements (each {track, degree_level, title, order?}).

    Writes one Position and one Placement per item; a placement without a title takes the
    position's name.
    """
    position = Position(
        name=name,
        description=description,
        code=code,
        uri=uri,
        external_id=external_id,
        order=order,
        provenance=Provenance.EDIT,
    )
    validated_save(position, conflict={"external_id": _("Another position has this identifier.")})
    _placements_replace(position=position, placements=placements)
    return position


@transaction.atomic
def position_update(
    *, position: Position, placements: Iterable[dict[str, Any]] | None = None, **fields: Any
) -> Position:
    """Change a position's own fields and, when `placements` is given, replace its placements
    with exactly that list (matched on track and degree level; missing ones are deleted)."""
    unknown = set(fields) - set(POSITION_FIELDS)
    if unknown:
        raise TypeError(f"position_update() got unexpected fields: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(position, field, value)
    position.provenance = Provenance.EDIT
    validated_save(position, conflict={"external_id": _("Another position has this identifier.")})
    if placements is not None:
        _placements_replace(position=position, placements=placements)
    return position


@transaction.atomic
def position_delete(*, position: Position) -> None:
    """Delete a position; its placements, requirements and programme targets go with it."""
    position.delete()


_DUPLICATE_REQUIREMENT = {
    "ability": _("This position already requires this ability; change that requirement instead.")
}


@transaction.atomic
def requirement_create(
    *,
    position: Position,
    ability: Ability,
    min_level: Level,
    importance: str = Importance.ESSENTIAL,
    importance_score: Decimal | None = None,
    level_score: Decimal | None = None,
    order: int | None = None,
) -> Requirement:
    """Record that a position requires an ability at a minimum level; appended after the
    position's other requirements unless `order` is given."""
    if Requirement.objects.filter(position=position, ability=ability).exists():
        raise ValidationError(_DUPLICATE_REQUIREMENT)
    if order is None:
        last = position.requirements.order_by("-order").values_list("order", flat=True).first()
        order = 0 if last is None else last + 1
    requirement = Requirement(
        position=position,
        ability=ability,
        min_level=min_level,
        importance=importance,
        importance_score=importance_score,
        level_score=level_score,
        order=order,
        provenance=Provenance.EDIT,
    )
    validated_save(requirement, conflict=_DUPLICATE_REQUIREMENT)
    return requirement


@transaction.atomic
def requirement_update(*, requirement: Requirement, **fields: Any) -> Requirement:
    """Change a requirement (any of position, ability, importance, min_level, scores, order)."""
    unknown = set(fields) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise TypeError(f"requirement_update() got unexpected fields: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(requirement, field, value)
    if (
        Requirement.objects.filter(position=requirement.position, ability=requirement.ability)
        .exclude(pk=requirement.pk)
        .exists()
    ):
        raise ValidationError(_DUPLICATE_REQUIREMENT)
    requirement.provenance = Provenance.EDIT
    validated_save(requirement, conflict=_DUPLICATE_REQUIREMENT)
    return requirement


@transaction.atomic
def requirement_delete(*, requirement: Requirement) -> None:
    """Delete one requirement."""
    requirement.delete()
