"""GET /api/v1/tasks/{id}/: the state and progress of a background task, whatever started it (a
recompute, an import, a suggestion run)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.selectors import task_status


class TaskProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField()


class TaskStatusSerializer(serializers.Serializer):
    id = serializers.CharField()
    state = serializers.CharField(
        help_text=_("PENDING (or unknown), STARTED, PROGRESS, SUCCESS, FAILURE or RETRY.")
    )
    progress = TaskProgressSerializer(allow_null=True)
    result = serializers.JSONField(help_text=_("The task's result once it succeeded, else null."))
    error = serializers.CharField(allow_null=True)


class TaskStatusView(APIView):
    """A task's id is a UUID the API gave out; reading its state follows the API's read rule
    (the default permission class: public unless API_REQUIRE_AUTH)."""

    @extend_schema(
        operation_id="tasks_retrieve",
        responses=TaskStatusSerializer,
        summary=_("State and progress of a background task"),
        description=_("Unknown ids answer PENDING: the queue cannot tell them from waiting ones."),
    )
    def get(self, request, task_id):
        return Response(TaskStatusSerializer(task_status(task_id=task_id)).data)
