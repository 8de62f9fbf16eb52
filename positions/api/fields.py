"""Serializer fields of the demand side that other apps' APIs use too."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from core.api.fields import CodeRelatedField
from positions.models import Level
from positions.selectors import levels_listed, levels_written


@extend_schema_field(
    {
        "type": "string",
        "description": "A level code such as I, R or M. On write, the level's name is accepted "
        "too (Mastered, in any case, or its Chinese name), as the imports read it, and so is "
        "its integer id.",
        "example": "M",
    }
)
class LevelField(CodeRelatedField):
    """A depth level, read by its code ("I", "R", "M") and written by its code or its name in
    either language, in any case (positions.selectors.levels_written, as the imports read a
    level), or its id."""

    default_error_messages = {
        "does_not_exist": _('No level has the code or name "{value}" (levels: {levels}).'),
        "ambiguous": _('"{value}" could be more than one level ({levels}): give its code.'),
        "no_id": _("No level has the id {value}."),
        "incorrect_type": _("Give a level's code: {levels}."),
    }

    def default_queryset(self):
        return Level.objects.all()

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            # Levels are data: the refusal names the scale this site has.
            self.fail("incorrect_type", levels=levels_listed(self.get_queryset()))
        if not isinstance(data, str):
            return super().to_internal_value(data)
        levels = list(self.get_queryset())
        text = data.strip()
        # A text no code or name could be (too long, a NUL) is shown cut and its NUL escaped.
        readable = len(text) <= 200 and "\x00" not in text
        named = levels_written(text, levels) if readable else []
        if len(named) == 1:
            return named[0]
        shown = text.replace("\x00", "\\0")[:40]
        listed = named or levels
        self.fail(
            "ambiguous" if named else "does_not_exist", value=shown, levels=levels_listed(listed)
        )
