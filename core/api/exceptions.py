"""The API's one exception handler: what services raise becomes the client error it is.

Services raise Django's ValidationError (a 400 with field messages); a constraint race they
could not see surfaces as IntegrityError (a 400 too); a lookup of a missing object as
ObjectDoesNotExist (a 404); a request that cannot be carried out as things stand
(core.exceptions.ServiceConflict) a 409; a job the task queue cannot take now
(core.exceptions.QueueUnavailable) a 503. A body larger than Django reads
(DATA_UPLOAD_MAX_MEMORY_SIZE) is a 413, a form of more fields or files than it reads a 400:
Django's own answer to those was its HTML "Bad Request" page. Everything else is DRF's own
handling.
"""

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import RETRY_AFTER_SECONDS, QueueUnavailable, ServiceConflict


class Conflict(exceptions.APIException):
    """A ServiceConflict, as the API answers it."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the data.")
    default_code = "conflict"


QUEUE_UNAVAILABLE = _("The task queue is unreachable. Try again later.")


class ServiceUnavailable(exceptions.APIException):
    """A QueueUnavailable, as the API answers it: nothing was started. DRF's handler sends
    `wait` as Retry-After."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = QUEUE_UNAVAILABLE
    default_code = "queue_unavailable"
    wait = RETRY_AFTER_SECONDS


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "payload_too_large"


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge(
            _("The request body is larger than the %(limit)d bytes this API reads.")
            % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        )
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return exceptions.ParseError(str(exc))
    if isinstance(exc, DjangoValidationError):
        detail = as_serializer_error(exc)
        if NON_FIELD_ERRORS in detail:
            detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
        return exceptions.ValidationError(detail)
    if isinstance(exc, IntegrityError):
        return exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [_("This change conflicts with existing data.")]}
        )
    if isinstance(exc, ServiceConflict):
        return Conflict(str(exc))
    if isinstance(exc, QueueUnavailable):
        return ServiceUnavailable()
    if isinstance(exc, ObjectDoesNotExist):
        return exceptions.NotFound()
    return exc


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: converts service errors, then DRF's handler."""
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ServiceUnavailable):
        # core.queue logged the refusal as one warning: Django's request log would add an
        # ERROR line (mailed to the admins) for each request while the broker is down.
        response._has_been_logged = True
    return response
