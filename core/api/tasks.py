"""GET /api/v1/tasks/{id}/: the state and progress of a background task, whatever started it (a
recompute, a suggestion run), for its starter (and staff who may do what it does)."""

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
from core.jobs import task_status_for
from core.selectors import TASK_UNKNOWN


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
    """A task's id is a UUID the API gave out. Its state and result are its starter's, whatever
    API_REQUIRE_AUTH says: an id is no secret (it is in a log, in the address of a review page
    following its job, in a browser's history). Readable by the user who started it, a
    superuser, or staff holding the permissions its operation needs (core.jobs); to anyone
    else it is a 404, as an unknown id, so that an id is not confirmed to exist. Anonymous
    callers are asked for credentials (401), accounts that are not staff refused (403)."""

    permission_classes = [IsStaffUser]
    # The ETag of everything the status says (state, progress, result, error), read from the
    # result backend each time: it changes exactly when a poll would see something new.
    conditional_reads = True

    @extend_schema(
        operation_id="tasks_retrieve",
        responses={
            200: TaskStatusSerializer,
            404: OpenApiResponse(
                description=_(
                    "Unknown id, or a task you did not start and whose operation you may not do."
                )
            ),
            503: OpenApiResponse(description=_("The task queue is unreachable.")),
        },
        summary=_("State and progress of a background task"),
        description=_(
            "Readable by the user who started the task, a superuser, or staff holding the "
            "permission its operation needs (recompute: change_programme; generation: "
            "add_courseability for courses, add_requirement for positions). An id the API "
            "never gave out, whose result has expired (a day after the task ended), or that "
            "this user may not read answers 404."
        ),
    )
    def get(self, request, task_id):
        unknown = NotFound(
            _("No task has this id: it was never started, or its result has expired.")
        )
        # A task this user may not read is the same 404 as an unknown one, in the same words,
        # whether or not it exists (core.jobs.task_status_for, as the pages following a job).
        status = task_status_for(task_id=task_id, user=request.user)
        if status["state"] == TASK_UNKNOWN:
            raise unknown
        data = TaskStatusSerializer(status).data
        etag = representation_etag(data)
        if etag_matches(request.headers.get("If-None-Match"), etag):
            return Response(status=HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(data, headers={"ETag": etag})
