"""The stored values of a few fields of a row about to be saved or deleted, for receivers that
must know what the write replaces (a link moved to another course marks the old course's
programmes too), read from the row in one query per write, shared by every app watching it.

Not remembered when an instance is loaded: a post_init receiver ran for every instance built
anywhere (thousands per list page) for the few ever saved. Reached through the model passed
in: the core knows no app."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import pre_delete, pre_save

_KEY = "_stored_values"
# Per model: field attname -> whether it is read for every write of an existing row (the
# row's owner: its programmes are marked whether or not the write moves it), not only for a
# save writing it (to tell whether it changed).
_WATCHED: dict[type[Model], dict[str, bool]] = {}
# Per model: field attname -> its name, as update_fields may give either.
_NAMES: dict[type[Model], dict[str, str]] = {}


def stored_values_watch(model: type[Model], *attnames: str, owner: bool = False) -> None:
    """Have stored_values() give these fields' stored values during a save (and, for owner
    fields, a delete) of `model`. owner: read at every save of an existing row and every
    delete, not only when the save writes the field."""
    watched = _WATCHED.setdefault(model, {})
    for attname in attnames:
        watched[attname] = watched.get(attname, False) or owner
        _NAMES.setdefault(model, {})[attname] = model._meta.get_field(attname).name
    uid = f"stored_values_{model._meta.label_lower}"
    pre_save.connect(_saving, sender=model, dispatch_uid=f"{uid}_save")
    pre_delete.connect(_deleting, sender=model, dispatch_uid=f"{uid}_delete")


def stored_values(instance: Model) -> dict[str, Any]:
    """The watched fields' values in the row the current save or delete overwrites, by
    attname: those read (a field the save does not write, unless an owner, is not), none for
    a new row."""
    return instance.__dict__.get(_KEY) or {}


def _read(sender, instance, names: list[str], using: str | None) -> None:
    row = sender._base_manager.using(using).filter(pk=instance.pk).values_list(*names).first()
    if row is None:  # a new row with its key given
        return
    values = instance.__dict__
    values[_KEY] = stored = dict(zip(names, row, strict=True))
    for name, value in stored.items():
        # A field deferred (which the write leaves as it is) is now loaded, as reading it would
        # have loaded it: the history's record of the save does not read it again.
        values.setdefault(name, value)


def _saving(sender, instance, raw=False, update_fields=None, using=None, **kwargs):
    values = instance.__dict__
    values[_KEY] = None
    if raw or instance.pk is None:
        return
    names = []
    written = None if update_fields is None else set(update_fields)
    for attname, owner in _WATCHED[sender].items():
        if owner or (
            attname in values
            and (written is None or attname in written or _NAMES[sender][attname] in written)
        ):
            names.append(attname)
    if names:
        _read(sender, instance, names, using)


def _deleting(sender, instance, origin=None, using=None, **kwargs):
    # An instance the delete collected (a cascade, a queryset's delete) was read from its row
    # just now; one deleted by itself may hold values never saved, and one read with .only()
    # lacks some.
    values = instance.__dict__
    values[_KEY] = None
    names = [
        attname
        for attname, owner in _WATCHED[sender].items()
        if owner and (origin is instance or attname not in values)
    ]
    if names and instance.pk is not None:
        _read(sender, instance, names, using)
