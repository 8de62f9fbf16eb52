"""Behaviour every API viewset of the project shares."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings


class ServiceErrorsMixin:
    """Services raise Django's ValidationError; clients get it as a 400 with field messages.

    Ids in URLs must look like ids, so a malformed, negative or oversized id is a plain 404 from
    the URL resolver instead of a database error.
    """

    lookup_value_regex = r"[0-9]{1,18}"

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            detail = as_serializer_error(exc)
            if NON_FIELD_ERRORS in detail:
                detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
            exc = exceptions.ValidationError(detail)
        elif isinstance(exc, IntegrityError):
            # Services check constraints first; this is the race they cannot see, answered
            # as the client error it is.
            exc = exceptions.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        _("This change conflicts with existing data.")
                    ]
                }
            )
        return super().handle_exception(exc)
