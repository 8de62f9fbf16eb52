"""Write helpers every app's services use: validate then save, update named fields, update
many rows from a list of values, and delete records safely while others add to them."""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import (
    DatabaseError,
    IntegrityError,
    connection,
    connections,
    models,
    router,
    transaction,
)
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.exceptions import DeletionConflict
from core.i18n import join_list
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
        raise ValidationError({field: _(message) % {"ids": join_list(str(pk) for pk in missing)}})


def _has_field(instance: models.Model, name: str) -> bool:
    return any(field.name == name for field in instance._meta.concrete_fields)


def lock_for_update(instance: M) -> M:
    """Lock `instance`'s row until the transaction ends (SELECT ... FOR UPDATE) and reload its
    fields from it, so that what a service reads before writing is what is stored, and a
    concurrent edit of the same row waits for this one instead of being overwritten by it.
    Must run inside a transaction; returns the instance."""
    instance.refresh_from_db(from_queryset=type(instance)._base_manager.select_for_update())
    return instance


def writers_one_at_a_time(key: int) -> None:
    """Wait until no other transaction holds PostgreSQL's advisory lock `key`, then hold it until
    this one ends: writers of the same kind (imports of frameworks, of spreadsheets) write one
    after another, the later reading what the earlier committed. SQLite writes one transaction
    at a time already; outside a transaction there is nothing to hold it for."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def rows_lock(queryset: models.QuerySet) -> None:
    """Lock the rows `queryset` selects until the transaction ends (SELECT ... FOR UPDATE of
    their keys alone, which FOR UPDATE allows whatever joins or aggregates the queryset has; in
    key order, so that two lockers of the same rows wait for each other rather than deadlock).
    Must run inside a transaction."""
    model = queryset.model
    list(
        model._base_manager.using(queryset.db)
        .select_for_update()
        .filter(pk__in=queryset.values("pk"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def rows_key_share(
    model: type[models.Model], pks: Iterable[Any], *, using: str = "default"
) -> None:
    """Lock these rows as the check of a foreign key to them does (FOR KEY SHARE, in key order)
    until the transaction ends, now: PostgreSQL checks a new row's foreign keys at the commit
    (Django makes them deferred), after the locks the write took meanwhile. A writer taking this
    before its other locks takes them in the order a deletion of one of the rows does (its row
    first, `deleting`, then the rows it takes), so one waits for the other where each held what
    the other waited for. Neither edits of the rows' other fields nor other such writers wait.
    PostgreSQL only (SQLite's writers take turns, whole transactions); inside a transaction."""
    connection = connections[using]
    ids = sorted({pk for pk in pks if pk is not None})
    if connection.vendor != "postgresql" or not ids:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    key = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {key} FROM {table} WHERE {key} = ANY(%s) ORDER BY {key} FOR KEY SHARE", [ids]
        )


def foreign_keys_check(*, using: str) -> None:
    """Have the database check the foreign keys the transaction wrote now, where PostgreSQL
    checks them at the commit, past every handler: an IntegrityError is raised here, while the
    caller can still answer it. (SQLite's writers take turns, whole transactions: none can come
    between, and nothing is checked.)"""
    if connections[using].vendor == "postgresql":
        connections[using].check_constraints()


# PostgreSQL's SQLSTATE for a deadlock it broke by ending this transaction's statement.
_DEADLOCK_DETECTED = "40P01"


@contextmanager
def deleting(queryset: models.QuerySet, *, many: bool = False) -> Iterator[None]:
    """Around the deletion of the records `queryset` selects (with whatever cascades from
    them), in a transaction (a savepoint inside one):

    - their rows are locked first (rows_lock), so that a record being added to one of them
      meanwhile (a link to a course, a course to a programme, a requirement to a position, a
      placement to a track; by any door, a restore too) waits for the deletion and then finds
      its parent gone. Django's collector, having read their records before that one was
      committed, missed it, and PostgreSQL, which checks foreign keys at the commit, refused
      the deletion there: a 500 for the person deleting;
    - the foreign keys are checked when the block ends rather than at the commit: a record
      added meanwhile to one deleted with them (a link to an ability of a framework being
      deleted), which no lock here keeps out, raises DeletionConflict (the API's 409) with
      nothing of the block written. So does a deadlock with such a writer.

    `many` says the message names the records in the plural. Lock the rows before anything
    reads what the deletion would take (the admin's confirmation does), so that the check and
    the deletion see the same records; a second lock here then costs one query."""
    model = queryset.model
    using = router.db_for_write(model)
    try:
        with transaction.atomic(using=using):
            rows_lock(queryset.using(using))
            yield
            foreign_keys_check(using=using)
    except DatabaseError as error:
        deadlock = getattr(error.__cause__, "pgcode", None) == _DEADLOCK_DETECTED
        if not isinstance(error, IntegrityError) and not deadlock:
            raise
        raise DeletionConflict(_deletion_conflict(model, many=many)) from error


def _deletion_conflict(model: type[models.Model], *, many: bool) -> str:
    if many:
        return gettext(
            "The %(name)s were not deleted: a record was added to one of them, or to one deleted "
            "with them, meanwhile. Nothing was deleted; look at them again."
        ) % {"name": model._meta.verbose_name_plural}
    return gettext(
        "The %(name)s was not deleted: a record was added to it, or to one deleted with it, "
        "meanwhile. Nothing was deleted; look at it again."
    ) % {"name": model._meta.verbose_name}


def record_delete(instance: models.Model) -> None:
    """Delete `instance` with whatever cascades from it (its delete(): signals, history), safe
    from records added to it meanwhile (deleting): raises DeletionConflict, nothing deleted,
    where the database refused the deletion at its commit."""
    with deleting(type(instance)._base_manager.filter(pk=instance.pk)):
        instance.delete()


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
