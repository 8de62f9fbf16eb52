"""The history every audited model keeps (django-simple-history), read and reverted for any model
class: records paired with the state before them, and the undo of one record.

Model-agnostic on purpose, so the audit trail (which knows every audited model) and an app undoing
its own edits (the curriculum map's change sets) share one set of revert rules without either
importing the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext

from core.exceptions import ServiceConflict

# Bookkeeping timestamps change on every save; they are shown in the states but are not changes
# anyone would revert.
NOT_DIFFED = {"created_at", "updated_at"}
CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


class HistoryConflict(ServiceConflict):
    """The change cannot be reverted as things stand now (the object is gone, or back)."""


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
            if name not in NOT_DIFFED and before.get(name) != after.get(name)
        ]


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


@transaction.atomic
def history_change_revert(*, change: Change, user: AbstractBaseUser | None, reason: str) -> None:
    """Undo one recorded change of any model with history: delete what it created, restore the
    fields it changed to their earlier values, or recreate what it deleted (same id).

    Writes through the model's save()/delete(), so the revert is itself recorded (by `user`, with
    `reason`) and the model's signals run as for any edit. Raises HistoryConflict when the object
    is gone (or back) or others depend on it, ValidationError when the restored state is no longer
    valid (e.g. a row it pointed to was deleted).
    """
    model, record = change.model, change.record
    current = model.objects.select_for_update().filter(pk=record.id).first()
    if record.history_type == "-":
        if current is not None:
            raise HistoryConflict(gettext("The deleted object exists again."))
        restored = record.instance
        restored._history_user = user
        restored._change_reason = reason
        restored.full_clean()
        restored.save(force_insert=True)
    elif current is None:
        raise HistoryConflict(gettext("The object has been deleted since."))
    elif record.history_type == "+":
        current._history_user = user
        current._change_reason = reason
        try:
            current.delete()
        except (ProtectedError, RestrictedError) as error:
            raise HistoryConflict(gettext("Other records still depend on this object.")) from error
    else:
        fields = {f.name: f for f in model._meta.concrete_fields}
        for item in change.changes:
            setattr(current, fields[item["field"]].attname, item["before"])
        current._history_user = user
        current._change_reason = reason
        current.full_clean()
        current.save()


def history_matches_current(*, change: Change) -> bool:
    """Whether the object is still as the change left it (deleted, or with the same fields), so
    reverting it would undo exactly that change and nothing written since. One query."""
    model = change.model
    current = model.objects.filter(pk=change.record.id).first()
    if change.record.history_type == "-":
        return current is None
    if current is None:
        return False
    now = _state(model, current)
    return all(
        now.get(name) == value
        for name, value in (change.after or {}).items()
        if name not in NOT_DIFFED
    )
