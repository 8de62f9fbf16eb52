"""The demand side over /api/v1/: thin viewsets over positions.selectors and positions.services,
and the import jobs that bring frameworks in."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api.conditional import (
    ConditionalDestroyMixin,
    ConditionalModelMixin,
    ConditionalRetrieveMixin,
    ConditionalUpdateMixin,
    created_location,
    representation_etag,
)
from core.api.filters import (
    ChangedAtMixin,
    DocumentedQueryParametersMixin,
    refuse_repeated_fields,
)
from core.api.imports import (
    IMPORT_PARAMETERS,
    IMPORT_THROTTLES,
    import_flag,
    too_large_inside_the_request,
)
from core.api.permissions import IsStaffUser, require_permissions
from core.api.renderers import CSVRenderer, JSONRenderer
from core.api.schema import report_or_error
from core.api.throttling import JOB_THROTTLES
from core.api.views import accepted
from core.csv import UTF_8, reading_encoding
from core.downloads import content_disposition
from core.selectors import record_by_code
from core.spreadsheets import csv_only_refuse_binary, csv_only_text, spreadsheet_rows_past
from core.uploads import api_import_inline_rows
from positions import selectors, services
from positions.api import filters, serializers
from positions.importers import DRY_RUN, ENCODING, TOP_LEVEL_AREAS
from positions.importers.moodle import framework_moodle_csv
from positions.models import ImportFormat, Position


def import_job_accepted(
    request,
    *,
    format: str,
    upload,
    dry_run: bool,
    encoding: str = UTF_8,
    options: dict | None = None,
) -> Response:
    """An upload started as an import job of `format`, run as the requesting user (its records'
    history names them), its CSV read in `encoding`, with the import's `options` of its own:
    202 with the job, its status URL in Location."""
    job = services.import_job_create(
        format=format,
        upload=upload,
        options={
            **(options or {}),
            **({DRY_RUN: True} if dry_run else {}),
            **({ENCODING: encoding} if encoding != UTF_8 else {}),
        },
        created_by=request.user,
    )
    job.refresh_from_db()
    return accepted(
        request,
        serializers.ImportJobSerializer(job).data,
        status_url=reverse("import-job-detail", args=[job.pk]),
    )


class TrackViewSet(
    DocumentedQueryParametersMixin, ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = serializers.TrackSerializer
    filterset_class = filters.TrackFilter
    ordering_fields = ["name", "order", "id"]

    def get_queryset(self):
        return selectors.track_list()


class CompetencyAreaViewSet(
    DocumentedQueryParametersMixin, ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = serializers.CompetencyAreaSerializer
    ordering_fields = ["code", "name", "order", "id"]
    filterset_class = filters.CompetencyAreaFilter

    def get_queryset(self):
        return selectors.competency_area_list()


class FrameworkViewSet(
    DocumentedQueryParametersMixin, ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = serializers.FrameworkSerializer
    filterset_class = filters.FrameworkFilter
    ordering_fields = ["name", "version", "id"]

    def get_queryset(self):
        return selectors.framework_list()

    @extend_schema(
        summary=_("The framework in Moodle's competency framework CSV format"),
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=_("Moodle CSV")),
            404: OpenApiResponse(description=_("No such framework.")),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def moodle(self, request, *args, **kwargs):
        framework = self.get_object()
        response = HttpResponse(
            framework_moodle_csv(framework=framework), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = content_disposition(
            label=framework.name, suffix=".csv", fallback=f"framework-{framework.pk}"
        )
        return response


class AbilityViewSet(
    DocumentedQueryParametersMixin, ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = serializers.AbilitySerializer
    ordering_fields = ["code", "order", "id"]
    filterset_class = filters.AbilityFilter

    def get_queryset(self):
        return selectors.ability_list()


class AbilityRelationViewSet(
    DocumentedQueryParametersMixin,
    ConditionalUpdateMixin,
    ConditionalDestroyMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Relations between abilities, imported (CASE associations) or made by staff: crosswalk
    links one by one (POST) or many at once from a CSV (POST import-csv/, all or nothing; with
    dry_run and background as every import takes them), corrected (PUT, PATCH) or removed
    (DELETE) one by one, If-Match honoured, as the other writable resources are."""

    serializer_class = serializers.AbilityRelationSerializer
    ordering_fields = ["relation_type", "id"]
    filterset_class = filters.AbilityRelationFilter

    def get_queryset(self):
        return selectors.ability_relation_list()

    def get_serializer_class(self):
        if self.action == "create":
            return serializers.AbilityRelationCreateSerializer
        if self.action == "import_csv":
            return serializers.CrosswalkCsvSerializer
        return serializers.AbilityRelationSerializer

    @extend_schema(responses={201: serializers.AbilityRelationSerializer})
    def create(self, request, *args, **kwargs):
        serializer = serializers.AbilityRelationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        relation = services.ability_relation_create(**serializer.validated_data)
        data = serializers.AbilityRelationSerializer(relation).data
        headers = {
            "ETag": representation_etag(data),
            "Location": created_location(self, relation.pk),
        }
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    def perform_update(self, serializer):
        serializer.instance = services.ability_relation_update(
            relation=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.ability_relation_delete(relation=instance)

    @extend_schema(
        summary=_("Import crosswalk links from a CSV, all or nothing"),
        request={"multipart/form-data": serializers.CrosswalkCsvSerializer},
        parameters=IMPORT_PARAMETERS,
        responses={
            200: OpenApiResponse(
                serializers.CrosswalkCsvResultSerializer,
                description=_(
                    "Counts of relations created and unchanged (with dry_run, that the import "
                    "would create; nothing was written)."
                ),
            ),
            202: OpenApiResponse(
                serializers.ImportJobSerializer,
                description=_(
                    "With background: the import job, started; Location is its status URL, "
                    "GET /api/v1/imports/{id}/ (which takes the view_importjob permission)."
                ),
            ),
            400: OpenApiResponse(
                report_or_error("CrosswalkCsvResult"),
                description=_(
                    "Problems by line (the report, `ok` false), or with the file as a whole (on "
                    "`file`); nothing was written."
                ),
            ),
            # With background only: the job is refused, nothing stored (core.queue).
            503: OpenApiResponse(description=_("The task queue is unreachable.")),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import-csv",
        parser_classes=[MultiPartParser],
        throttle_classes=IMPORT_THROTTLES,
        filterset_class=None,
        pagination_class=None,
    )
    def import_csv(self, request, *args, **kwargs):
        serializer = serializers.CrosswalkCsvSerializer(data=request.data)
        refuse_repeated_fields(request.data, serializer)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        encoding = serializer.validated_data["encoding"]
        dry_run = import_flag(request, "dry_run")
        if import_flag(request, "background"):
            # Refused now, in the words the import inside the request uses, not queued to fail.
            csv_only_refuse_binary(upload.read(16))
            upload.seek(0)
            return import_job_accepted(
                request,
                format=ImportFormat.RELATIONS,
                upload=upload,
                dry_run=dry_run,
                encoding=encoding,
            )
        # Counted first, without parsing it: a million blank lines kept a web worker 11 s.
        limit = api_import_inline_rows()
        if spreadsheet_rows_past(upload, kind="csv", rows=limit):
            raise too_large_inside_the_request(limit)
        with reading_encoding(encoding):
            text = csv_only_text(upload.read())
        try:
            result = services.crosswalk_import_csv(
                text=text, source_name=upload.name, user=request.user, dry_run=dry_run
            )
        except services.CrosswalkRefused as refused:
            if refused.report is None:  # the file as a whole: the error body, on `file`
                raise
            return Response(refused.report.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        return Response(result.as_dict())


class LevelViewSet(
    DocumentedQueryParametersMixin, ConditionalRetrieveMixin, viewsets.ReadOnlyModelViewSet
):
    """The depth scale, addressed by code: /api/v1/levels/M/."""

    serializer_class = serializers.LevelSerializer
    filterset_class = filters.LevelFilter
    ordering_fields = ["rank", "code"]
    lookup_field = "code"
    lookup_value_regex = r"[^/]{1,8}"

    def get_queryset(self):
        return selectors.level_list()

    def get_object(self):
        # A code in any case, as the level filters and writes read one (`m` is M): the exact
        # code first, else the one level it names case-insensitively.
        try:
            return super().get_object()
        except Http404:
            named = record_by_code(self.get_queryset(), self.kwargs[self.lookup_field])
            if named is None:
                raise
            self.kwargs[self.lookup_field] = named.code
            return super().get_object()


class PositionViewSet(
    DocumentedQueryParametersMixin, ChangedAtMixin, ConditionalModelMixin, viewsets.ModelViewSet
):
    """Positions with their placements, each a track and degree level with the title listed
    there, as Table I places the paper's (writable, replaced as a whole when given), and their
    requirements (read here; written through requirements/)."""

    serializer_class = serializers.PositionSerializer
    # The DELETE goes through core.services.record_delete: its 409 is in the schema.
    deletion_conflicts = True
    filterset_class = filters.PositionFilter
    ordering_fields = ["name", "order", "id"]

    changed_at = selectors.POSITION_CHANGED

    def get_queryset(self):
        return self.with_changed_at(selectors.position_list())

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and not self.page_changed_at():
            # One query for the whole page's requirements, as plain rows.
            selectors.position_requirements_attach(positions=page)
        return page

    def attach_changed_at(self, page) -> None:
        # The requirements too: they give the update time the abilities it shows.
        selectors.position_page_attach(positions=page)

    def _reread(self, serializer, position):
        # Re-read through the selector so the answer carries requirements_defined and friends.
        serializer.instance = self.get_queryset().get(pk=position.pk)

    def _check_placements_permissions(self, position: Position | None, data: dict) -> None:
        """A position's Table I placements are rows with permissions of their own:
        change_position alone does not let an account add, remove or retitle them."""
        needed = selectors.position_placements_permissions(
            position=position,
            placements=data.get("placements"),
            name=data.get("name") or (position.name if position is not None else ""),
        )
        require_permissions(
            self.request.user,
            needed,
            _(
                "Your account may not add, remove or change a position's placements, as "
                "asked: it lacks %(permissions)s."
            ),
        )

    def perform_create(self, serializer):
        self._check_placements_permissions(None, serializer.validated_data)
        position = services.position_create(**serializer.validated_data)
        self._reread(serializer, position)

    def perform_update(self, serializer):
        self._check_placements_permissions(serializer.instance, serializer.validated_data)
        position = services.position_update(
            position=serializer.instance, **serializer.validated_data
        )
        self._reread(serializer, position)

    def perform_destroy(self, instance):
        services.position_delete(position=instance)


class RequirementViewSet(
    DocumentedQueryParametersMixin,
    ConditionalModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """A position requires an ability at a minimum level (a level code such as "M")."""

    serializer_class = serializers.RequirementSerializer
    filterset_class = filters.RequirementFilter
    ordering_fields = ["position", "ability", "order", "id"]

    def get_queryset(self):
        return selectors.requirement_list()

    def perform_create(self, serializer):
        serializer.instance = services.requirement_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.requirement_update(
            requirement=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.requirement_delete(requirement=instance)


class ImportJobViewSet(
    DocumentedQueryParametersMixin,
    ConditionalRetrieveMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """POST a file to start an import (202 + job); GET a job for its status, progress and report,
    with the ETag of all of it: a client polling sends it back and is answered 304 until one
    of them (or the live progress) changes."""

    permission_classes = [IsStaffUser]
    # Jobs name files and uploaders and carry reports: as the admin, reading needs view_importjob.
    # Starting one needs add_importjob, and the service checks what the format writes.
    read_permissions = ("positions.view_importjob",)
    required_permissions = ("positions.add_importjob",)
    # The one upload of the API: a file, so multipart (and only multipart).
    parser_classes = [MultiPartParser]
    serializer_class = serializers.ImportJobSerializer
    ordering_fields = ["created_at", "id"]

    def get_throttles(self):
        # Starting an import counts against the user's jobs; reading them does not.
        return [
            throttle()
            for throttle in (JOB_THROTTLES if self.action == "create" else self.throttle_classes)
        ]

    def get_queryset(self):
        return selectors.import_job_list()

    def get_serializer_class(self):
        return (
            serializers.ImportJobCreateSerializer
            if self.action == "create"
            else serializers.ImportJobSerializer
        )

    @extend_schema(
        summary=_("Start an import: upload a framework file"),
        request={"multipart/form-data": serializers.ImportJobCreateSerializer},
        responses={
            202: serializers.ImportJobSerializer,
            503: OpenApiResponse(description=_("The task queue is unreachable.")),
        },
        description=_(
            "Answers 202 with the job at once; the import runs in the background. Poll "
            "GET /imports/{id}/ for its status, progress and report."
        ),
    )
    def create(self, request, *args, **kwargs):
        serializer = serializers.ImportJobCreateSerializer(data=request.data)
        refuse_repeated_fields(request.data, serializer)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        options = {"min_level": data["min_level"].code} if data.get("min_level") else {}
        if data["top_level_areas"]:
            options[TOP_LEVEL_AREAS] = True
        if data["dry_run"]:
            options[DRY_RUN] = True
        if data["encoding"] != UTF_8:
            options[ENCODING] = data["encoding"]
        job = services.import_job_create(
            format=data["format"], upload=data["file"], options=options, created_by=request.user
        )
        job.refresh_from_db()
        return accepted(
            request,
            serializers.ImportJobSerializer(job).data,
            status_url=reverse("import-job-detail", args=[job.pk]),
        )
