"""Writes of the audit trail: undoing one recorded change of an audited model. The revert rules
themselves are model-agnostic and live in core.history, shared with the apps' own undo."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.utils.translation import gettext

from core.history import (
    Change,
    HistoryConflict,
    history_change_revert,
    history_changes,
    history_records,
)

__all__ = ["HistoryConflict", "history_revert"]


@transaction.atomic
def history_revert(*, model: type[models.Model], history_id: int, user: AbstractBaseUser) -> Change:
    """Undo one recorded change: delete what it created, restore the fields it changed to their
    earlier values, or recreate what it deleted (same id).

    Writes through the model's save()/delete(), so the revert is itself recorded (by `user`, with
    a reason naming the reverted change) and the coverage signals mark affected programmes stale.
    Raises HistoryConflict when the object is gone (or back), or already as it was before the
    change (reverted already, or changed back by hand: nothing is written, as for a no-op edit),
    ValidationError when the restored state is no longer valid (e.g. a course it linked to was
    deleted).
    """
    record = model.history.filter(history_id=history_id).first()
    if record is None:
        raise model.DoesNotExist
    (change,) = history_changes(model=model, records=[record])
    reason = gettext("Revert of change %(id)s") % {"id": history_id}
    history_change_revert(change=change, user=user, reason=reason)
    latest = history_records(model=model, object_id=record.id).first()
    return history_changes(model=model, records=[latest])[0]
