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
- A POST action on one object (accept, recompute, a revert...) evaluates If-Match the same way,
  against the ETag the object's GET answers, under the same lock for the whole action.
- A POST to a collection (a create, an import, a generation job) has no current representation
  to compare with: any If-Match, `*` too, is a 412 (RFC 9110, 13.1.1; Django's condition()
  answers a write whose target has no ETag the same).
- Without If-Match a write still locks and reads the row first, then the services write only the
  fields the request sent (core.services.model_update), so a concurrent edit of another field
  is never overwritten and the history row records the state as it really is. A POST action
  without it is done as before, unlocked.

The W/ that compression adds to an ETag (core.api.middleware) is ignored when comparing: it
marks a different transfer encoding of the same version, not another version.
"""

import hashlib
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
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


class NothingToMatch(PreconditionFailed):
    default_detail = _(
        "If-Match names a version of an existing object, and this request creates or starts "
        "something new: there is none to compare it with. Leave the header out."
    )


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


def settled_last_modified(when: datetime | None) -> datetime | None:
    """`when`, the last change of what a read answers, where a Last-Modified date may name it:
    once the second it fell in is over (None before). An HTTP date is whole seconds: given
    while that second runs, a change later in the same second has the same date, and a client
    revalidating with If-Modified-Since was told 304, nothing changed (RFC 9110, 8.8.2.2: such
    a date is no strong validator). The ETag sees every change; the next read after that
    second gives the date. A stamp later than the clock (another server's) is not given
    either (8.8.2.1)."""
    if when is None or int(when.timestamp()) + 1 > timezone.now().timestamp():
        return None
    return when


def last_modified_header(when: datetime | None) -> str | None:
    """A Last-Modified value (an HTTP date, whole seconds) for a change stamp, None while it is
    not settled (settled_last_modified)."""
    settled = settled_last_modified(when)
    return None if settled is None else http_date(settled.timestamp())


def if_modified_since(request) -> int | None:
    """The request's If-Modified-Since as a timestamp, None without a valid one or when it is
    later than this server's clock: RFC 9110 (13.1.3) has a recipient ignore such a date (a
    client's clock set wrong, a date made up, as year 9999), which would otherwise be at or
    after every last change and answered 304 for ever."""
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    if since is None or since > timezone.now().timestamp():
        return None
    return since


def not_modified(request, *, etag: str, last_modified: datetime | None) -> bool:
    """Whether a GET or HEAD is answered 304, as RFC 9110 (13.2.2) orders the preconditions:
    If-None-Match decides when the request has one (the ETag takes precedence), otherwise
    If-Modified-Since, when it is a valid date, not in the future (if_modified_since), at or
    after the last change (a settled one, as Last-Modified gives it: settled_last_modified).
    Lets a view answer
    the 304 before building what it would send (ConditionalGetMiddleware does the same, but
    only once the response exists)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag_matches(if_none_match, etag)
    since = if_modified_since(request)
    last_modified = settled_last_modified(last_modified)
    if since is None or last_modified is None:
        return False
    return int(last_modified.timestamp()) <= since


UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# The actions that evaluate If-Match themselves, inside the transaction of their write.
SELF_CHECKED_ACTIONS = ("update", "partial_update", "destroy")


def _if_match(request) -> str | None:
    """The request's If-Match, None without one; a 400 if it names no tag at all."""
    if_match = request.headers.get("If-Match")
    if if_match is not None and not if_match.replace(",", "").strip():
        # "*" or a list of entity tags (RFC 9110, 13.1.1): a header naming none is a
        # client's mistake (an unset variable), not a version someone else has changed.
        # Other forms are read leniently (_opaque_tags), so this is the one malformed value.
        raise EmptyIfMatch()
    return if_match


def _refuse_unless_current(if_match: str, current_etag: Callable[[], str]) -> None:
    """A 412 naming the current ETag unless If-Match names the object's current version. An
    ETag is of a representation, whose display fields speak the reader's language: a version
    read in another of the site's languages is the same version (a sync reading in English, a
    Chinese client writing), so its ETag in each language counts."""
    current = current_etag()
    if etag_matches(if_match, current):
        return
    for code, _name in settings.LANGUAGES:
        if code == translation.get_language():
            continue
        with translation.override(code):
            if etag_matches(if_match, current_etag()):
                return
    exc = PreconditionFailed()
    exc.etag = current
    raise exc


class IfMatchMixin:
    """For every API view that takes unsafe requests: If-Match is evaluated before the method is
    carried out (RFC 9110, 13.1.1), once authentication, permissions and throttling have let the
    request through (a 401, 403 or 404 would be answered the same without it: 13.2.1).

    On one object (a viewset's detail route, or a view whose `addresses_one_object()` says so)
    it is compared with `current_etag()`, the object's row locked for the whole action; on a
    collection any If-Match is a 412 (NothingToMatch). core.api.schema documents both from
    `evaluates_if_match`."""

    evaluates_if_match = True

    def addresses_one_object(self) -> bool:
        return bool(getattr(self, "detail", False))

    def current_etag(self) -> str:
        """The ETag the object's GET answers now; raises Http404 when it is gone."""
        raise NotImplementedError

    def lock_object(self) -> None:
        """Lock the row of the object the request addresses (SELECT ... FOR UPDATE)."""
        raise NotImplementedError

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in UNSAFE_METHODS:
            return
        if getattr(self, "action", None) in SELF_CHECKED_ACTIONS:
            return
        if_match = _if_match(request)
        if if_match is None:
            return
        if not self.addresses_one_object():
            raise NothingToMatch()
        # The check and the action see the same state: the handler DRF is about to call runs in
        # the transaction that locked the row and compared its ETag, as update() and destroy()
        # do theirs; an exception it raises rolls back whatever it wrote.
        name = request.method.lower()
        handler = getattr(self, name)

        def checked(request, *args, **kwargs):
            with transaction.atomic():
                self.lock_object()
                _refuse_unless_current(if_match, self.current_etag)
                return handler(request, *args, **kwargs)

        setattr(self, name, checked)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        etag = getattr(exc, "etag", None)
        if isinstance(exc, PreconditionFailed) and etag:
            response["ETag"] = etag
        return response


class ConditionalRetrieveMixin(IfMatchMixin):
    """For viewsets: the ETag of the single object GET answers, and 304 for If-None-Match
    (core.api.schema documents it from `conditional_reads`); If-Match on every unsafe request
    (IfMatchMixin)."""

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

    @contextmanager
    def _as_retrieve(self):
        # An action's queryset and serializer may be shaped for it (a programme's recompute
        # reads the bare row): its object's ETag is the one GET answers, so read it as GET does.
        action = self.action
        self.action = "retrieve"
        try:
            yield
        finally:
            self.action = action

    def current_etag(self) -> str:
        with self._as_retrieve():
            instance = super().get_object()
            return representation_etag(self.get_serializer(instance).data)

    def lock_object(self) -> None:
        lookup = self.lookup_url_kwarg or self.lookup_field
        model = self.get_queryset().model
        # Locked alone (no joins or aggregates, which FOR UPDATE refuses), then read as usual.
        list(
            model._base_manager.select_for_update()
            .filter(**{self.lookup_field: self.kwargs[lookup]})
            .values_list("pk", flat=True)
        )

    def lock_and_check(self, request) -> None:
        """Lock the object's row, read it, and refuse the write (412) if If-Match names another
        version of it. Call inside a transaction."""
        if_match = _if_match(request)
        self.lock_object()
        instance = super().get_object()
        if if_match is not None:
            _refuse_unless_current(
                if_match, lambda: representation_etag(self.get_serializer(instance).data)
            )
        self._locked_object = instance


class ConditionalUpdateMixin(ConditionalRetrieveMixin):
    """PUT and PATCH honour If-Match and answer the new ETag (with UpdateModelMixin)."""

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            self.lock_and_check(request)
            response = super().update(request, *args, **kwargs)
        response["ETag"] = representation_etag(response.data)
        return response


class ConditionalDestroyMixin(ConditionalRetrieveMixin):
    """DELETE honours If-Match (with DestroyModelMixin), and takes no body: a key in one is a
    400 naming it, as the actions that take no body answer, not an option read past."""

    def destroy(self, request, *args, **kwargs):
        refuse_unknown_keys(request.data, taken=())
        with transaction.atomic():
            self.lock_and_check(request)
            return super().destroy(request, *args, **kwargs)


def created_location(view, pk) -> str:
    """The absolute URL of the object a viewset's create made (RFC 9110, 15.3.2: a 201 without
    Location names the request's target, the collection, as the resource created)."""
    return view.reverse_action("detail", kwargs={view.lookup_url_kwarg or view.lookup_field: pk})


def created_headers(request, viewset: type, *, basename: str, pk) -> dict[str, str]:
    """The Location and ETag of an object an action made in another viewset's collection (a
    suggestion's accept makes a link), as a POST to that collection answers them
    (ConditionalCreateMixin): its absolute URL, and the ETag its GET answers, the object read and
    represented by `viewset` (registered under `basename`) as its retrieve does. Called in the
    transaction that made it: read after the commit, a deletion meanwhile would answer a write
    that went through with a 404, and the client send it again. Empty if it is gone already."""
    view = viewset(
        request=request,
        args=(),
        kwargs={viewset.lookup_url_kwarg or viewset.lookup_field: pk},
        format_kwarg=None,
        action="retrieve",
        detail=True,
        basename=basename,
    )
    instance = view.get_queryset().filter(pk=pk).first()
    if instance is None:
        # Deleted already, with what it was made for (its course, by the same transaction's
        # caller): the 201 still says what was done, with nothing left to name.
        return {}
    return {
        "ETag": representation_etag(view.get_serializer(instance).data),
        "Location": created_location(view, pk),
    }


class ConditionalCreateMixin(ConditionalRetrieveMixin):
    """POST answers the new object's ETag and its URL in Location (with CreateModelMixin)."""

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response["ETag"] = representation_etag(response.data)
        response["Location"] = created_location(self, response.data["id"])
        return response


class ConditionalModelMixin(
    ConditionalCreateMixin, ConditionalUpdateMixin, ConditionalDestroyMixin
):
    """All of the above, for a ModelViewSet."""
