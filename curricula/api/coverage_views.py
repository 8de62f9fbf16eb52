"""Coverage endpoints: a programme's report, a staff-triggered recompute, and task status."""

from celery.result import AsyncResult
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from competency_site.celery import app as celery_app
from core.api.permissions import IsStaffUser, StaffModelPermissionsOrReadOnly
from curricula.api.coverage_serializers import (
    CoverageReportSerializer,
    RecomputeAcceptedSerializer,
    TaskStatusSerializer,
)
from curricula.coverage.selectors import coverage_report_detail
from curricula.coverage.services import CoverageQueueUnavailable, coverage_request_recompute
from curricula.models import Programme


class ReadOnlyAPIView(APIView):
    # Reads follow the API's rule (public unless API_REQUIRE_AUTH); no model behind them.
    permission_classes = [StaffModelPermissionsOrReadOnly]
    queryset = Programme.objects.none()


class ProgrammeCoverageView(ReadOnlyAPIView):
    @extend_schema(
        operation_id="programs_coverage",
        responses=CoverageReportSerializer,
        summary=_("The programme's coverage report"),
        description=_(
            "Every target position's requirements with their status (covered, partial, "
            "missing), best level and contributing courses; figures per position, per "
            "competency area and for the programme; courses that build nothing required. "
            "`state` says whether the stored report is current (fresh) or being recomputed."
        ),
    )
    def get(self, request, pk: int):
        programme = get_object_or_404(Programme, pk=pk)
        return Response(CoverageReportSerializer(coverage_report_detail(programme=programme)).data)


class ProgrammeRecomputeView(APIView):
    permission_classes = [IsStaffUser]
    required_permissions = ("curricula.change_programme",)

    @extend_schema(
        operation_id="programs_recompute",
        request=None,
        responses={
            202: RecomputeAcceptedSerializer,
            503: OpenApiResponse(description=_("The task queue is unreachable.")),
        },
        summary=_("Recompute the programme's coverage report"),
    )
    def post(self, request, pk: int):
        programme = get_object_or_404(Programme, pk=pk)
        try:
            task_id = coverage_request_recompute(programme=programme)
        except CoverageQueueUnavailable:
            return Response(
                {
                    "detail": _(
                        "The task queue is unreachable. The report stays marked stale and "
                        "the periodic sweep will recompute it."
                    )
                },
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        body = {
            "program": programme.pk,
            "task_id": task_id,
            "status_url": reverse("coverage-task", args=[task_id]),
        }
        return Response(RecomputeAcceptedSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class TaskStatusView(ReadOnlyAPIView):
    @extend_schema(
        operation_id="tasks_retrieve",
        responses=TaskStatusSerializer,
        summary=_("State and progress of a background task"),
        description=_("Unknown ids answer PENDING: the queue cannot tell them from waiting ones."),
    )
    def get(self, request, task_id):
        result = AsyncResult(str(task_id), app=celery_app)
        state, info = result.state, result.info
        progress = None
        if state == "PROGRESS" and isinstance(info, dict):
            progress = {"done": info.get("done", 0), "total": info.get("total", 0)}
        body = {
            "id": str(task_id),
            "state": state,
            "progress": progress,
            "result": info if state == "SUCCESS" else None,
            # The exception's text only: tracebacks stay in the worker's log.
            "error": str(info) if state == "FAILURE" else None,
        }
        return Response(TaskStatusSerializer(body).data)
