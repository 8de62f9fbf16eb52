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
