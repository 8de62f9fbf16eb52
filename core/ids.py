"""Ids of deleted records are never reused: their history (and the deletions feed, the admin's
restore, a sync's watermark) names them. A database's own sequence keeps to that; a load of
`dumpdata`'s fixture moves each sequence only past the highest id among the rows it loaded
(Django's loaddata), which a record deleted last does not count among. `ids_reserve` moves it
past the ids the history of deletions holds too. Reached through the models passed in and those
registered: the core knows no app."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections
from django.db.models import Max, Model

# Per model: the other models whose field holds ids of its records deleted, beyond its history
# (a suggestion's deletion record: suggestions have no history).
_REMEMBERED: dict[type[Model], list[tuple[type[Model], str]]] = {}


def ids_remembered_by(model: type[Model], *, by: type[Model], field: str = "id") -> None:
    """Have `ids_reserve` keep `model`'s ids past those that `by.field` holds."""
    _REMEMBERED.setdefault(model, []).append((by, field))


def _owners(model: type[Model]) -> set[type[Model]]:
    """The models whose ids `model` keeps: the model itself, or the one whose history it is, or
    those whose deletions it records."""
    owners = {
        owner
        for owner, remembering in _REMEMBERED.items()
        if any(by is model for by, _field in remembering)
    }
    return owners | {getattr(model, "instance_type", None) or model}


def _remembering(model: type[Model]) -> list[tuple[type[Model], str]]:
    found = list(_REMEMBERED.get(model, []))
    manager = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager:
        found.append((getattr(model, manager).model, model._meta.pk.attname))
    return found


def ids_reserve(*, models: Iterable[type[Model]], using: str) -> None:
    """Move the id sequence of each of these models (or of the model whose history one is) past
    the highest id its history or a deletions record holds, where that is above the highest id
    in use. Writes: the sequence (PostgreSQL) or sqlite_sequence (SQLite); nothing elsewhere."""
    connection = connections[using]
    for model in set().union(*(_owners(model) for model in models)):
        pk = model._meta.pk
        if not pk.get_internal_type().endswith("AutoField"):
            continue
        remembered = [
            by._base_manager.using(using).aggregate(highest=Max(field))["highest"]
            for by, field in _remembering(model)
        ]
        highest = max((value for value in remembered if value is not None), default=None)
        in_use = model._base_manager.using(using).aggregate(highest=Max(pk.attname))["highest"]
        if highest is None or (in_use is not None and highest <= in_use):
            continue
        table, column = model._meta.db_table, pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                    [connection.ops.quote_name(table), column, highest],
                )
            elif connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, highest]
                )
