"""Rows that join records: a course to an ability (a link), a position to an ability (a
requirement), a programme to a course or a target position, a position to a track at a degree.
Which records a row joins is what it is: changing them moves the row, one pair losing it and
another gaining it, which is what deleting it and adding another does. So a change of them takes
the permissions to add and to delete such rows, besides changing them, at every door that
changes one (the API's serializers, the admin's forms and inlines, a revert from its history);
the map editor and the undo of a change set ask the same of a cell they empty or fill."""

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from core.i18n import join_list


@cache
def joined_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The fields saying which records a row of `model` joins: those of its unique constraints
    naming two foreign keys or more (conditional ones too: a suggestion is a course's or a
    position's). Empty for a model that joins nothing."""
    names: list[str] = []
    for fields in [
        *(c.fields for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)),
        *model._meta.unique_together,
    ]:
        related = [name for name in fields if model._meta.get_field(name).many_to_one]
        if len(related) >= 2:
            names += [name for name in fields if name not in names]
    return tuple(names)


def move_permissions(model: type[models.Model]) -> tuple[str, str]:
    opts = model._meta
    return (f"{opts.app_label}.add_{opts.model_name}", f"{opts.app_label}.delete_{opts.model_name}")


def may_move(user, model: type[models.Model]) -> bool:
    """Whether `user` may change which records a row of `model` joins."""
    return not joined_fields(model) or user.has_perms(move_permissions(model))


def _id(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def moved_fields(
    model: type[models.Model], stored: Mapping[str, Any], values: Mapping[str, Any]
) -> list[str]:
    """The joined fields of `model` that `values` (by field name, records or ids) change from
    `stored` (the row as stored, the same way)."""
    return [
        name
        for name in joined_fields(model)
        if name in values and _id(values[name]) != _id(stored[name])
    ]


def instance_joins(instance: models.Model) -> dict[str, Any]:
    """The joined fields of `instance` as it holds them (ids)."""
    model = type(instance)
    return {
        name: getattr(instance, model._meta.get_field(name).attname)
        for name in joined_fields(model)
    }


def stored_joins(instance: models.Model) -> dict[str, Any] | None:
    """The joined fields of `instance`'s row as stored now (ids), not as the instance says (a
    revert's instance is a version from the history); None if the row is gone."""
    model = type(instance)
    attnames = {model._meta.get_field(name).attname: name for name in joined_fields(model)}
    row = model._base_manager.filter(pk=instance.pk).values(*attnames).first()
    return None if row is None else {attnames[key]: value for key, value in row.items()}


def move_refusal(model: type[models.Model], fields: list[str]) -> str:
    """What a user who may not move a row of `model` is told, for the `fields` changed."""
    opts = model._meta
    return _(
        "Your account may not change the %(fields)s of an existing %(name)s: that moves it, "
        "taking it away from one and adding it to another, which takes the permissions to add "
        "and to delete %(plural)s."
    ) % {
        "fields": join_list([str(opts.get_field(name).verbose_name) for name in fields]),
        "name": opts.verbose_name,
        "plural": opts.verbose_name_plural,
    }
