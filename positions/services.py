"""Writes of the demand side: positions with their placements, and their requirements.

Every service validates with full_clean() and saves model by model (never queryset.update), so
the model signals that keep coverage reports honest see each change. Staff edits carry the
provenance "edit".
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.models import Provenance
from core.services import model_update, validated_save
from positions.models import Ability, Importance, Level, Placement, Position, Requirement, Track

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


def _placements_replace(*, position: Position, placements: Iterable[dict[str, Any]]) -> bool:
    """Make the position's placements exactly `placements`; whether anything changed."""
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
    changed = False
    for key, placement in existing.items():
        if key not in wanted:
            placement.delete()
            changed = True
    for key, item in wanted.items():
        values = {"title": item.get("title") or position.name, "order": item["order"]}
        placement = existing.get(key)
        if placement is None:
            placement = Placement(
                position=position,
                track=item["track"],
                degree_level=item["degree_level"],
                provenance=Provenance.EDIT,
                **values,
            )
            validated_save(placement)
            changed = True
        else:
            changed |= model_update(instance=placement, fields=values, data=values)[1]
    return changed


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
    """Change a position's own fields (only those whose value differs are written) and, when
    `placements` is given, replace its placements with exactly that list (matched on track and
    degree level; missing ones are deleted)."""
    model_update(
        instance=position,
        fields=POSITION_FIELDS,
        data=fields,
        conflict={"external_id": _("Another position has this identifier.")},
    )
    if placements is not None:
        placed = _placements_replace(position=position, placements=placements)
        if placed and position.provenance != Provenance.EDIT:
            # Its placements are part of what a position says: the position was edited.
            position.provenance = Provenance.EDIT
            position.save(update_fields=["provenance", "updated_at"])
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
    position = fields.get("position", requirement.position)
    ability = fields.get("ability", requirement.ability)
    if (
        Requirement.objects.filter(position=position, ability=ability)
        .exclude(pk=requirement.pk)
        .exists()
    ):
        raise ValidationError(_DUPLICATE_REQUIREMENT)
    model_update(
        instance=requirement,
        fields=REQUIREMENT_FIELDS,
        data=fields,
        conflict=_DUPLICATE_REQUIREMENT,
    )
    return requirement


@transaction.atomic
def requirement_delete(*, requirement: Requirement) -> None:
    """Delete one requirement."""
    requirement.delete()
