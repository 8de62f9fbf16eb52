"""Serializer fields shared by the apps' APIs."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from positions.models import Level


@extend_schema_field(
    {
        "type": "string",
        "description": "A level code such as I, R or M. On write, the level's integer id is "
        "accepted too.",
        "example": "M",
    }
)
class LevelField(serializers.RelatedField):
    """A depth level, read and written by its code ("I", "R", "M").

    Writes accept the code (exact, else case-insensitive) or, as a JSON number, the level's id:
    a JSON string is always a code, so a level whose code looks like a number stays reachable.
    """

    default_error_messages = {
        "does_not_exist": _('No level has the code "{value}".'),
        "no_id": _("No level has the id {value}."),
        "incorrect_type": _("Give a level code such as I, R or M."),
    }

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Level.objects.all())
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value.code

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type")
        if isinstance(data, int):
            level = queryset.filter(pk=data).first() if 0 < data < 2**63 else None
            if level is None:
                self.fail("no_id", value=data)
            return level
        code = data.strip()
        level = queryset.filter(code=code).first()
        if level is None:
            matches = list(queryset.filter(code__iexact=code)[:2])
            if len(matches) != 1:
                self.fail("does_not_exist", value=code)
            level = matches[0]
        return level
