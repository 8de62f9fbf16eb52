"""The base of the project's model serializers, and what request bodies share."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from core.api.fields import (
    DegreeLevelChoiceField,
    IdRelatedField,
    TrimmedCharField,
    TrimmedLinesField,
    TrimmedURIField,
)
from core.api.filters import unknown_names_shown
from core.i18n import join_list
from core.joins import instance_joins, may_move, move_refusal, moved_fields
from core.models import DegreeLevelField, ProseField, URIField


class WholeItemsMixin:
    """For a serializer nested as a list that a write replaces whole (a position's placements):
    each item needs its required fields even in a PATCH of the parent. DRF makes every nested
    field optional when the root is partial, so an item without them reached the service (a
    KeyError, a 500)."""

    def validate(self, attrs):
        missing = {
            name: [field.error_messages["required"]]
            for name, field in self.fields.items()
            if field.required and not field.read_only and field.source_attrs[0] not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return super().validate(attrs)


# A form post (a multipart upload from the browsable API or a page) carries Django's CSRF token
# beside its fields: the request's, not a field of the body.
FORM_KEYS = frozenset({"csrfmiddlewaretoken"})


def refuse_unknown_keys(data: object, *, taken: Iterable[str], ignored: Iterable[str] = ()) -> None:
    """A 400 naming each key of the body `data` that is neither `taken` (what the endpoint
    reads) nor `ignored` (what it reads past), saying which keys it takes:
    `{"levle": ["Unknown key: this body takes level, importance."]}`. A body that is not an
    object is left to whatever reads it."""
    if not isinstance(data, Mapping):
        return
    taken = list(taken)
    known = {*taken, *ignored, *(FORM_KEYS if isinstance(data, QueryDict) else ())}
    unknown = sorted(str(key) for key in data if key not in known)
    if not unknown:
        return
    if taken:
        message = _("Unknown key: this body takes %(keys)s.") % {"keys": join_list(taken)}
    else:
        message = _("Unknown key: this request takes no body.")
    raise serializers.ValidationError({name: [message] for name in unknown_names_shown(unknown)})


class KnownKeysMixin:
    """A key of the body that the serializer has no field for is a 400 naming the keys it
    takes. Ignored, as DRF ignores them, a misspelt key (`remove_course`, `levle`) answered 2xx
    for something other than what was asked: an accept at the proposed level, a PATCH that
    changed nothing, an apply that wrote the part it knew. Its read-only fields (id, computed
    fields) are read past, so that a resource read with GET can be sent back changed."""

    def to_internal_value(self, data):
        refuse_unknown_keys(
            data,
            taken=[name for name, field in self.fields.items() if not field.read_only],
            ignored=[name for name, field in self.fields.items() if field.read_only],
        )
        return super().to_internal_value(data)


class ModelSerializer(KnownKeysMixin, serializers.ModelSerializer):
    """A ModelSerializer whose relations written by id take a whole number a record could have
    (IdRelatedField): with DRF's PrimaryKeyRelatedField the database read {"course": 1.5} as
    course 1. A key it has no field for is a 400 (KnownKeysMixin). A change of which records
    a row joins (a link's course or ability: core.joins) is refused (403) to a user who may
    not add and delete such rows: it moves the row."""

    serializer_related_field = IdRelatedField
    # Text is trimmed of ordinary whitespace only: a control character at an end is refused.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TrimmedCharField,
        models.TextField: TrimmedCharField,
        ProseField: TrimmedLinesField,
        URIField: TrimmedURIField,
    }

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, DegreeLevelField):
            # Its refusal names the codes taken.
            field_class = DegreeLevelChoiceField
            field_kwargs.pop("choices", None)
        return field_class, field_kwargs

    def validate(self, attrs):
        attrs = super().validate(attrs)
        request = self.context.get("request")
        if self.instance is not None and request is not None:
            model = type(self.instance)
            moved = moved_fields(model, instance_joins(self.instance), attrs)
            if moved and not may_move(request.user, model):
                raise PermissionDenied(move_refusal(model, moved))
        return attrs

    def get_fields(self):
        # A declared read-only field (`decided_by = SlugRelatedField(read_only=True)`) is not
        # built from the model, so DRF does not know its value can be None: the OpenAPI schema
        # then said a string where answers held null, and generated clients refused them.
        fields = super().get_fields()
        model = self.Meta.model
        for name, field in fields.items():
            nullable = field.read_only and source_can_be_null(model, field.source or name)
            if nullable and not field.allow_null:
                field.allow_null = True
        return fields


def source_can_be_null(model: type[models.Model], source: str) -> bool:
    """Whether the model attribute `source` (dotted, through relations) can be None: a null
    column, or a null relation on the way to it. False for what is no concrete field."""
    for part in source.split("."):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if not field.concrete:
            return False
        if getattr(field, "null", False):
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False
