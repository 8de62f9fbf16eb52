"""The audit API: who changed what and when, for links, requirements, positions, courses and
programmes (and the records that make them up), with the state before and after; and a revert.

GET  /api/v1/history/?model=courseability&object_id=5   newest first, paginated
GET  /api/v1/history/{model}/{history_id}/
POST /api/v1/history/{model}/{history_id}/revert/       undo that one change

Plain API views rather than a viewset: a change is addressed by two keys (the model and the
history id), which a router's single lookup cannot express.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from audit.api.serializers import (
    ChangeSerializer,
    DeletionQuerySerializer,
    DeletionSerializer,
    HistoryQuerySerializer,
)
from audit.selectors import (
    AUDITED_MODELS,
    change_references_attach,
    deletion_list,
    history_changes,
    history_model,
    history_records,
)
from audit.services import history_revert
from core.api.conditional import IfMatchMixin, etag_matches, representation_etag
from core.api.filters import (
    MAX_ID,
    DocumentedQueryParametersMixin,
    record_sync_watermark,
    refuse_repeated,
)
from core.api.pagination import ReadFirstPagination
from core.api.permissions import IsStaffUser, require_cascade_delete
from core.api.serializers import refuse_unknown_keys
from core.joins import joined_fields, may_move, move_refusal
from curricula.models import CourseAbility
from suggestions.api.views import suggestions_readable

MODEL_DESCRIPTION = _("The audited model's name; any other is a 400 naming the field.")
UNKNOWN_MODEL = OpenApiResponse(description=_("No audited model has that name."))


def _model_parameter(location: str) -> OpenApiParameter:
    return OpenApiParameter(
        "model",
        str,
        location,
        required=True,
        enum=sorted(AUDITED_MODELS),
        description=MODEL_DESCRIPTION,
    )


class _HistoryView(DocumentedQueryParametersMixin, GenericAPIView):
    """Staff only, and only with the model's view permission (change, to revert)."""

    permission_classes = [IsStaffUser]
    serializer_class = ChangeSerializer
    required_action = "view"

    def get_queryset(self):
        # For schema generation and DRF's introspection; the views pick the model per request.
        return CourseAbility.history.none()

    def audited_model(self, name: str) -> type[models.Model]:
        model = history_model(name)
        self.check_model_permission(model, self.required_action)
        return model

    def check_model_permission(self, model: type[models.Model], action: str) -> None:
        codename = f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        if not self.request.user.has_perm(codename):
            raise exceptions.PermissionDenied(
                _("You need the permission to %(action)s %(model)s records.")
                % {"action": action, "model": model._meta.verbose_name}
            )

    def check_not_moved(self, model: type[models.Model], history_id: int) -> None:
        """Undoing a change of which records a row joins (a link's course) moves it back: for
        who may add and delete such rows (core.joins), as the change itself was."""
        record = model.history.get(history_id=history_id)
        (change,) = history_changes(model=model, records=[record])
        joined = joined_fields(model)
        moved = [item["field"] for item in change.changes if item["field"] in joined]
        if moved:
            raise exceptions.PermissionDenied(move_refusal(model, moved))


def _query(serializer_class, params, names) -> dict:
    """The query string's `names` read by `serializer_class`: each given once, a blank value
    taken as not given (as the list filters take one), a bad one a 400 naming it."""
    refuse_repeated(params, names)
    serializer = serializer_class(data={name: params[name] for name in names if params.get(name)})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class HistoryListView(_HistoryView):
    """GET /api/v1/history/?model=...&object_id=...&since=...: the changes, newest first (or
    oldest first, ?ordering=date). Its Sync-Watermark is the `since` a replay resumes from: a
    change a long transaction commits late is dated before changes read meanwhile."""

    sync_watermark = True

    blank_query_parameters = ("object_id", "since", "ordering")  # blank: not given

    @extend_schema(
        parameters=[
            _model_parameter(OpenApiParameter.QUERY),
            OpenApiParameter(
                "object_id", OpenApiTypes.INT, description=_("Only this object's changes.")
            ),
            HistoryQuerySerializer,
        ],
        responses={200: ChangeSerializer(many=True)},
    )
    def get(self, request):
        refuse_repeated(request.query_params, ("model", "object_id"))
        model = self.audited_model(request.query_params.get("model", ""))
        raw_id = request.query_params.get("object_id")
        object_id = None
        if raw_id:
            field = serializers.IntegerField(min_value=1, max_value=MAX_ID)
            try:
                object_id = field.run_validation(raw_id)
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"object_id": error.detail}) from error
        query = _query(HistoryQuerySerializer, request.query_params, ("since", "ordering"))
        record_sync_watermark(request, since=query.get("since"))
        records = history_records(
            model=model,
            object_id=object_id,
            since=query.get("since"),
            oldest_first=query["ordering"] == "date",
        )
        # The filter backends filter nothing here; they refuse a parameter the list does not
        # take, as every list's do (core.api.filters.KnownQueryParametersFilter).
        records = self.paginate_queryset(self.filter_queryset(records))
        changes = history_changes(model=model, records=list(records))
        change_references_attach(changes=changes, user=request.user)
        serializer = ChangeSerializer(changes, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)


class DeletionListView(DocumentedQueryParametersMixin, GenericAPIView):
    """GET /api/v1/deletions/?since=...&resource=...: which records of the lists a client syncs
    were deleted since its last sync, oldest first, readable by whoever may read the lists (an
    id and a time, nothing of the record). A sync pages by its last row (`since` its
    deleted_at, `after_resource` and `after_id`), as it pages the lists by `after_id`: page
    numbers shift when a deletion on an earlier page is undone meanwhile. Its Sync-Watermark
    (core.selectors.sync_watermark) is the `since` of the next sync. The review queue's
    suggestions are listed to those who may read them (staff who may add the links, or the
    requirements, accepting them makes), as their lists are; a pending one that left its list
    without being deleted (its pair linked or required by hand, its ability retired) is listed
    as of when it left (audit.selectors.deletion_list)."""

    serializer_class = DeletionSerializer
    pagination_class = ReadFirstPagination
    sync_watermark = True
    blank_query_parameters = ("since", "resource", "after_resource", "after_id")

    def get_queryset(self):
        # For DRF's introspection; the view reads its rows from deletion_list.
        return CourseAbility.history.none()

    @extend_schema(
        parameters=[DeletionQuerySerializer], responses={200: DeletionSerializer(many=True)}
    )
    def get(self, request):
        query = _query(DeletionQuerySerializer, request.query_params, self.blank_query_parameters)
        after_resource, after_id = query.pop("after_resource", None), query.pop("after_id", None)
        after = (after_resource, after_id) if after_id is not None else None
        record_sync_watermark(request, since=query.get("since"))
        courses, positions = suggestions_readable(request.user)
        kinds = {for_course for for_course, may in ((True, courses), (False, positions)) if may}
        deleted = deletion_list(**query, after=after, suggestions_of=kinds)
        page = self.paginate_queryset(self.filter_queryset(deleted))
        return self.get_paginated_response(DeletionSerializer(page, many=True).data)


def _change_data(view: _HistoryView, model: str, history_id: int) -> dict:
    """One change as GET /api/v1/history/{model}/{history_id}/ answers it (404 if none)."""
    audited = view.audited_model(model)
    record = history_records(model=audited).filter(history_id=history_id).first()
    if record is None:
        raise exceptions.NotFound()
    (change,) = history_changes(model=audited, records=[record])
    change_references_attach(changes=[change], user=view.request.user)
    return ChangeSerializer(change, context={"request": view.request}).data


class HistoryDetailView(_HistoryView):
    """GET /api/v1/history/{model}/{history_id}/: one change, with its ETag (the If-Match a
    revert of it may send)."""

    conditional_reads = True

    @extend_schema(
        parameters=[_model_parameter(OpenApiParameter.PATH)],
        responses={200: ChangeSerializer, 400: UNKNOWN_MODEL},
    )
    def get(self, request, model: str, history_id: int):
        data = _change_data(self, model, history_id)
        etag = representation_etag(data)
        if etag_matches(request.headers.get("If-None-Match"), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})


class HistoryRevertView(IfMatchMixin, _HistoryView):
    """POST /api/v1/history/{model}/{history_id}/revert/: undo that change; answers the new
    record (the revert's own). A revert that would change nothing (done already) is a 409
    writing nothing, as the map's undo of a set undone already is. With If-Match, only if the
    change is still as its GET answered it (IfMatchMixin)."""

    required_action = "change"

    def addresses_one_object(self) -> bool:
        return True

    def current_etag(self) -> str:
        return representation_etag(
            _change_data(self, self.kwargs["model"], self.kwargs["history_id"])
        )

    def lock_object(self) -> None:
        audited = self.audited_model(self.kwargs["model"])
        list(
            audited.history.select_for_update()
            .filter(history_id=self.kwargs["history_id"])
            .values_list("history_id", flat=True)
        )

    @extend_schema(
        request=None,
        parameters=[_model_parameter(OpenApiParameter.PATH)],
        responses={
            200: ChangeSerializer,
            400: OpenApiResponse(
                description=_(
                    "The earlier state is no longer valid, or no audited model has that name."
                )
            ),
            409: OpenApiResponse(
                description=_(
                    "The object is gone, or back, or already as it was before the change "
                    "(reverted already, or changed back since): nothing is written."
                )
            ),
        },
    )
    def post(self, request, model: str, history_id: int):
        audited = self.audited_model(model)
        refuse_unknown_keys(request.data, taken=())
        found = (
            audited.history.filter(history_id=history_id).values_list("history_type", "id").first()
        )
        if found is None:
            raise exceptions.NotFound()
        history_type, object_id = found
        # Undoing a creation deletes; undoing a deletion adds.
        extra = {"+": "delete", "-": "add"}.get(history_type)
        if extra:
            self.check_model_permission(audited, extra)
        elif history_type == "~" and not may_move(request.user, audited):
            self.check_not_moved(audited, history_id)
        if history_type == "+":
            # The deletion takes the rows depending on the object with it, as DELETE would.
            current = audited.objects.filter(pk=object_id).first()
            if current is not None:
                require_cascade_delete(request, current)
        change = history_revert(model=audited, history_id=history_id, user=request.user)
        change_references_attach(changes=[change], user=request.user)
        return Response(ChangeSerializer(change, context={"request": request}).data)
