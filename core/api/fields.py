"""Serializer fields shared by the apps' APIs."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from core.api.filters import MAX_ID, IdFormField
from core.i18n import join_list
from core.models import (
    DegreeLevel,
    degree_level_refusal,
    normalized_lines,
    strip_ordinary_whitespace,
)
from core.selectors import record_by_code

NOT_TEXT = _(
    "Give text, as a JSON string in quotes: not a number, true or false, a list or an object."
)


class StrictCharField(serializers.CharField):
    """DRF's CharField, taking text only: a JSON number, true or false, a list or an object is
    a 400 on the field. DRF's took a number as its str(), and orjson reads an integer past 64
    bits as a float, so {"name": 123456789012345678901234567890} was stored as the name
    "1.2345678901234568e+29" (and a level code 3 named the level "3"). Every writable text
    field of a request body is one (core.api.serializers.ModelSerializer maps the model's text
    columns to it; declared ones use it)."""

    default_error_messages = {"not_text": NOT_TEXT}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class TrimmedCharField(StrictCharField):
    """DRF's CharField, whose `trim_whitespace` strips the whitespace around a value except the
    control characters str.strip() counts as whitespace (strip_ordinary_whitespace): with
    DRF's, {"title": "Databases\\u0085"} was stored as "Databases" where a U+0085 inside is a
    400. The model's validators refuse them at an end as inside."""

    def run_validation(self, data=empty):
        if (
            self.trim_whitespace
            and isinstance(data, str)
            and data
            and not (strip_ordinary_whitespace(data))
        ):
            data = ""
        if data == "":
            if not self.allow_blank:
                self.fail("blank")
            return ""
        return serializers.Field.run_validation(self, data)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return strip_ordinary_whitespace(data) if self.trim_whitespace else data


class TrimmedLinesField(TrimmedCharField):
    """A ProseField's value (a description, outcomes, a note) stored a line at a time, as the
    admin's form and the imports store it (core.models.normalized_lines): a client's "\\r\\n"
    is "\\n", each line trimmed."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        return normalized_lines(value) if self.trim_whitespace else value


@extend_schema_field(OpenApiTypes.URI)
class TrimmedURIField(TrimmedCharField):
    """A URIField's value (a web address or a URN): trimmed as any text, checked by the model's
    validate_uri, and documented as `format: uri` (a plain CharField lost it when the column
    stopped being a URLField)."""


class CodeRelatedField(serializers.RelatedField):
    """A related record read and written by its `code` (e.g. a depth level "M").

    Writes accept the code (exact, else case-insensitive) or, as a JSON number, the record's id:
    a JSON string is always a code, so a record whose code looks like a number stays reachable.
    Subclasses give `default_queryset()` for writable fields.
    """

    default_error_messages = {
        "does_not_exist": _('No record has the code "{value}".'),
        "no_id": _("No record has the id {value}."),
        "incorrect_type": _("Give a code."),
    }

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", self.default_queryset())
        super().__init__(**kwargs)

    def default_queryset(self):
        raise NotImplementedError("Give a queryset, or subclass with default_queryset().")

    def to_representation(self, value):
        return value.code

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type")
        if isinstance(data, int):
            record = queryset.filter(pk=data).first() if 0 < data <= MAX_ID else None
            if record is None:
                self.fail("no_id", value=data)
            return record
        code = data.strip()
        record = record_by_code(queryset, code)
        if record is None:
            # A code no column holds (too long, a NUL) is shown cut and with its NUL escaped.
            max_length = queryset.model._meta.get_field("code").max_length or 255
            if len(code) > max_length or "\x00" in code:
                code = code.replace("\x00", "\\0")[:40]
            self.fail("does_not_exist", value=code)
        return record


class IdField(serializers.IntegerField):
    """A record's id in a query a serializer reads (deletions/' `after_id`, the suggestions'
    `programme`): a whole number from 1 to MAX_ID, refused in the words every list's id filter
    uses (core.api.filters.IdFormField), not DRF's "Ensure this value is less than or equal to
    9223372036854775807."."""

    default_error_messages = {
        key: IdFormField.default_error_messages[key]
        for key in ("invalid", "min_value", "max_value")
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def refuse_too_many(field: serializers.Field, data, max_length: int | None = None) -> None:
    """A list longer than `max_length` (the field's own by default) is refused in ListField's
    words before its items are read: its validator counts only after every item is."""
    max_length = max_length if max_length is not None else field.max_length
    if isinstance(data, list) and max_length is not None and len(data) > max_length:
        raise serializers.ValidationError(
            serializers.ListField.default_error_messages["max_length"].format(
                max_length=max_length
            ),
            code="max_length",
        )


# Most ids a list in a request body takes (a programme's courses or target positions), unless
# its field takes fewer. Unbounded, 300,000 ids (2 MB, under the body limit) were each validated,
# then checked in one `pk IN (...)` query past SQLite's bound on variables: 20 s, then a 500.
MAX_IDS = 10_000


class IdsField(serializers.ListField):
    """A list of record ids, each given once: a repeated id is a 400 on the field naming it, as
    a key given twice in a JSON body is (core.api.parsers), not dropped without a word. The
    schema says so with uniqueItems (core.api.schema). At most MAX_IDS ids (`max_length`),
    counted before any is read."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        kwargs.setdefault("max_length", MAX_IDS)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        refuse_too_many(self, data)
        ids = super().to_internal_value(data)
        seen, repeated = set(), {}
        for pk in ids:
            if pk in seen:
                repeated[pk] = None
            seen.add(pk)
        if repeated:
            raise serializers.ValidationError(
                ngettext(
                    "The id %(ids)s is given more than once.",
                    "The ids %(ids)s are given more than once.",
                    len(repeated),
                )
                % {"ids": join_list(str(pk) for pk in repeated)},
                code="repeated",
            )
        return ids


class IdListField(IdsField):
    """Related records as a list of ids: read from a prefetched relation, written as ids that the
    service checks in one query."""

    def __init__(self, *, id_attr: str, **kwargs):
        self.id_attr = id_attr
        super().__init__(**kwargs)

    def to_representation(self, data):
        return [getattr(item, self.id_attr) for item in data.all()]


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related record by its id, which must be a whole number a record could have.

    PrimaryKeyRelatedField hands the value to the database as it comes, and an integer column
    reads 1.5 as 1: {"programme": 1.5} named programme 1. Here 1.5 (or true, or an id past 64
    bits) is a 400 on the field, like an id in a list of IntegerFields.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("pk_field", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)


class DegreeLevelChoiceField(serializers.ChoiceField):
    """A degree level's code (the schema's DegreeLevelEnum); another value is refused naming
    the codes taken, where DRF's message said only that it was not a valid choice."""

    def __init__(self, **kwargs):
        kwargs["choices"] = DegreeLevel.choices
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        if str(data) not in DegreeLevel.values:
            raise serializers.ValidationError(degree_level_refusal(data), code="invalid_choice")
        return super().to_internal_value(data)


UPDATED_AT_HELP = _(
    "When the record last changed (ISO 8601): what ?updated_since= compares. A record that "
    "lists others (a position's placements and requirements, a programme's courses and targets, "
    "a certification's directions) changes when they do, a deletion included."
)


class UpdatedAtField(serializers.DateTimeField):
    """The record's update time as a sync sees it: the list's `last_changed` annotation
    (core.history.changed_at) where the selector gives one, else the row's own `updated_at`
    (a record just written, before it is read again)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", UPDATED_AT_HELP)
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        changed = getattr(value, "last_changed", None) or value.updated_at
        return super().to_representation(changed)
