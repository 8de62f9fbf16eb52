"""Reads of the audit trail: the audited models, and their historical records paired with the
state before each change. The records are django-simple-history's, written by every single save
and delete (admin, API, pages, services) and by imports; reading and pairing them is
model-agnostic and lives in core.history, re-exported here for the audit API."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CharField, Exists, OuterRef, Value
from django.utils.translation import gettext

from certifications.models import Certification
from core.history import CHANGE_TYPES, Change, history_changes, history_records
from curricula.models import Course, CourseAbility, Programme, ProgrammeCourse, ProgrammeTarget
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
)

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

# The lists of /api/v1/ a client syncs, by their path, and the model each lists: a deletion of
# one of their records is in that model's history.
SYNCED_RESOURCES: dict[str, type[models.Model]] = {
    "tracks": Track,
    "competency-areas": CompetencyArea,
    "frameworks": Framework,
    "abilities": Ability,
    "ability-relations": AbilityRelation,
    "levels": Level,
    "positions": Position,
    "requirements": Requirement,
    "courses": Course,
    "course-abilities": CourseAbility,
    "certifications": Certification,
    "programs": Programme,
}

__all__ = [
    "AUDITED_MODELS",
    "CHANGE_TYPES",
    "SYNCED_RESOURCES",
    "Change",
    "deletion_list",
    "history_changes",
    "history_model",
    "history_records",
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


def deletion_list(*, since: datetime | None = None, resource: str | None = None) -> models.QuerySet:
    """The records of the synced lists (SYNCED_RESOURCES; of one, `resource`) deleted at or
    after `since`, as rows of `resource`, `id` and `deleted_at`, oldest first: read from each
    model's history, one query for all of them (a UNION). A record deleted and then restored
    (a revert recreates it with its id) is left out: it is there to read again."""
    names = [resource] if resource else sorted(SYNCED_RESOURCES)
    parts = []
    for name in names:
        model = SYNCED_RESOURCES[name]
        records = model.history.filter(history_type="-").exclude(
            Exists(model.objects.filter(pk=OuterRef("id")))
        )
        if since is not None:
            records = records.filter(history_date__gte=since)
        parts.append(
            records.order_by()
            .annotate(resource=Value(name, output_field=CharField()))
            .values("resource", "id", "history_date")
        )
    deleted = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return deleted.order_by("history_date", "resource", "id")
