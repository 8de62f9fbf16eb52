"""The import API: staff upload a framework file, get 202 and a job to poll; and the Moodle CSV
export of a framework."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import IsStaffUser, StaffModelPermissionsOrReadOnly
from positions.importers.jobs import (
    import_job_create,
    import_job_progress,
    import_max_upload_bytes,
    import_max_upload_mb,
)
from positions.importers.moodle import framework_moodle_csv
from positions.models import Framework, ImportFormat, ImportJob, Level


def import_job_list():
    """Jobs newest first, with the user who started each."""
    return ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")


class ImportJobCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("The file: JSON (CASE), CSV (Moodle) or zip."))
    format = serializers.ChoiceField(choices=ImportFormat.choices)
    min_level = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Level.objects.all(),
        required=False,
        help_text=_("ESCO: minimum level of requirements (default M)."),
    )

    def validate_file(self, value):
        if value.size > import_max_upload_bytes():
            raise serializers.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": import_max_upload_mb()}
            )
        return value


class ImportJobSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    progress = serializers.SerializerMethodField()
    stage = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "format",
            "source_name",
            "options",
            "status",
            "progress",
            "stage",
            "report",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job) -> int:
        return import_job_progress(job)["progress"]

    def get_stage(self, job) -> str:
        return import_job_progress(job)["stage"]


class ImportJobViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """POST a file to start an import (202 + job); GET a job for its status, progress and report."""

    permission_classes = [IsStaffUser]
    required_permissions = ("positions.add_importjob",)
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = ImportJobSerializer

    def get_queryset(self):
        return import_job_list()

    def get_serializer_class(self):
        return ImportJobCreateSerializer if self.action == "create" else ImportJobSerializer

    def create(self, request, *args, **kwargs):
        serializer = ImportJobCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        options = {"min_level": data["min_level"].code} if data.get("min_level") else {}
        try:
            job = import_job_create(
                format=data["format"],
                upload=data["file"],
                options=options,
                created_by=request.user,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        job.refresh_from_db()
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class FrameworkMoodleCsvView(APIView):
    """GET /api/v1/frameworks/{id}/moodle.csv: the framework in Moodle's import format."""

    permission_classes = [StaffModelPermissionsOrReadOnly]

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=_("Moodle CSV")),
            404: OpenApiResponse(description=_("No such framework.")),
        }
    )
    def get(self, request, pk: int):
        framework = get_object_or_404(Framework, pk=pk)
        response = HttpResponse(
            framework_moodle_csv(framework=framework), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="framework-{framework.pk}.csv"'
        return response
