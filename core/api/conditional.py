"""Optimistic locking for the API's single objects: ETags out, If-None-Match and If-Match in
(and, for views that know their last change, Last-Modified out and If-Modified-Since in).

A single object's ETag is the MD5 of its JSON representation (the bytes GET answers, as Django's
ConditionalGetMiddleware would tag them), so it changes exactly when something a client can see
changes, whichever table it lives in (a programme's courses, a position's placements).

- GET answers the ETag, and 304 without rendering the body when If-None-Match holds it.
- PUT, PATCH and DELETE with If-Match are carried out only if the object is still at that
  version, else 412 with the current ETag (an If-Match naming no tag at all is a 400); the row
  is locked (SELECT ... FOR UPDATE) before it is read, so the check and the write see the same
  state even under concurrent requests.
- Without If-Match a write still locks and reads the row first, then the services write only the
  fields the request sent (core.services.model_update), so a concurrent edit of another field
  is never overwritten and the history row records the state as it really is.

The W/ that compression adds to an ETag (core.api.middleware) is ignored when comparing: it
marks a different transfer encoding of the same version, not another version.
"""

import hashlib
from datetime import datetime

from django.db import transaction
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.response import Response

from core.api.renderers import JSONRenderer
from core.api.serializers import refuse_unknown_keys

_renderer = JSONRenderer()


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "This object has changed since you read it. Read it again, reapply your change and send "
        "its new ETag in If-Match."
    )
    default_code = "precondition_failed"


class EmptyIfMatch(ParseError):
    default_detail = _(
        'The If-Match header is empty. Send "*" or the ETag you read, or leave the header out.'
    )
    default_code = "empty_if_match"


def representation_etag(data) -> str:
    """The strong ETag of a representation (serializer data)."""
    return f'"{hashlib.md5(_renderer.render(data), usedforsecurity=False).hexdigest()}"'


def _opaque_tags(header: str) -> set[str]:
    """The entity tags of an If-Match or If-None-Match header, without W/ and quotes; `*`
    stays `*`. Unquoted tags are taken as meant (some clients drop the quotes)."""
    tags = set()
    for part in header.split(","):
        tag = part.strip().removeprefix("W/").strip('"')
        if tag:
            tags.add(tag)
    return tags


def etag_matches(header: str | None, etag: str) -> bool:
    tags = _opaque_tags(header or "")
    return "*" in tags or etag.strip('"') in tags


def last_modified_header(when: datetime) -> str:
    """A Last-Modified value (an HTTP date, whole seconds) for a change stamp."""
    return http_date(when.timestamp())


def not_modified(request, *, etag: str, last_modified: datetime | None) -> bool:
    """Whether a GET or HEAD is answered 304, as RFC 9110 (13.2.2) orders the preconditions:
    If-None-Match decides when the request has one (the ETag takes precedence), otherwise
    If-Modified-Since, when it is a valid date at or after the last change. Lets a view answer
    the 304 before building what it would send (ConditionalGetMiddleware does the same, but
    only once the response exists)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag_matches(if_none_match, etag)
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    if since is None or last_modified is None:
        return False
    return int(last_modified.timestamp()) <= since


class ConditionalRetrieveMixin:
    """For viewsets: the ETag of the single object GET answers, and 304 for If-None-Match
    (core.api.schema documents it from `conditional_reads`)."""

    conditional_reads = True

    def get_object(self):
        # A write reads the object once, under its lock, for the check and for the change.
        locked = getattr(self, "_locked_object", None)
        return locked if locked is not None else super().get_object()

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        etag = representation_etag(data)
        if etag_matches(request.headers.get("If-None-Match"), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        etag = getattr(exc, "etag", None)
        if isinstance(exc, PreconditionFailed) and etag:
            response["ETag"] = etag
        return response

    def lock_and_check(self, request) -> None:
        """Lock the object's row, read it, and refuse the write (412) if If-Match names another
        version of it. Call inside a transaction."""
        if_match = request.headers.get("If-Match")
        if if_match is not None and not if_match.replace(",", "").strip():
            # "*" or a list of entity tags (RFC 9110, 13.1.1): a header naming none is a
            # client's mistake (an unset variable), not a version someone else has changed.
            # Other forms are read leniently (_opaque_tags), so this is the one malformed value.
            raise EmptyIfMatch()
        lookup = self.lookup_url_kwarg or self.lookup_field
        model = self.get_queryset().model
        # Locked alone (no joins or aggregates, which FOR UPDATE refuses), then read as usual.
        list(
            model._base_manager.select_for_update()
            .filter(**{self.lookup_field: self.kwargs[lookup]})
            .values_list("pk", flat=True)
        )
        instance = super().get_object()
        if if_match is not None:
            current = representation_etag(self.get_serializer(instance).data)
            if not etag_matches(if_match, current):
                exc = PreconditionFailed()
                exc.etag = current
                raise exc
        self._locked_object = instance


class ConditionalUpdateMixin(ConditionalRetrieveMixin):
    """PUT and PATCH honour If-Match and answer the new ETag (with UpdateModelMixin)."""

    conditional_writes = True

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            self.lock_and_check(request)
            response = super().update(request, *args, **kwargs)
        response["ETag"] = representation_etag(response.data)
        return response


class ConditionalDestroyMixin(ConditionalRetrieveMixin):
    """DELETE honours If-Match (with DestroyModelMixin), and takes no body: a key in one is a
    400 naming it, as the actions that take no body answer, not an option read past."""

    conditional_writes = True

    def destroy(self, request, *args, **kwargs):
        refuse_unknown_keys(request.data, taken=())
        with transaction.atomic():
            self.lock_and_check(request)
            return super().destroy(request, *args, **kwargs)


class ConditionalCreateMixin(ConditionalRetrieveMixin):
    """POST answers the new object's ETag (with CreateModelMixin)."""

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["ETag"] = representation_etag(response.data)
        return response


class ConditionalModelMixin(
    ConditionalCreateMixin, ConditionalUpdateMixin, ConditionalDestroyMixin
):
    """All of the above, for a ModelViewSet."""
