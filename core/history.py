"""The history every audited model keeps (django-simple-history), read and reverted for any model
class: records paired with the state before them, and the undo of one record.

Model-agnostic on purpose, so the audit trail (which knows every audited model) and an app undoing
its own edits (the curriculum map's change sets) share one set of revert rules without either
importing the other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import (
    Exists,
    F,
    Max,
    OuterRef,
    ProtectedError,
    Q,
    RestrictedError,
    Subquery,
)
from django.db.models.deletion import Collector
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from simple_history.models import HistoricalRecords as BaseHistoricalRecords

from core.exceptions import ServiceConflict
from core.models import SET_NULL_TOUCHED
from core.services import deleting


class HistoricalRecords(BaseHistoricalRecords):
    """django-simple-history's, with each historical model named in the reader's language: the
    library's own name is an untranslatable "historical {}", which left a Chinese admin's history
    pages reading "Historical 课程—能力关联". The English names are the library's, so no
    migration follows."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        if not self.user_set_verbose_name:
            options["verbose_name"] = format_lazy(
                gettext_lazy("historical {}"), model._meta.verbose_name
            )
        if not self.user_set_verbose_name_plural:
            options["verbose_name_plural"] = format_lazy(
                gettext_lazy("historical {}"), model._meta.verbose_name_plural
            )
        return options


# Bookkeeping timestamps change on every save; they are shown in the states but are not changes
# anyone would revert.
NOT_DIFFED = {"created_at", "updated_at"}
CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


class HistoryConflict(ServiceConflict):
    """The change cannot be reverted as things stand now (the object is gone, or back, or
    already as it was before the change)."""


def _state(model: type[models.Model], record) -> dict[str, Any]:
    return {f.name: getattr(record, f.attname) for f in model._meta.concrete_fields}


@dataclass
class Change:
    """One historical record with the state before it (None for a creation)."""

    model: type[models.Model]
    record: Any
    previous: Any | None
    # What its foreign keys point to, for the API (audit.selectors.change_references_attach).
    references: list[dict[str, Any]] = dataclasses.field(default_factory=list)

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


def forget_history_context(*, instance, **kwargs) -> None:
    """After an instance's history record is written, drop the user, reason and history fields
    set on it for that save (`_history_user`, `_change_reason`, `_history_fields`):
    django-simple-history leaves them on the instance, so the next save of the same object (a
    service saving twice, a loop reusing objects) recorded them again. A
    `post_create_historical_record` receiver (core.apps)."""
    for name in ("_history_user", "_change_reason", "_history_fields"):
        instance.__dict__.pop(name, None)


def record_history_fields(*, instance, history_instance, **kwargs) -> None:
    """Fill the columns a historical model adds to simple-history's own (its `bases`) from
    `_history_fields` set on the instance for that save, as `_change_reason` fills the reason:
    how a write through save() or delete() records what history_bulk_write's `history_fields`
    records in bulk. A `pre_create_historical_record` receiver (core.apps)."""
    for name, value in getattr(instance, "_history_fields", {}).items():
        setattr(history_instance, name, value)


def history_records(
    *,
    model: type[models.Model],
    object_id: int | None = None,
    since: datetime | None = None,
    oldest_first: bool = False,
) -> models.QuerySet:
    """The model's historical records, newest first (or oldest first, the order a sync replays
    them in: pages then stay put as new records arrive), with their users; those of one object,
    those made at or after `since`."""
    order = ("history_date", "history_id") if oldest_first else ("-history_date", "-history_id")
    records = model.history.select_related("history_user").order_by(*order)
    if object_id is not None:
        records = records.filter(id=object_id)
    if since is not None:
        records = records.filter(history_date__gte=since)
    return records


def history_deleted(*, model: type[models.Model]) -> models.QuerySet:
    """The model's records deleted and not back: the latest deletion of each object that no
    later record follows (a restored object's revert is one) and that no row holds again,
    newest first, with their users. One query, whatever the page."""
    history = model.history
    later = history.filter(id=OuterRef("id"), history_date__gt=OuterRef("history_date"))
    return (
        history.filter(history_type="-")
        .exclude(Exists(later))
        .exclude(Exists(model._base_manager.filter(pk=OuterRef("id"))))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def changed_at(
    *embedded: tuple[type[models.Model], str],
    shown: tuple[type[models.Model], tuple[str, ...]] | tuple[()] | None = None,
) -> models.Expression:
    """When a record last changed, as a sync sees it: the latest of its own `updated_at` and
    of the history dates of the rows it embeds (each `(model, foreign key name)`): a row
    created, changed or deleted under it changes what the record reads, though its own row
    is untouched. One subquery per embedded model, in the list's own query.

    `shown`, the list's model and paths to the update times of records it shows a field of
    (a track's name through a position's placements, `placements__track__updated_at`): a
    rename there changes the record too. One subquery per path."""
    parts = [F("updated_at")]
    for model, key in embedded:
        column = f"{key}_id"
        latest = (
            model.history.filter(**{column: OuterRef("pk")})
            .order_by()
            .values(column)
            .annotate(latest=Max("history_date"))
            .values("latest")
        )
        parts.append(Coalesce(Subquery(latest), F("updated_at")))
    if shown:
        model, paths = shown
        for path in paths:
            latest = (
                model._base_manager.filter(pk=OuterRef("pk"))
                .order_by()
                .values("pk")
                .annotate(latest=Max(path))
                .values("latest")
            )
            parts.append(Coalesce(Subquery(latest), F("updated_at")))
    return Greatest(*parts)


@dataclass(frozen=True)
class ChangedAt:
    """How a list's records' update time is made (`changed_at`'s arguments, for `model`).

    Where a request filters or orders by it, or reads one record, the list's query computes it
    whole (`expression`). A plain page of a list computes in its query all but the paths of
    `shown` named in `per_page` (`list_expression`), and those once the page is known
    (`attach`): in the list's query their subqueries ran for every row the database sorts and
    skips before the page, each joining dozens of rows (a position's 42 requirements'
    abilities), and cost the positions list a third of its time."""

    model: type[models.Model]
    embedded: tuple[tuple[type[models.Model], str], ...] = ()
    shown: tuple[str, ...] = ()
    per_page: tuple[str, ...] = ()

    def expression(self) -> models.Expression:
        return changed_at(*self.embedded, shown=(self.model, self.shown))

    def list_expression(self) -> models.Expression:
        shown = tuple(path for path in self.shown if path not in self.per_page)
        return changed_at(*self.embedded, shown=(self.model, shown))

    def changed_since(self, since: datetime, *, strictly: bool = False) -> Q:
        """The records whose `expression` is at or after `since` (after it, `strictly`),
        without computing it: their own `updated_at` is, or a history row of an embedded model
        or a shown record's update time is. Each is a lookup by an index that finds the few
        rows changed since (none, in a poll where nothing did), where filtering on the
        expression computed it for every record of the list, a position's dozens of abilities
        each time. Their ids are read apart from the list's rows (`IN`, not a correlated
        `EXISTS`): PostgreSQL cannot turn an `EXISTS` under an `OR` into a join."""
        lookup = "gt" if strictly else "gte"
        condition = Q(**{f"updated_at__{lookup}": since})
        for model, key in self.embedded:
            changed = model.history.filter(**{f"history_date__{lookup}": since})
            condition |= Q(pk__in=changed.order_by().values(f"{key}_id"))
        for path in self.shown:
            changed = self.model._base_manager.filter(**{f"{path}__{lookup}": since})
            condition |= Q(pk__in=changed.order_by().values("pk"))
        return condition

    def attach(
        self, records, *, known: Mapping[str, Mapping[Any, datetime | None]] | None = None
    ) -> None:
        """Complete the `last_changed` of records read with `list_expression` with the paths of
        `per_page`: `known` gives, by path, the latest time by record for those the caller read
        already with the page (a position's requirements' abilities); the others are read in
        one query for all the records."""
        records = list(records)
        known = dict(known or {})
        missing = tuple(path for path in self.per_page if path not in known)
        if records and missing:
            known[""] = dict(
                self.model._base_manager.filter(pk__in=[record.pk for record in records])
                .order_by()
                .annotate(latest=changed_at(shown=(self.model, missing)))
                .values_list("pk", "latest")
            )
        for record in records:
            times = [record.last_changed]
            times += [by_record.get(record.pk) for by_record in known.values()]
            record.last_changed = max(when for when in times if when is not None)


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
    is gone (or back), already as it was before the change (nothing written), or others depend
    on it, ValidationError when the restored state is no longer valid (e.g. a row it pointed to
    was deleted).
    """
    model, record = change.model, change.record
    current = model.objects.select_for_update().filter(pk=record.id).first()
    if record.history_type == "-":
        if current is not None:
            raise HistoryConflict(gettext("The deleted object exists again."))
        restored = record.instance
        restored._history_user = user
        restored._change_reason = reason
        history_gone_parents_cleared(restored)
        _check_parents(restored, user)
        _full_clean(restored, user)
        _recreate(restored, user)
    elif current is None:
        raise HistoryConflict(gettext("The object has been deleted since."))
    elif record.history_type == "+":
        current._history_user = user
        current._change_reason = reason
        try:
            # Safe from records added to it meanwhile, by any door (core.services.deleting):
            # DeletionConflict (a 409), nothing deleted, where its commit failed (a 500).
            with deleting(model._base_manager.filter(pk=current.pk)):
                current.delete()
        except (ProtectedError, RestrictedError) as error:
            raise HistoryConflict(gettext("Other records still depend on this object.")) from error
    else:
        fields = {f.name: f for f in model._meta.concrete_fields}
        stored = _state(model, current)
        for item in change.changes:
            setattr(current, fields[item["field"]].attname, item["before"])
        history_gone_parents_cleared(current)
        # A revert that changes nothing writes nothing (no record, updated_at left as it is),
        # as a no-op edit does (core.services.model_update): the object is already as it was,
        # reverted before or changed back by hand. Answered as the map's undo of a set undone
        # already is, a conflict.
        if _state(model, current) == stored:
            raise HistoryConflict(gettext("The object is already as it was before this change."))
        current._history_user = user
        current._change_reason = reason
        _check_parents(current, user)
        current.full_clean()
        current.save()


def _check_parents(obj: models.Model, user: AbstractBaseUser | None) -> None:
    missing = history_missing_parents(obj, user=user)
    if missing:
        raise ValidationError(missing)


def _full_clean(obj: models.Model, user: AbstractBaseUser | None) -> None:
    """full_clean, saying which parent is gone where one was deleted since _check_parents read
    it (full_clean's own "course instance with id 7 is not a valid choice." names no fix), and
    that the record exists again where another writer restored it meanwhile (the unique checks'
    "… with this ID already exists." names no cause)."""
    try:
        obj.full_clean()
    except ValidationError as error:
        _check_parents(obj, user)
        if type(obj)._base_manager.filter(pk=obj.pk).exists():
            raise HistoryConflict(gettext("The deleted object exists again.")) from error
        raise


def _recreate(obj: models.Model, user: AbstractBaseUser | None) -> None:
    """Insert `obj` (a deleted row, validated) with its id, and have the database check its
    foreign keys now rather than at the commit: another writer may have restored the same row
    (or added one with its unique values) or deleted a row it points at since it was validated,
    and the database refused that only at the commit, past every handler (a 500). Raises
    HistoryConflict or ValidationError, as the checks before it would have, nothing written."""
    using = router.db_for_write(type(obj))
    try:
        with transaction.atomic(using=using):
            obj.save(force_insert=True, using=using)
            # PostgreSQL checks foreign keys at the commit (deferred); this checks them now.
            # (SQLite's writers take turns, whole transactions: none can come between.)
            if connections[using].vendor == "postgresql":
                connections[using].check_constraints()
    except IntegrityError as error:
        if type(obj)._base_manager.using(using).filter(pk=obj.pk).exists():
            raise HistoryConflict(gettext("The deleted object exists again.")) from error
        _check_parents(obj, user)
        try:
            obj.validate_unique()
            obj.validate_constraints()
        except ValidationError as clash:
            raise clash from error
        raise ValidationError(gettext("This change conflicts with existing data.")) from error


def _clears_on_delete(field: models.Field) -> bool:
    """Whether deleting the row `field` points at clears it (SET_NULL, or SET_NULL_TOUCHED)."""
    return field.null and field.remote_field.on_delete in (models.SET_NULL, SET_NULL_TOUCHED)


def _parent_gone(obj: models.Model, field: models.Field) -> bool:
    value = getattr(obj, field.attname)
    if value is None:
        return False
    parent = field.related_model
    return not parent._base_manager.filter(**{field.target_field.attname: value}).exists()


def history_parents_attached(objs: Sequence[models.Model]) -> None:
    """Give each of `objs` (records of one model: versions from its history, or the records a
    delete confirmation lists) its parent rows, read once for all of them: the row, or one gone
    since as its own history last had it (a parent without a history is left unread). A record
    is named by its parents (a link by its course's code): that read them one query each per
    record, and a gone one raised DoesNotExist (the admin's history of a link of a deleted
    course was a 500). Only what is read changes, not the keys."""
    if not objs:
        return
    for field in objs[0]._meta.concrete_fields:
        if not field.is_relation:
            continue
        wanted = {getattr(obj, field.attname) for obj in objs if not field.is_cached(obj)}
        wanted.discard(None)
        if not wanted:
            continue
        parent, key = field.related_model, field.target_field.attname
        rows = {
            getattr(row, key): row for row in parent._base_manager.filter(**{f"{key}__in": wanted})
        }
        history = getattr(parent, "history", None)
        gone = wanted - set(rows)
        if gone and history is not None:
            versions = history.filter(**{f"{key}__in": gone}).order_by(
                key, "-history_date", "-history_id"
            )
            for version in versions:
                rows.setdefault(getattr(version, key), version.instance)
        for obj in objs:
            row = rows.get(getattr(obj, field.attname))
            if row is not None and not field.is_cached(obj):
                field.set_cached_value(obj, row)


def history_gone_parents_cleared(obj: models.Model) -> list[str]:
    """Of `obj` (about to be restored to an earlier state), clear each foreign key whose row is
    gone and whose deletion clears it (SET_NULL): the object as that deletion would have left
    it, had it been there then (a course whose module was deleted has none). Returns their
    names. The others, a deletion would have taken the object with it: history_missing_parents.
    """
    cleared = []
    for field in obj._meta.concrete_fields:
        if field.is_relation and _clears_on_delete(field) and _parent_gone(obj, field):
            setattr(obj, field.attname, None)
            cleared.append(field.name)
    return cleared


def history_missing_parents(
    obj: models.Model, *, user: AbstractBaseUser | None = None
) -> dict[str, str]:
    """Of `obj` (about to be restored to an earlier state), each foreign key pointing at a row
    that no longer exists, by field name, with the message saying what was deleted and, when
    its own history can bring it back and `user` (if given) may revert its deletion (add and
    change it), to restore it first. (full_clean's own message, and the admin form's, was
    "track instance with id 7 is not a valid choice.": true, and no help.)"""
    missing = {}
    for field in obj._meta.concrete_fields:
        if not field.is_relation or _clears_on_delete(field) or not _parent_gone(obj, field):
            continue
        parent = field.related_model
        names = {"parent": parent._meta.verbose_name, "model": obj._meta.verbose_name}
        opts = parent._meta
        may_restore = user is None or user.has_perms(
            [
                f"{opts.app_label}.add_{opts.model_name}",
                f"{opts.app_label}.change_{opts.model_name}",
            ]
        )
        if hasattr(parent, "history") and may_restore:
            message = gettext(
                "The %(parent)s this %(model)s belonged to was deleted; restore the "
                "%(parent)s first."
            )
        else:
            message = gettext("The %(parent)s this %(model)s belonged to was deleted.")
        missing[field.name] = message % names
    return missing


def history_changes_moved(*, model: type[models.Model], changes: list[Change]) -> list[Change]:
    """The changes whose object is no longer as the change left it (changed again, deleted, or
    back), so reverting them would undo more than that change. One query for all of them."""
    current = model.objects.in_bulk({change.record.id for change in changes})
    moved = []
    for change in changes:
        now = current.get(change.record.id)
        if change.record.history_type == "-":
            if now is not None:
                moved.append(change)
            continue
        state = _state(model, now) if now is not None else None
        if state is None or any(
            state.get(name) != value
            for name, value in (change.after or {}).items()
            if name not in NOT_DIFFED
        ):
            moved.append(change)
    return moved


def _check_relations(model: type[models.Model], instances: list[models.Model]) -> None:
    """Every foreign key of the instances points at a row that exists: one query per field,
    however many instances (full_clean would ask once per instance and field)."""
    for field in model._meta.concrete_fields:
        if not field.is_relation:
            continue
        wanted = {getattr(obj, field.attname) for obj in instances} - {None}
        if not wanted:
            continue
        found = set(
            field.related_model._base_manager.filter(pk__in=wanted).values_list("pk", flat=True)
        )
        if wanted - found:
            raise ValidationError(
                {field.name: gettext("A record this points to no longer exists.")}
            )


@transaction.atomic
def history_bulk_write(
    *,
    model: type[models.Model],
    create: list[models.Model] = (),
    update: list[models.Model] = (),
    update_fields: list[str] = (),
    delete: list[models.Model] = (),
    user: AbstractBaseUser | None = None,
    reason: str | None = "",
    history_fields: Mapping[str, Any] | None = None,
    conflict: Mapping[str, Any] | None = None,
) -> None:
    """Create, update and delete many rows of one model in a few statements, each change in the
    history with `user` and `reason` (None: no reason, as a save that sets none records it; and
    `history_fields`, values for the columns the model's historical records add, see
    history_record_rows), as one save or delete per row would record it.

    Validated as full_clean() would, with the foreign keys checked in bulk, and the database's
    constraints checked by the statements themselves (a clash is a ValidationError, `conflict`
    or a generic message, as core.services.validated_save says it, and nothing is written). No
    save or delete signals are sent (except for deleting rows others point to, which go through
    Django's collector): the caller marks whatever depends on them (e.g. coverage reports), as
    every bulk writer in the project does.
    """
    create, update, delete = list(create), list(update), list(delete)
    if update and _has_field(model, "updated_at"):
        now = timezone.now()
        for obj in update:
            obj.updated_at = now
        update_fields = [*update_fields, "updated_at"]
    _check_relations(model, create + update)
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    for obj in create + update:
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            if create:
                model.objects.bulk_create(create)
            if update:
                model.objects.bulk_update(update, list(dict.fromkeys(update_fields)))
    except IntegrityError as error:
        raise ValidationError(
            dict(conflict) if conflict else gettext("This change conflicts with existing data.")
        ) from error
    context = {"user": user, "reason": reason, "history_fields": history_fields}
    history_record_rows(model=model, objs=create, history_type="+", **context)
    history_record_rows(model=model, objs=update, history_type="~", **context)
    if delete:
        _delete_with_history(model, delete, **context)


def history_record_rows(
    *,
    model: type[models.Model],
    objs: list[models.Model],
    history_type: str,
    user: AbstractBaseUser | None = None,
    reason: str | None = "",
    history_fields: Mapping[str, Any] | None = None,
) -> None:
    """Record `objs`, just created ("+") or changed ("~") in bulk, or about to be deleted ("-"),
    in the history as they now are in the table: what simple_history's bulk_history_create
    records, copied by the database (one INSERT ... SELECT per chunk) instead of through a
    historical instance per row, which was half the time of a large import. The user is `user`,
    else the history's default (the request's user); every row gets one timestamp, and each
    column the historical model adds to simple-history's own (declared by its `bases`) the value
    `history_fields` gives it by field name (else its database default, or NULL)."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    ids = [obj.pk for obj in objs]  # PostgreSQL and SQLite return a bulk insert's keys
    historical = model.history.model
    using = router.db_for_write(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in historical.tracked_fields)
    user = user or historical.get_default_history_user(None)
    date = historical._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection)
    history_fields = history_fields or {}
    names = ["history_date", "history_type", "history_change_reason", "history_user"]
    extra = ", ".join(
        quote(historical._meta.get_field(name).column) for name in [*names, *history_fields]
    )
    added = [
        historical._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in history_fields.items()
    ]
    history_table = quote(historical._meta.db_table)
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"INSERT INTO {history_table} ({columns}, {extra})"
                f" SELECT {columns}, {', '.join(['%s'] * (len(names) + len(added)))}"
                f" FROM {table} WHERE {key} IN ({', '.join(['%s'] * len(chunk))})",
                [date, history_type, reason, getattr(user, "pk", None), *added, *chunk],
            )


def _delete_with_history(
    model, objs: list, *, user, reason: str | None, history_fields: Mapping[str, Any] | None
) -> None:
    """Delete the rows, each recorded in the history. A model that other rows point to goes
    through Django's collector (cascades, protection, delete signals); one nothing points to is
    deleted with one statement and its history written in one, without signals, as for the
    creates and updates of history_bulk_write."""
    if model._meta.related_objects:
        for obj in objs:
            if user is not None:  # else the history's default: the request's user
                obj._history_user = user
            obj._change_reason = reason
            if history_fields:
                obj._history_fields = dict(history_fields)
        try:
            # Their rows locked before the collector reads what they take (core.services.
            # deleting): a record added to one meanwhile waits, then finds it gone, and one
            # added to a record deleted with them is a DeletionConflict, nothing deleted.
            with deleting(model._base_manager.filter(pk__in=[obj.pk for obj in objs]), many=True):
                collector = Collector(using=router.db_for_write(model), origin=objs[0])
                collector.collect(objs)
                collector.delete()
        except (ProtectedError, RestrictedError) as error:
            raise HistoryConflict(gettext("Other records still depend on this object.")) from error
        return
    history_record_rows(
        model=model,
        objs=objs,
        history_type="-",
        user=user,
        reason=reason,
        history_fields=history_fields,
    )
    using = router.db_for_write(model)
    table = connections[using].ops.quote_name(model._meta.db_table)
    column = connections[using].ops.quote_name(model._meta.pk.column)
    ids = [obj.pk for obj in objs]
    with connections[using].cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(
                f"DELETE FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})", chunk
            )


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


@transaction.atomic
def history_changes_revert(
    *,
    model: type[models.Model],
    changes: list[Change],
    user: AbstractBaseUser | None,
    reason: str,
    history_fields: Mapping[str, Any] | None = None,
) -> None:
    """Undo many recorded changes of one model together, in a few statements (see
    history_bulk_write, which records them with `user`, `reason` and `history_fields`): what
    they created is deleted, the fields they changed are restored, what they deleted is
    recreated with its id. Each object must still be as its change left it (none in
    history_changes_moved); the caller marks what depends on the model's save signals.
    """
    by_type: dict[str, list[Change]] = {"+": [], "~": [], "-": []}
    for change in changes:
        by_type[change.record.history_type].append(change)
    ids = [change.record.id for change in by_type["+"] + by_type["~"]]
    current = model.objects.select_for_update().in_bulk(ids)
    if len(current) < len(set(ids)):
        raise HistoryConflict(gettext("The object has been deleted since."))
    fields = {f.name: f for f in model._meta.concrete_fields}
    restored, changed_fields = [], set()
    for change in by_type["~"]:
        obj = current[change.record.id]
        for item in change.changes:
            setattr(obj, fields[item["field"]].attname, item["before"])
            changed_fields.add(item["field"])
        restored.append(obj)
    recreated = [change.record.instance for change in by_type["-"]]
    if recreated and model.objects.filter(pk__in=[obj.pk for obj in recreated]).exists():
        raise HistoryConflict(gettext("The deleted object exists again."))
    history_bulk_write(
        model=model,
        create=recreated,
        update=restored,
        update_fields=sorted(changed_fields),
        delete=[current[change.record.id] for change in by_type["+"]],
        user=user,
        reason=reason,
        history_fields=history_fields,
    )
