"""Reads of the audit trail: the audited models, and their historical records paired with the
state before each change. The records are django-simple-history's, written by every single save
and delete (admin, API, pages, services) and by imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from certifications.models import Certification
from curricula.models import Course, CourseAbility, Programme, ProgrammeCourse, ProgrammeTarget
from positions.models import Ability, Placement, Position, Requirement, Track

# The audited models, by the name clients use (Django's model_name).
AUDITED_MODELS: dict[str, type[models.Model]] = {
    model._meta.model_name: model
    for model in (
        CourseAbility,
        Requirement,
        Position,
        Placement,
        Course,
        Programme,
        ProgrammeCourse,
        ProgrammeTarget,
        Certification,
        Ability,
        Track,
    )
}
# Bookkeeping timestamps change on every save; they are shown in the states but are not changes
# anyone would revert.
_NOT_DIFFED = {"created_at", "updated_at"}
CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _state(model: type[models.Model], record) -> dict[str, Any]:
    return {f.name: getattr(record, f.attname) for f in model._meta.concrete_fields}


@dataclass
class Change:
    """One historical record with the state before it (None for a creation)."""

    model: type[models.Model]
    record: Any
    previous: Any | None

    @property
    def type(self) -> str:
        return CHANGE_TYPES[self.record.history_type]

    @property
    def before(self) -> dict[str, Any] | None:
        if self.record.history_type == "-":
            return _state(self.model, self.record)
        return None if self.previous is None else _state(self.model, self.previous)

    @property
    def after(self) -> dict[str, Any] | None:
        return None if self.record.history_type == "-" else _state(self.model, self.record)

    @property
    def changes(self) -> list[dict[str, Any]]:
        before, after = self.before or {}, self.after or {}
        return [
            {"field": name, "before": before.get(name), "after": after.get(name)}
            for name in (after or before)
            if name not in _NOT_DIFFED and before.get(name) != after.get(name)
        ]


def history_model(name: str) -> type[models.Model]:
    """The audited model called `name`; ValidationError for anything else."""
    model = AUDITED_MODELS.get((name or "").lower())
    if model is None:
        raise ValidationError(
            {
                "model": gettext("Choose one of: %(models)s.")
                % {"models": ", ".join(sorted(AUDITED_MODELS))}
            }
        )
    return model


def history_records(*, model: type[models.Model], object_id: int | None = None) -> models.QuerySet:
    """The model's historical records, newest first, with their users."""
    records = model.history.select_related("history_user").order_by("-history_date", "-history_id")
    if object_id is not None:
        records = records.filter(id=object_id)
    return records


def history_changes(*, model: type[models.Model], records: list) -> list[Change]:
    """Pair each record with the one before it, in one query for the whole page."""
    object_ids = {record.id for record in records}
    versions: dict[Any, list] = {}
    for version in model.history.filter(id__in=object_ids).order_by("history_date", "history_id"):
        versions.setdefault(version.id, []).append(version)
    previous: dict[int, Any] = {}
    for chain in versions.values():
        for earlier, later in zip([None, *chain], chain, strict=False):
            previous[later.history_id] = earlier
    return [Change(model, record, previous.get(record.history_id)) for record in records]
