"""Filter pieces shared by every list endpoint."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

# Primary keys are 64-bit: a larger number can match nothing, and some databases raise on it.
MAX_ID = 2**63 - 1


class IdFormField(forms.IntegerField):
    default_error_messages = {
        "invalid": _("Enter a whole number that identifies a record."),
        "min_value": _("Identifiers are positive whole numbers."),
        "max_value": _("That identifier is too large to exist."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An id in a query string: malformed, negative or huge values are a 400, not a 500."""

    field_class = IdFormField


class StrictBooleanFormField(forms.NullBooleanField):
    """true/false (or 1/0); absent means no filter. Anything else is an error, not silently
    'no filter', so a client with a typo learns of it."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Use true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in (True, "true", "True", "1"):
            return True
        if value in (False, "false", "False", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanFormField
