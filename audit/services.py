"""Writes of the audit trail: undoing one recorded change."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext

from audit.selectors import Change, history_changes, history_records
from core.exceptions import ServiceConflict


class HistoryConflict(ServiceConflict):
    """The change cannot be reverted as things stand now (the object is gone, or back)."""


@transaction.atomic
def history_revert(*, model: type[models.Model], history_id: int, user: AbstractBaseUser) -> Change:
    """Undo one recorded change: delete what it created, restore the fields it changed to their
    earlier values, or recreate what it deleted (same id).

    Writes through the model's save()/delete(), so the revert is itself recorded (by `user`, with
    a reason naming the reverted change) and the coverage signals mark affected programmes stale.
    Raises HistoryConflict when the object is gone (or back), ValidationError when the restored
    state is no longer valid (e.g. a course it linked to was deleted).
    """
    record = model.history.filter(history_id=history_id).first()
    if record is None:
        raise model.DoesNotExist
    (change,) = history_changes(model=model, records=[record])
    reason = gettext("Revert of change %(id)s") % {"id": history_id}
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
    latest = history_records(model=model, object_id=record.id).first()
    return history_changes(model=model, records=[latest])[0]
