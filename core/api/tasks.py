"""GET /api/v1/tasks/{id}/: the state and progress of a background task, whatever started it (a
recompute, a suggestion run), for staff only."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.status import HTTP_304_NOT_MODIFIED
from rest_framework.views import APIView

from core.api.conditional import etag_matches, representation_etag
from core.api.filters import DocumentedQueryParametersMixin
from core.api.permissions import IsStaffUser
from core.selectors import TASK_UNKNOWN, task_status


class TaskProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class TaskStatusSerializer(serializers.Serializer):
    id = serializers.CharField()
    state = serializers.CharField(
        help_text=_(
            "SENT (waiting for a worker), STARTED, PROGRESS, SUCCESS, FAILURE, RETRY or REVOKED."
        )
    )
    progress = TaskProgressSerializer(allow_null=True)
    result = serializers.JSONField(help_text=_("The task's result once it succeeded, else null."))
    error = serializers.CharField(allow_null=True)


class TaskStatusView(DocumentedQueryParametersMixin, APIView):
    """A task's id is a UUID the API gave out. Its state and result are staff's, whatever
    API_REQUIRE_AUTH says: an id is no secret (it is in a log, in the address of a review page
    following its job, in a browser's history), and every door that starts a task needs a staff
    account, so its starter can follow it. Anonymous callers are asked for credentials (401)."""

    permission_classes = [IsStaffUser]
    # The ETag of everything the status says (state, progress, result, error), read from the
    # result backend each time: it changes exactly when a poll would see something new.
    conditional_reads = True

    @extend_schema(
        operation_id="tasks_retrieve",
        responses={
            200: TaskStatusSerializer,
            404: OpenApiResponse(description=_("Unknown id.")),
            503: OpenApiResponse(description=_("The task queue is unreachable.")),
        },
        summary=_("State and progress of a background task"),
        description=_(
            "An id the API never gave out, or whose result has expired (a day after the task "
            "ended), answers 404."
        ),
    )
    def get(self, request, task_id):
        status = task_status(task_id=task_id)
        if status["state"] == TASK_UNKNOWN:
            raise NotFound(
                _("No task has this id: it was never started, or its result has expired.")
            )
        data = TaskStatusSerializer(status).data
        etag = representation_etag(data)
        if etag_matches(request.headers.get("If-None-Match"), etag):
            return Response(status=HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})
