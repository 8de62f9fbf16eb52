"""Write helpers every app's services use: validate then save, update named fields, and update
many rows from a list of values."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext_lazy as _

from core.models import Provenance

M = TypeVar("M", bound=models.Model)


def validated_save(
    instance: models.Model,
    *,
    conflict: dict[str, Any] | None = None,
    update_fields: Iterable[str] | None = None,
) -> None:
    """full_clean() then save() inside a savepoint, so a constraint race is a ValidationError
    (`conflict`, or a generic message) and the caller's transaction survives it. With
    `update_fields`, only those columns are written."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save(update_fields=None if update_fields is None else list(update_fields))
    except IntegrityError as exc:
        raise ValidationError(
            conflict or {"__all__": _("This change conflicts with existing data.")}
        ) from exc


def unique_ids(ids: Iterable[int]) -> list[int]:
    """The ids in the order given, each once."""
    return list(dict.fromkeys(int(pk) for pk in ids))


def require_existing(
    model: type[models.Model], ids: list[int], *, field: str, message: str
) -> None:
    """A ValidationError on `field` naming the ids that match no row, read in one query
    (`message` is a gettext_noop text taking %(ids)s)."""
    found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError({field: _(message) % {"ids": ", ".join(str(pk) for pk in missing)}})


def _has_field(instance: models.Model, name: str) -> bool:
    return any(field.name == name for field in instance._meta.concrete_fields)


def lock_for_update(instance: M) -> M:
    """Lock `instance`'s row until the transaction ends (SELECT ... FOR UPDATE) and reload its
    fields from it, so that what a service reads before writing is what is stored, and a
    concurrent edit of the same row waits for this one instead of being overwritten by it.
    Must run inside a transaction; returns the instance."""
    instance.refresh_from_db(from_queryset=type(instance)._base_manager.select_for_update())
    return instance


@transaction.atomic
def model_update(
    *,
    instance: M,
    fields: Iterable[str],
    data: dict[str, Any],
    conflict: dict[str, Any] | None = None,
) -> tuple[M, bool]:
    """Set the `data` items (each named in `fields`, the updatable ones) on `instance` and save
    only the fields whose value changed, plus `provenance` ("edit": a staff edit, which loaders
    and importers then leave alone) and `updated_at` where the model has them.

    Nothing is written when no value changes, so an empty or no-op update leaves the record, its
    provenance and its history as they were. Returns the instance and whether it changed.

    The row is locked and re-read first (lock_for_update): the comparison is with what is
    stored, not with what the caller read earlier, and the history record (a copy of the whole
    row) holds the other fields as they are now, so it blames each user for their own change
    only.

    Raises TypeError for a field outside `fields` (a programming error, not bad input) and
    ValidationError when the result is invalid.
    """
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(
            f"{type(instance).__name__} update got unexpected fields: {sorted(unknown)}"
        )
    if instance.pk is not None:
        lock_for_update(instance)
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    if not changed:
        return instance, False
    for name in changed:
        setattr(instance, name, data[name])
    update_fields = list(changed)
    if _has_field(instance, "provenance"):
        instance.provenance = Provenance.EDIT
        update_fields.append("provenance")
    if _has_field(instance, "updated_at"):
        update_fields.append("updated_at")
    validated_save(instance, conflict=conflict, update_fields=update_fields)
    return instance, True


def update_from_values(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    casts: Mapping[str, str] | None = None,
    condition: str = "",
    condition_params: Sequence[Any] = (),
    batch: int = 2000,
) -> None:
    """Set `columns[1:]` of the rows of `table` whose `columns[0]` (the key) is each row's
    first value, to that row's other values: one UPDATE ... FROM (VALUES ...) per `batch` rows,
    where Django's bulk_update builds a CASE per row and column (seconds for a few thousand rows).
    `condition` (SQL after an AND, with `condition_params`) narrows the rows written. `casts`
    (column: PostgreSQL type) types a VALUES column that PostgreSQL would otherwise read as text
    (JSON) or cannot type (NULL in every row). Column names are quoted here; `table` and
    `condition` are written as given."""
    if not rows:
        return
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    casts = casts or {}
    # PostgreSQL names a VALUES list's columns in its alias; SQLite calls them column1, 2, ...
    names = [f"column{i}" for i in range(1, len(columns) + 1)]
    alias = f"v({', '.join(names)})" if postgres else "v"
    one_row = "({})".format(
        ", ".join(
            f"%s::{casts[column]}" if postgres and column in casts else "%s" for column in columns
        )
    )
    assignments = ", ".join(
        f"{quote(column)} = v.{name}" for column, name in zip(columns[1:], names[1:], strict=True)
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(
                f"UPDATE {table} SET {assignments} "
                f"FROM (VALUES {', '.join([one_row] * len(chunk))}) AS {alias} "
                f"WHERE {table}.{quote(columns[0])} = v.column1"
                + (f" AND {condition}" if condition else ""),
                [value for row in chunk for value in row] + list(condition_params),
            )
