"""Reads of the audit trail: the audited models, and their historical records paired with the
state before each change. The records are django-simple-history's, written by every single save
and delete (admin, API, pages, services) and by imports; reading and pairing them is
model-agnostic and lives in core.history, re-exported here for the audit API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q, Value
from django.utils.translation import gettext

from certifications.models import Certification
from core.history import CHANGE_TYPES, Change, history_changes, history_records
from core.i18n import join_list
from curricula.models import (
    CertificationCourse,
    Course,
    CourseAbility,
    Programme,
    ProgrammeCourse,
    ProgrammeTarget,
    Suggestion,
    SuggestionDeletion,
)
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
        CertificationCourse,
        Ability,
        AbilityRelation,
        CompetencyArea,
        Framework,
        Level,
        Track,
        TrackAlias,
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

# The review queue's list: a suggestion has no history (a regeneration rewrites thousands at
# once), so its deletions are read from their own record (SuggestionDeletion, shaped as a
# history's deletion), and only by readers who may read those suggestions.
SUGGESTIONS_RESOURCE = "suggestions"
# Every list deletions/ reports on, in the order it lists a time's deletions.
DELETION_RESOURCES: tuple[str, ...] = tuple(sorted([*SYNCED_RESOURCES, SUGGESTIONS_RESOURCE]))

__all__ = [
    "AUDITED_MODELS",
    "CHANGE_TYPES",
    "DELETION_RESOURCES",
    "SUGGESTIONS_RESOURCE",
    "SYNCED_RESOURCES",
    "Change",
    "change_references_attach",
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
                % {"models": join_list(sorted(AUDITED_MODELS))}
            }
        )
    return model


def deletion_list(
    *,
    since: datetime | None = None,
    resource: str | None = None,
    after: tuple[str, int] | None = None,
    suggestions_of: set[bool] = frozenset(),
) -> models.QuerySet:
    """The records of the synced lists (DELETION_RESOURCES; of one, `resource`) deleted at or
    after `since`, as rows of `resource`, `id` and `deleted_at`, oldest first (then by resource
    and id): read from each model's history (the suggestions' from SuggestionDeletion and
    those settled elsewhere, of courses and/or positions as `suggestions_of` holds True and/or
    False: none when empty), one query for all of them (a UNION). A record
    deleted and then restored (a revert recreates it with its id) is left out: it is there to
    read again.

    `after`, the resource and id of the last row a client read (`since` being its time): only
    the rows past it in that order, so that a sync pages by its last row. Page numbers shift
    when a deletion on an earlier page is undone meanwhile (its row leaves the list), and the
    row moved onto the page already read was never read."""
    names = [resource] if resource else list(DELETION_RESOURCES)
    if not suggestions_of:
        names = [name for name in names if name != SUGGESTIONS_RESOURCE]
    if not names:
        return SuggestionDeletion.objects.none()
    order = {name: rank for rank, name in enumerate(DELETION_RESOURCES)}
    parts = []
    for name in names:
        if name == SUGGESTIONS_RESOURCE:
            records = SuggestionDeletion.objects.filter(for_course__in=suggestions_of).exclude(
                Exists(Suggestion.objects.filter(pk=OuterRef("id")))
            )
            # And the pending ones that left the lists without being deleted (their pair
            # linked or required by hand, their ability retired), as of when they left: gone
            # from a mirror as a deletion is, back in the lists (stamped) when that is undone.
            parts.append(_suggestions_left(suggestions_of, since, after, order))
        else:
            model = SYNCED_RESOURCES[name]
            records = model.history.filter(history_type="-").exclude(
                Exists(model.objects.filter(pk=OuterRef("id")))
            )
        if since is not None:
            records = records.filter(_past(name, since, after, order))
        parts.append(
            records.order_by()
            .annotate(
                resource=Value(name, output_field=CharField()),
                # The resources' order as a number: a database's collation may sort their names
                # otherwise than Python, which `after` compares them by.
                resource_rank=Value(order[name], output_field=IntegerField()),
            )
            .values("resource", "resource_rank", "id", "history_date")
        )
    deleted = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return deleted.order_by("history_date", "resource_rank", "id")


def _suggestions_left(
    kinds: set[bool], since: datetime | None, after: tuple[str, int] | None, order: dict[str, int]
) -> models.QuerySet:
    """The rows of deletions/ for the pending suggestions settled elsewhere
    (Suggestion.objects.settled_elsewhere), of courses and/or positions as `kinds` holds True
    and/or False, shaped as deletion_list's."""
    rows = Suggestion.objects.settled_elsewhere()
    if kinds != {True, False}:
        # Course suggestions only (True) or position suggestions only (False).
        rows = rows.filter(course__isnull=True not in kinds)
    rows = rows.annotate(history_date=F("left_at"))
    if since is not None:
        rows = rows.left_since(since).filter(_past(SUGGESTIONS_RESOURCE, since, after, order))
    return (
        rows.order_by()
        .annotate(
            resource=Value(SUGGESTIONS_RESOURCE, output_field=CharField()),
            resource_rank=Value(order[SUGGESTIONS_RESOURCE], output_field=IntegerField()),
        )
        .values("resource", "resource_rank", "id", "history_date")
    )


def _past(name: str, since: datetime, after: tuple[str, int] | None, order: dict[str, int]) -> Q:
    """The condition on `name`'s deletions for the rows at or after `since`, and past `after`
    (a resource and id deleted at `since`) in the order time, resource, id."""
    if after is None:
        return Q(history_date__gte=since)
    after_resource, after_id = after
    if order[name] > order[after_resource]:
        return Q(history_date__gte=since)
    if order[name] < order[after_resource]:
        return Q(history_date__gt=since)
    return Q(history_date__gt=since) | Q(history_date=since, id__gt=after_id)


# The key a list's URL takes where it is not the id (levels/M/).
_RESOURCE_KEYS = {Level: "code"}


def change_references_attach(*, changes: list[Change], user: AbstractBaseUser) -> None:
    """Give each change `references`: for every foreign key value in its before and after, the
    list the record is in (SYNCED_RESOURCES' path, or None), the key that list's URL takes (a
    level's code, else the id) and its label (`str()`; for a record deleted since, as its
    history last had it, where `user` may view that model's history: else no key or label, as
    the record is read nowhere else). One query per model referred to, and one more per model
    for the records gone, however many changes."""
    wanted: dict[type[models.Model], set] = {}
    found: list[tuple[Change, list[tuple[models.ForeignKey, Any]]]] = []
    for change in changes:
        pairs = []
        for field in change.model._meta.concrete_fields:
            if not field.is_relation:
                continue
            values = {(change.before or {}).get(field.name), (change.after or {}).get(field.name)}
            for value in sorted(values - {None}):
                pairs.append((field, value))
                wanted.setdefault(field.related_model, set()).add(value)
        found.append((change, pairs))
    records = {model: _referenced(model, ids, user=user) for model, ids in wanted.items()}
    resources = {model: name for name, model in SYNCED_RESOURCES.items()}
    for change, pairs in found:
        change.references = []
        for field, value in pairs:
            model = field.related_model
            record = records[model].get(value)
            key_field = _RESOURCE_KEYS.get(model)
            change.references.append(
                {
                    "field": field.name,
                    "id": value,
                    "resource": resources.get(model),
                    "key": getattr(record, key_field, None) if key_field else value,
                    "label": str(record) if record is not None else None,
                }
            )


def _referenced(
    model: type[models.Model], ids: set, *, user: AbstractBaseUser
) -> dict[Any, models.Model]:
    """The records of `model` with those ids; one deleted since as its history last had it,
    where `user` may view the model (its history is shown to no one else)."""
    records = model._base_manager.in_bulk(ids)
    missing = ids - set(records)
    history = getattr(model, "history", None)
    viewer = user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    if missing and history is not None and viewer:
        for record in history.filter(id__in=missing).order_by("id", "-history_date", "-history_id"):
            records.setdefault(record.id, record.instance)
    return records
