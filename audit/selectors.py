"""Reads of the audit trail: the audited models, and their historical records paired with the
state before each change. The records are django-simple-history's, written by every single save
and delete (admin, API, pages, services) and by imports; reading and pairing them is
model-agnostic and lives in core.history, re-exported here for the audit API."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from certifications.models import Certification
from core.history import CHANGE_TYPES, Change, history_changes, history_records
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

__all__ = [
    "AUDITED_MODELS",
    "CHANGE_TYPES",
    "Change",
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
