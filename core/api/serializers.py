"""The base of the project's model serializers."""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from rest_framework import serializers

from core.api.fields import IdRelatedField


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose relations written by id take a whole number a record could have
    (IdRelatedField): with DRF's PrimaryKeyRelatedField the database read {"course": 1.5} as
    course 1."""

    serializer_related_field = IdRelatedField

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
