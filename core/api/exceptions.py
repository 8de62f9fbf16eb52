"""The API's one exception handler: what services raise becomes the client error it is.

Services raise Django's ValidationError (a 400 with field messages); a constraint race they
could not see surfaces as IntegrityError (a 400 too); a lookup of a missing object as
ObjectDoesNotExist (a 404); a request that cannot be carried out as things stand
(core.exceptions.ServiceConflict) a 409; a job the task queue cannot take now
(core.exceptions.QueueUnavailable) a 503. A body larger than Django reads
(DATA_UPLOAD_MAX_MEMORY_SIZE) is a 413, a form of more fields or files than it reads a 400:
Django's own answer to those was its HTML "Bad Request" page. Everything else is DRF's own
handling.

A 400's messages quote what the client sent (DRF's "“…” is not a valid choice.", Django's and
django-filter's "Select a valid choice. … is not one of the available choices."): each value
is quoted cut to an excerpt (core.api.filters.excerpt), as unknown parameters' names are, so
a 400 KB `?status=` is not sent back whole (bounded_detail).
"""

from collections.abc import Mapping

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
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Empty
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.api.filters import UNKNOWN_NAME_LENGTH, excerpt
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
    if isinstance(exc, ObjectDoesNotExist | Http404):
        # get_object_or_404's message ("No Suggestion matches the given query.") is English
        # whatever the reader's language and names a model class: DRF passes it on as the detail.
        return exceptions.NotFound()
    return exc


# Past this, a message still holding a long value the request's fields do not give as it is (a
# validator's own quoting of a transformed value) keeps its beginning and its end.
MESSAGE_LENGTH = 1000


def _bounded_message(message: str, given) -> str:
    if len(message) <= UNKNOWN_NAME_LENGTH:
        return message
    values = given if isinstance(given, list | tuple) else [given]
    bounded = message
    for value in values:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            continue
        text = str(value)
        for quoted in (text, text.strip()):
            if len(quoted) > UNKNOWN_NAME_LENGTH and quoted in bounded:
                bounded = bounded.replace(quoted, excerpt(quoted))
    if len(bounded) > MESSAGE_LENGTH:
        half = MESSAGE_LENGTH // 2
        bounded = bounded[: half - 1] + "…" + bounded[-half:]
    if bounded == message:
        return message
    return ErrorDetail(bounded, code=getattr(message, "code", None))


class _Given:
    """What the request gave under a 400's top-level key: the body's field, else the query
    parameter's values."""

    def __init__(self, request):
        self.query = getattr(request, "query_params", {})
        # The body as the view read it; one it did not read is not parsed now. DRF keeps it as
        # `_full_data` and offers nothing public that does not parse: `request.data` here read
        # a body the view refused before reading (its query parameters), and a ParseError in
        # the handler was a 500. test_bounded_echo says if DRF moves it.
        data = getattr(request, "_full_data", Empty)
        self.data = None if data is Empty else data

    def __getitem__(self, key):
        if hasattr(self.data, "getlist") and key in self.data:
            return self.data.getlist(key)  # a form's: each value given
        if isinstance(self.data, Mapping) and key in self.data:
            return self.data[key]
        if hasattr(self.query, "getlist"):
            return self.query.getlist(key)
        return None


def _given_at(given, key):
    if isinstance(given, _Given):
        return given[key]
    if isinstance(given, Mapping):
        return given.get(key)
    if isinstance(given, list) and isinstance(key, int) and 0 <= key < len(given):
        return given[key]
    return None


def bounded_detail(detail, given):
    """A ValidationError's detail with each message's quoting of a value in `given` (the
    request's data at the same place: a field's value, a list's item) cut to an excerpt, and
    any message still longer than MESSAGE_LENGTH cut in its middle."""
    if isinstance(detail, Mapping):
        return {key: bounded_detail(value, _given_at(given, key)) for key, value in detail.items()}
    if isinstance(detail, list):
        if isinstance(given, _Given):
            given = given.data
        return [
            bounded_detail(item, _given_at(given, index))
            if isinstance(item, Mapping | list)
            else _bounded_message(item, given)
            for index, item in enumerate(detail)
        ]
    if isinstance(detail, str):
        return _bounded_message(detail, given.data if isinstance(given, _Given) else given)
    return detail


NULL_BODY = _("Send a JSON object as the body, not null.")


def _null_body_in_words(detail):
    """A body of JSON null: DRF's serializer says "No data provided", a message DRF does not
    mark for translation, so every client read it in English. Said in the project's words."""
    if isinstance(detail, Mapping) and list(detail) == [api_settings.NON_FIELD_ERRORS_KEY]:
        messages = detail[api_settings.NON_FIELD_ERRORS_KEY]
        if isinstance(messages, list) and any(
            isinstance(message, ErrorDetail) and message.code == "null" for message in messages
        ):
            return {
                api_settings.NON_FIELD_ERRORS_KEY: [
                    ErrorDetail(str(NULL_BODY), code="null")
                    if isinstance(message, ErrorDetail) and message.code == "null"
                    else message
                    for message in messages
                ]
            }
    return detail


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: converts service errors, then DRF's handler."""
    exc = _as_api_exception(exc)
    if isinstance(exc, exceptions.ValidationError):
        exc.detail = _null_body_in_words(exc.detail)
    if isinstance(exc, exceptions.ValidationError) and context.get("request") is not None:
        exc.detail = bounded_detail(exc.detail, _Given(context["request"]))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ServiceUnavailable):
        # core.queue logged the refusal as one warning: Django's request log would add an
        # ERROR line (mailed to the admins) for each request while the broker is down.
        response._has_been_logged = True
    return response
