"""The base of the project's model serializers."""

from rest_framework import serializers

from core.api.fields import IdRelatedField


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose relations written by id take a whole number a record could have
    (IdRelatedField): with DRF's PrimaryKeyRelatedField the database read {"course": 1.5} as
    course 1."""

    serializer_related_field = IdRelatedField
