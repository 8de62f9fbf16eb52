"""Serializer fields of the demand side that other apps' APIs use too."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from core.api.fields import CodeRelatedField
from positions.models import Level


@extend_schema_field(
    {
        "type": "string",
        "description": "A level code such as I, R or M. On write, the level's integer id is "
        "accepted too.",
        "example": "M",
    }
)
class LevelField(CodeRelatedField):
    """A depth level, read and written by its code ("I", "R", "M")."""

    default_error_messages = {
        "does_not_exist": _('No level has the code "{value}".'),
        "no_id": _("No level has the id {value}."),
        "incorrect_type": _("Give a level code such as I, R or M."),
    }

    def default_queryset(self):
        return Level.objects.all()
