"""The supply side over /api/v1/: thin viewsets over curricula's selectors and services.

A programme's coverage report, recompute, what-if and recommendations are actions of
ProgrammeViewSet; certifications are served here because their directions are programmes."""

import functools

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from certifications.models import Certification
from certifications.selectors import certification_list
from core.api.conditional import (
    ConditionalCreateMixin,
    ConditionalDestroyMixin,
    ConditionalModelMixin,
    ConditionalRetrieveMixin,
    ConditionalUpdateMixin,
)
from core.api.exceptions import ServiceUnavailable
from core.api.filters import (
    ChangedAtMixin,
    DocumentedQueryParametersMixin,
    refuse_repeated,
    refuse_repeated_fields,
    refuse_unknown_query_parameters,
)
from core.api.imports import (
    ENCODING_PROPERTY,
    IMPORT_PARAMETERS,
    IMPORT_THROTTLES,
    import_encoding,
    import_flag,
    too_large_inside_the_request,
)
from core.api.pagination import KnownCount, StandardPagination, page_parameters
from core.api.permissions import IsStaffUser, reads_are_public, require_permissions
from core.api.renderers import CSVRenderer, JSONRenderer, XLSXRenderer
from core.api.schema import ERROR_COMPONENT, report_or_error
from core.api.serializers import refuse_unknown_keys
from core.api.throttling import JOB_THROTTLES
from core.api.views import accepted
from core.csv import csv_response, reading_encoding
from core.downloads import content_disposition
from core.i18n import join_list, join_sentences
from core.spreadsheets import spreadsheet_rows_past
from core.uploads import api_import_inline_rows, upload_content, upload_size_problem
from core.xlsx import XLSX_CONTENT_TYPE
from curricula import services
from curricula.api import filters, serializers
from curricula.api.comparison_serializers import ComparisonQuerySerializer, ComparisonSerializer
from curricula.api.coverage_serializers import CoverageReportSerializer, RecomputeAcceptedSerializer
from curricula.api.decision_serializers import RecommendationsSerializer, WhatIfSerializer
from curricula.api.progression_serializers import (
    CertificationReadinessSerializer,
    ProgressionSerializer,
)
from curricula.coverage.selectors import coverage_report_detail
from curricula.coverage.services import (
    RECOMPUTE_PERMISSION,
    CoverageQueueUnavailable,
    coverage_request_recompute,
)
from curricula.decisions import requests
from curricula.decisions import selectors as decision_selectors
from curricula.decisions import services as decision_services
from curricula.exports import programme_workbook_for, workbook_disposition
from curricula.import_jobs import PROGRAMME_OPTION
from curricula.map_imports import map_import_too_large
from curricula.models import Programme
from curricula.permissions import PERMISSION_NEEDS as MAP_PERMISSION_NEEDS
from curricula.permissions import can_edit_map, programme_import_refused
from curricula.progression.selectors import programme_progression
from curricula.resources import TERM_FORMS, term_pair_rule
from curricula.selectors import catalogue as catalogue_selectors
from curricula.selectors import comparisons as comparison_selectors
from curricula.selectors import maps as map_selectors
from curricula.selectors import programmes as programme_selectors
from curricula.selectors.certifications import (
    CERTIFICATION_CHANGED,
    certifications_with_directions,
)
from curricula.selectors.readiness import programme_certification_readiness
from positions.api.serializers import ImportJobSerializer
from positions.api.views import RequirementViewSet, import_job_accepted
from positions.importers import import_permissions
from positions.models import ImportFormat

CSV_RESPONSE = {
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="A CSV file with a header.")
}


class CanImportCourses(IsStaffUser):
    """An import adds and changes courses: it takes the permissions to do both by hand."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perms(
            ("curricula.add_course", "curricula.change_course")
        )


IMPORT_REQUEST = {
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "dry_run": {"type": "boolean"},
            "background": {"type": "boolean"},
            "encoding": ENCODING_PROPERTY,
        },
        "required": ["file"],
    }
}
# What an upload's form may hold, as its schema says: any other key is a 400.
IMPORT_KEYS = tuple(IMPORT_REQUEST["multipart/form-data"]["properties"])


def _programme_description() -> str:
    """The catalogue import's programme field, in the reader's language: the term forms it reads
    (TERM_FORMS) and how a term column reads 1-2 (term_pair_rule), from what the admin form's
    help says them with, so that the two say the same."""
    return join_sentences(
        [
            gettext(
                "A programme's id: the file's courses are also put in it (those it teaches keep "
                "their place, the others follow in the file's order) and the file's term column "
                "(term, semester, 开课学期, 学期) sets their terms in it, in any of the forms "
                "%(forms)s (each is term 3), or without one, columns of one term each (第1学期 … "
                "第8学期, 1上 … 4下, Semester 1 … 8), headed in the same forms: a course's term is "
                "the first whose cell is not blank (0 and - are)."
            )
            % {"forms": join_list(TERM_FORMS)},
            term_pair_rule(),
            gettext("Takes the permissions to change the programme and its courses."),
        ]
    )


# The catalogue's import may name a programme to import it into, by its id (as programs/{id}/).
COURSE_IMPORT_REQUEST = {
    "multipart/form-data": {
        **IMPORT_REQUEST["multipart/form-data"],
        "properties": {
            **IMPORT_REQUEST["multipart/form-data"]["properties"],
            "programme": {
                "type": "integer",
                "description": lazy(_programme_description, str)(),
            },
        },
    }
}
COURSE_IMPORT_KEYS = tuple(COURSE_IMPORT_REQUEST["multipart/form-data"]["properties"])
CATALOGUE_IMPORT_COMPONENT = "CatalogueImport"
IMPORT_RESPONSES = {
    200: OpenApiResponse(
        serializers.CatalogueImportSerializer,
        description=_("Imported (or checked, with dry_run)."),
    ),
    202: OpenApiResponse(
        ImportJobSerializer,
        description=_(
            "With background: the import job, started; Location is its status URL, "
            "GET /api/v1/imports/{id}/ (which takes the view_importjob permission)."
        ),
    ),
    # Problems by line come in the report; one with the file as a whole (a missing column, a
    # file that is no workbook) as the API's error body, on `file`.
    400: OpenApiResponse(
        {
            "oneOf": [
                {"$ref": f"#/components/schemas/{CATALOGUE_IMPORT_COMPONENT}"},
                {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"},
            ]
        },
        description=_(
            "Problems by line (the report, `ok` false), or with the file as a whole (on "
            "`file`); nothing was written."
        ),
    ),
    # With background only: the job is refused, nothing stored (core.queue).
    503: OpenApiResponse(description=_("The task queue is unreachable.")),
}


COURSE_IMPORT_RESPONSES = {
    **IMPORT_RESPONSES,
    200: OpenApiResponse(
        serializers.CourseCatalogueImportSerializer,
        description=_("Imported (or checked, with dry_run)."),
    ),
    400: OpenApiResponse(
        report_or_error("CourseCatalogueImport"),
        description=IMPORT_RESPONSES[400].description,
    ),
}


def _import_upload(
    request,
    service,
    background_format: str,
    *,
    keys: tuple[str, ...] = IMPORT_KEYS,
    job_options: dict | None = None,
):
    """Run an all-or-nothing import service on the request's `file`: 200 with the counts, or
    400 with the problems by line. With `background`, start an import job of
    `background_format` instead (with `job_options` for its import): 202 with the job, its
    status URL in Location. The form may hold `keys`."""
    refuse_unknown_keys(request.data, taken=keys)
    refuse_unknown_query_parameters(
        request.query_params, taken=[parameter.name for parameter in IMPORT_PARAMETERS]
    )
    # request.FILES.get keeps the last of two files: the other was never imported, unsaid.
    refuse_repeated(request.data, ("file", "encoding"))
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": _("Attach the file as `file`.")})
    dry_run = import_flag(request, "dry_run")
    encoding = import_encoding(request)
    if import_flag(request, "background"):
        problem = upload_size_problem(upload)
        if problem:
            raise ValidationError({"file": problem})
        # Refused now, in the words the import inside the request uses, not queued to fail.
        services.catalogue_kind(upload)
        return import_job_accepted(
            request,
            format=background_format,
            upload=upload,
            dry_run=dry_run,
            encoding=encoding,
            options=job_options,
        )
    # A large file would keep a web worker past its timeout (a CSV of a million blank lines,
    # 11 s; a workbook of a few rows and millions of shared strings, minutes): counted first,
    # without parsing it, and refused naming the way that reads it (core.spreadsheets).
    limit = api_import_inline_rows()
    if spreadsheet_rows_past(upload, kind=services.catalogue_kind(upload), rows=limit):
        raise too_large_inside_the_request(limit)
    with reading_encoding(encoding):
        report = service(
            content=upload_content(upload),
            file_name=upload.name,
            user=request.user,
            dry_run=dry_run,
        )
    return Response(
        report.as_dict(),
        status=status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST,
    )


class CourseViewSet(DocumentedQueryParametersMixin, ConditionalModelMixin, viewsets.ModelViewSet):
    serializer_class = serializers.CourseSerializer
    # The DELETE goes through core.services.record_delete: its 409 is in the schema.
    deletion_conflicts = True
    filterset_class = filters.CourseFilter
    ordering_fields = ["code", "title", "credits", "id"]

    def get_queryset(self):
        return catalogue_selectors.course_list()

    def perform_create(self, serializer):
        serializer.instance = services.course_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.course_update(
            course=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.course_delete(course=instance)

    @extend_schema(
        request=COURSE_IMPORT_REQUEST,
        parameters=IMPORT_PARAMETERS,
        responses=COURSE_IMPORT_RESPONSES,
        summary=_("Import a course catalogue (CSV or XLSX), all or nothing"),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        permission_classes=[CanImportCourses],
        parser_classes=[MultiPartParser, FormParser],
        throttle_classes=IMPORT_THROTTLES,
        filterset_class=None,
        pagination_class=None,
    )
    def import_catalogue(self, request, *args, **kwargs):
        refuse_unknown_keys(request.data, taken=COURSE_IMPORT_KEYS)
        programme = _import_programme(request)
        if programme is None:
            return _import_upload(
                request,
                services.course_catalogue_import,
                ImportFormat.COURSES,
                keys=COURSE_IMPORT_KEYS,
            )
        return _import_upload(
            request,
            functools.partial(services.course_catalogue_import, programme=programme),
            ImportFormat.COURSES,
            keys=COURSE_IMPORT_KEYS,
            job_options={PROGRAMME_OPTION: programme.pk},
        )


def _import_programme(request) -> Programme | None:
    """The programme the form names (`programme`, its id) to import the catalogue into, or None;
    a 400 on `programme` for a value naming none, a 403 naming the permissions the account
    lacks to change it (nothing read or written yet)."""
    refuse_repeated(request.data, ("programme",))
    given = request.data.get("programme")
    if given in (None, ""):
        return None
    text = str(given).strip()
    programme = None
    if text.isascii() and text.isdigit():
        programme = Programme.objects.filter(pk=int(text)).first()
    if programme is None:
        raise ValidationError(
            {"programme": _("No programme has the id “%(value)s”.") % {"value": text}}
        )
    missing = programme_import_refused(request.user)
    if missing:
        require_permissions(
            request.user,
            missing,
            _("Your account may not import courses into a programme: it lacks %(permissions)s."),
        )
    return programme


class CanImportLinks(IsStaffUser):
    """An import adds and changes links: it takes the permissions to do both by hand."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perms(
            ("curricula.add_courseability", "curricula.change_courseability")
        )


class CourseAbilityViewSet(
    DocumentedQueryParametersMixin, ConditionalModelMixin, viewsets.ModelViewSet
):
    """Which course builds which ability, to which level (a level code such as "M")."""

    serializer_class = serializers.CourseAbilitySerializer
    filterset_class = filters.CourseAbilityFilter
    ordering_fields = ["course", "ability", "id"]
    # The export holds every (filtered) link, 75,000 and more: streamed row by row to keep the
    # worker's memory bounded, so without an ETag, and the schema offers no If-None-Match/304 for
    # it. A client watching for changes polls the list, whose pages have ETags.
    streamed_actions = ("export",)

    def get_queryset(self):
        return catalogue_selectors.course_ability_list()

    def list(self, request, *args, **kwargs):
        # Pages go up to 1,000 links: plain rows in the serializer's shape, not instances (the
        # serializer pass cost more than the query; BENCHMARKS.md).
        queryset = self.filter_queryset(self.get_queryset())
        rows = catalogue_selectors.course_ability_rows(queryset=queryset)
        if not queryset.query.has_filters():
            # Unfiltered: the exact total from the trigger-kept counter, not a COUNT(*) over
            # every link (most of the page's cost beyond the rows; BENCHMARKS.md).
            total = catalogue_selectors.course_ability_total()
            if total is not None:
                rows = KnownCount(rows, total)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(catalogue_selectors.course_ability_dicts(rows=page))

    def perform_create(self, serializer):
        serializer.instance = services.course_ability_link(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.course_ability_update(
            link=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.course_ability_unlink(link=instance)

    @extend_schema(
        summary=_("Export the (filtered) course-ability links as CSV"),
        description=_(
            "Columns course, framework, ability, level, note, note_zh, ability_uri, "
            "ability_external_id: the ones the link import (here and in the admin) reads, so an "
            "exported file imports back unchanged, and into another installation holding the "
            "framework under other codes (by the ability's URI or external identifier)."
        ),
        responses=CSV_RESPONSE,
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def export(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        return csv_response(
            disposition=content_disposition(suffix=".csv", fallback="course-abilities"),
            header=catalogue_selectors.COURSE_ABILITY_EXPORT_HEADER,
            rows=catalogue_selectors.course_ability_export(queryset=queryset),
        )

    @extend_schema(
        request=IMPORT_REQUEST,
        parameters=IMPORT_PARAMETERS,
        responses=IMPORT_RESPONSES,
        summary=_("Import course-ability links (CSV or XLSX), all or nothing"),
        description=_(
            "The export's columns, as the admin's link import reads them: course, level, the "
            "ability by any of ability, ability_uri and ability_external_id, and optionally "
            "framework, note and note_zh; an ability_uri or ability_external_id naming an "
            "ability decides which, whatever its code (a URI needs no framework); each (course, "
            "ability) link is created or updated."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        permission_classes=[CanImportLinks],
        parser_classes=[MultiPartParser, FormParser],
        throttle_classes=IMPORT_THROTTLES,
        filterset_class=None,
        pagination_class=None,
    )
    def import_links(self, request, *args, **kwargs):
        return _import_upload(request, services.course_ability_import, ImportFormat.LINKS)


class CanImportRequirements(IsStaffUser):
    """An import adds and changes requirements and adds the positions it names that none is: it
    takes the permissions its background job takes (adding and changing both), as by hand."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perms(
            [
                perm
                for perm in import_permissions(ImportFormat.REQUIREMENTS)
                if "importjob" not in perm
            ]
        )


REQUIREMENT_IMPORT_RESPONSES = {
    **IMPORT_RESPONSES,
    200: OpenApiResponse(
        serializers.RequirementImportSerializer,
        description=_("Imported (or checked, with dry_run)."),
    ),
    400: OpenApiResponse(
        report_or_error("RequirementImport"),
        description=IMPORT_RESPONSES[400].description,
    ),
}


class RequirementExchangeViewSet(RequirementViewSet):
    """positions' requirements, and their CSV export and CSV or XLSX import (the resource and
    the import service are curricula's, shared with the admin and the command)."""

    streamed_actions = ("export",)

    @extend_schema(
        summary=_("Export the (filtered) requirements as CSV"),
        description=_(
            "Columns position, position_name, position_name_zh, framework, ability, importance, "
            "min_level, ability_uri, ability_external_id: the ones the requirement import (here, "
            "in the admin and the command) reads, so an exported file imports back unchanged, "
            "and into another installation holding the framework under other codes (by the "
            "ability's URI or external identifier)."
        ),
        responses=CSV_RESPONSE,
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def export(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        return csv_response(
            disposition=content_disposition(suffix=".csv", fallback="requirements"),
            header=catalogue_selectors.REQUIREMENT_EXPORT_HEADER,
            rows=catalogue_selectors.requirement_export(queryset=queryset),
        )

    @extend_schema(
        request=IMPORT_REQUEST,
        parameters=IMPORT_PARAMETERS,
        responses=REQUIREMENT_IMPORT_RESPONSES,
        summary=_("Import positions' requirements (CSV or XLSX), all or nothing"),
        description=_(
            "The export's columns: position, min_level, the ability by any of ability, "
            "ability_uri and ability_external_id, and optionally framework, importance, "
            "position_name and position_name_zh (an ability_uri or ability_external_id naming an "
            "ability decides which, whatever its code; a URI needs no framework); each "
            "(position, ability) requirement is created or updated, and a position named by a "
            "code or name no position has is created."
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        permission_classes=[CanImportRequirements],
        parser_classes=[MultiPartParser, FormParser],
        throttle_classes=IMPORT_THROTTLES,
        filterset_class=None,
        pagination_class=None,
    )
    def import_requirements(self, request, *args, **kwargs):
        return _import_upload(request, services.requirement_import, ImportFormat.REQUIREMENTS)


class AsksOnly(BasePermission):
    """A what-if is a question, not a write: whoever may read the API may ask it."""

    def allows_anonymous(self, method: str) -> bool:
        return reads_are_public()

    def has_permission(self, request, view):
        if not reads_are_public():
            return bool(request.user and request.user.is_authenticated)
        return True


class CanRecompute(IsStaffUser):
    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perm(RECOMPUTE_PERMISSION)


class CanApplyScenarios(IsStaffUser):
    message = _("Only staff allowed to edit programmes and links may apply a scenario.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perms(
            decision_services.SCENARIO_PERMISSIONS
        )


class CanEditMap(IsStaffUser):
    """The map's import is the map editor's change set: it takes the editor's permission (and,
    for the cells it adds or clears, those of adding and deleting links, checked on its plan)."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and can_edit_map(request.user)


MAP_IMPORT_REQUEST = {
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "dry_run": {"type": "boolean"},
            "blank_clears": {"type": "boolean"},
            "encoding": ENCODING_PROPERTY,
        },
        "required": ["file"],
    }
}
MAP_IMPORT_KEYS = tuple(MAP_IMPORT_REQUEST["multipart/form-data"]["properties"])
# Its flags in the query string too, as every import takes them (no background: it runs inline).
MAP_IMPORT_PARAMETERS = [
    OpenApiParameter(
        "dry_run",
        bool,
        OpenApiParameter.QUERY,
        description=_("Check only, write nothing; the same as the form's dry_run."),
    ),
    OpenApiParameter(
        "blank_clears",
        bool,
        OpenApiParameter.QUERY,
        description=_("A blank cell clears its link; the same as the form's blank_clears."),
    ),
]


@extend_schema_view(create=extend_schema(request=serializers.ProgrammeCreateSerializer))
class ProgrammeViewSet(
    DocumentedQueryParametersMixin,
    ChangedAtMixin,
    ConditionalCreateMixin,
    ConditionalUpdateMixin,
    ConditionalDestroyMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Programmes: the paper's are a certification in one direction; others may have no
    certification (then their own degree level) or share one. POST creates one; PATCH its own
    fields, `courses` and/or `target_positions` with the complete list of ids to set them, and
    `terms` to place its courses in time; DELETE removes it with its places for courses and
    targets and its coverage report; coverage is read from the coverage engine."""

    serializer_class = serializers.ProgrammeSerializer
    # The DELETE goes through core.services.record_delete: its 409 is in the schema.
    deletion_conflicts = True
    filterset_class = filters.ProgrammeFilter
    ordering_fields = ["name", "order", "id"]

    changed_at = programme_selectors.PROGRAMME_CHANGED

    def get_queryset(self):
        # A write's If-Match is checked against the ETag a GET answered: the same shape.
        if self.action in ("list", "retrieve", "update", "partial_update", "destroy"):
            return self.with_changed_at(programme_selectors.programme_list())
        if self.action in ("progression", "certification_readiness"):
            return Programme.objects.with_relations()
        # The other actions need only the programme itself.
        return Programme.objects.all()

    @staticmethod
    def _programme_fields(data: dict) -> dict:
        return {name: data[name] for name in services.PROGRAMME_FIELDS if name in data}

    def _check_rows_permissions(self, programme: Programme | None, data: dict) -> None:
        """A programme's courses, targets and terms are rows with permissions of their own:
        change_programme alone does not let an account add or remove them."""
        needed = programme_selectors.programme_rows_permissions(
            programme=programme,
            course_ids=data.get("programme_courses"),
            target_position_ids=data.get("targets"),
            course_terms=data.get("course_terms"),
        )
        require_permissions(
            self.request.user,
            needed,
            _(
                "Your account may not add or remove a programme's courses or target "
                "positions, or change its courses' terms, as asked: it lacks %(permissions)s."
            ),
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        self._check_rows_permissions(None, data)
        programme = services.programme_create(
            **self._programme_fields(data),
            course_ids=data.get("programme_courses", ()),
            target_position_ids=data.get("targets", ()),
            course_terms=data.get("course_terms", ()),
        )
        # Read back as GET reads it (a create's queryset is the bare model's).
        serializer.instance = self.with_changed_at(programme_selectors.programme_list()).get(
            pk=programme.pk
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        self._check_rows_permissions(serializer.instance, data)
        programme = services.programme_update(
            programme=serializer.instance,
            course_ids=data.get("programme_courses"),
            target_position_ids=data.get("targets"),
            course_terms=data.get("course_terms"),
            **self._programme_fields(data),
        )
        rules = {k: data[k] for k in services.CROSSWALK_RULE_FIELDS if k in data}
        if rules:
            services.programme_crosswalk_rules_set(programme=programme, **rules)
        serializer.instance = self.get_queryset().get(pk=programme.pk)

    def perform_destroy(self, instance):
        services.programme_delete(programme=instance)

    @extend_schema(
        operation_id="programs_progression",
        responses=ProgressionSerializer,
        summary=_("The programme's progression along its terms"),
        description=_(
            "Every ability the programme builds, with the levels its courses reach term by term "
            "(a course's term, else its training stage's place), and the findings that break "
            "a progressive plan, named by the site's own levels: the highest level reached with "
            "no earlier course at a lower one, an ability built to the lowest level only, a "
            "level that falls in a later term, the highest level a target requires resting on "
            "one final-term course. Each finding names the courses involved, a severity and a "
            "one-line reason. Computed on read: always current. Building an ability up the "
            "scale, level by level, is this project's reading of a progressive plan: the "
            "paper's Section IV A calls its training plan progressive, from theory teaching to "
            "certification assessment, and names no levels."
        ),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def progression(self, request, *args, **kwargs):
        progression = programme_progression(programme=self.get_object())
        return Response(ProgressionSerializer(ProgressionSerializer.payload(progression)).data)

    @extend_schema(
        operation_id="programs_certification_readiness",
        responses=CertificationReadinessSerializer,
        summary=_("Certification readiness: the programme against its certification's list"),
        description=_(
            "Whether the programme contains every course its certification lists for its "
            "track (for the paper's certifications, Table III's lists), with the listed courses "
            "it misses and the courses it adds. Only courses are checked: credits, professional "
            "practice and the certificate itself, which a graduation system may also ask for "
            "(the paper's Section IV C does), are not tracked."
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="certification-readiness",
        url_name="certification-readiness",
        pagination_class=None,
        filterset_class=None,
    )
    def certification_readiness(self, request, *args, **kwargs):
        programme = self.get_object()
        readiness = programme_certification_readiness(programme=programme)
        body = {
            "program": {"id": programme.pk, "name": programme.name},
            "applies": readiness.applies,
            "ready": readiness.ready,
            "certification": readiness.certification,
            "track": readiness.track,
            "listed": readiness.listed,
            "missing": readiness.missing,
            "added": readiness.added,
        }
        return Response(CertificationReadinessSerializer(body).data)

    @extend_schema(
        summary="The programme's curriculum map as CSV",
        description=(
            "One row per course in programme order; one column per ability its target positions "
            "require; each cell the level code the course builds (empty where none)."
        ),
        responses=CSV_RESPONSE,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="map",
        pagination_class=None,
        filterset_class=None,
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def curriculum_map(self, request, *args, **kwargs):
        programme = self.get_object()
        abilities, rows = programme_selectors.programme_curriculum_map(programme=programme)
        header = ["course_code", "course_title"] + [
            f"{ability.code} {ability.text}" if ability.code else ability.text
            for ability in abilities
        ]
        # A row per course of one programme: small enough to answer whole, with its ETag.
        return csv_response(
            disposition=content_disposition(
                label=programme.name, suffix="-map.csv", fallback=f"programme-{programme.pk}"
            ),
            header=header,
            rows=(
                [entry.course.code, entry.listed_as or entry.course.title, *cells]
                for entry, cells in rows
            ),
            stream=False,
        )

    @extend_schema(
        request=MAP_IMPORT_REQUEST,
        parameters=MAP_IMPORT_PARAMETERS,
        responses={
            200: OpenApiResponse(
                serializers.MapImportSerializer,
                description=_(
                    "What the import wrote (or, with dry_run, would write): counts of cells "
                    "created, changed, cleared and unchanged, and the change set's token "
                    "(POST /programs/{id}/changes/{token}/undo/ on the site undoes it)."
                ),
            ),
            400: OpenApiResponse(
                report_or_error("MapImport"),
                description=_(
                    "Problems by line and column (`ok` false), or with the file as a whole (on "
                    "`file`); nothing was written."
                ),
            ),
            403: OpenApiResponse(
                description=_("The account may not add, change or delete the links it would.")
            ),
        },
        summary=_("Import the programme's curriculum map from a matrix file, all or nothing"),
        description=_(
            "A CSV or XLSX matrix: courses as rows and abilities as columns, or the transpose, "
            "a level (code or name) in each cell, as the site's Map as CSV and the workbook's "
            "Map sheet write it. Written as one change set of the map's, as the map editor's "
            "paste is. A blank cell leaves its link as it is unless blank_clears."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="map/import",
        permission_classes=[CanEditMap],
        parser_classes=[MultiPartParser, FormParser],
        throttle_classes=IMPORT_THROTTLES,
        filterset_class=None,
        pagination_class=None,
    )
    def map_import(self, request, *args, **kwargs):
        programme = self.get_object()
        refuse_unknown_keys(request.data, taken=MAP_IMPORT_KEYS)
        refuse_repeated(request.data, ("file", "encoding"))
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": _("Attach the file as `file`.")})
        dry_run = import_flag(request, "dry_run")
        blank_clears = import_flag(request, "blank_clears")
        encoding = import_encoding(request)
        limit = api_import_inline_rows()
        if spreadsheet_rows_past(upload, kind=services.catalogue_kind(upload), rows=limit):
            raise map_import_too_large(limit)
        content = upload_content(upload)
        # The permissions the cells need are known once the file is read: checked on the plan
        # before anything is written.
        with reading_encoding(encoding):
            report = services.programme_map_import(
                programme=programme,
                content=content,
                file_name=upload.name or "",
                blank_clears=blank_clears,
                dry_run=True,
            )
        if report.ok:
            missing = sorted(
                str(MAP_PERMISSION_NEEDS[perm])
                for perm in report.plan.permissions
                if not request.user.has_perm(perm)
            )
            if missing:
                raise PermissionDenied(" ".join(missing))
            if not dry_run:
                report.change_set = services.programme_map_change(
                    programme=programme, cells=report.changed_cells, user=request.user
                )
        body = {**report.as_dict(), "dry_run": dry_run}
        return Response(
            body, status=status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST
        )

    @extend_schema(
        parameters=[serializers.MapFiltersSerializer],
        responses={
            (200, XLSXRenderer.media_type): OpenApiResponse(
                OpenApiTypes.BINARY, description=_("The programme workbook.")
            ),
            400: OpenApiResponse(description=_("Bad filters.")),
        },
        summary=_("The programme workbook (XLSX)"),
        description=_(
            "The curriculum map with each cell shaded by its level (the site's own scale), the "
            "gap report, figures per competency area and every link's provenance, for the same "
            "filters as the programme page (position, status, area, module, stage, q, courses). "
            "Every text cell is a string: nothing in it runs as a formula."
        ),
    )
    @action(
        detail=True,
        methods=["get"],
        pagination_class=None,
        filterset_class=None,
        renderer_classes=[JSONRenderer, XLSXRenderer],
    )
    def workbook(self, request, *args, **kwargs):
        programme = programme_selectors.programme_get(pk=self.get_object().pk)
        query = serializers.MapFiltersSerializer(data=request.query_params)
        refuse_repeated_fields(request.query_params, query)
        query.is_valid(raise_exception=True)
        view = map_selectors.programme_map_view(
            programme=programme, filters=query.filters(), paged=False, suggest=False
        )
        # What the page ignores (its menus do not offer it) the API refuses, naming it.
        asked, kept = query.filters(), view.map.filters
        refused: dict[str, list[str]] = {}
        if asked.position_id and view.map.position_id is None:
            refused["position"] = [_("That position is not a target of this programme.")]
        if asked.module_id is not None and kept.module_id is None:
            refused["module"] = [_("No course of this programme is in that module.")]
        if asked.stage_id is not None and kept.stage_id is None:
            refused["stage"] = [_("No course of this programme is in that training stage.")]
        if asked.area_id is not None and kept.area_id is None:
            refused["area"] = [
                _("No ability this programme's targets require is in that competency area.")
                if asked.area_id
                else _("Every ability this programme's targets require is in a competency area.")
            ]
        if refused:
            raise ValidationError(refused)
        response = HttpResponse(programme_workbook_for(view), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = workbook_disposition(view)
        return response

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
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def coverage(self, request, *args, **kwargs):
        report = coverage_report_detail(programme=self.get_object())
        return Response(CoverageReportSerializer(report).data)

    @extend_schema(
        operation_id="programs_compare",
        parameters=[ComparisonQuerySerializer, *page_parameters()],
        responses={
            200: ComparisonSerializer,
            400: OpenApiResponse(
                description=_(
                    "Fewer than two or more than four programmes, one named twice, an id that is "
                    "not a number or names no programme, or a bad filter or page (a position "
                    "none of them targets, an area none of the abilities compared is in)."
                )
            ),
            404: OpenApiResponse(description=_("A page past the last, naming the last.")),
        },
        summary=_("Compare two to four programmes against the same target positions"),
        description=_(
            "Each programme judged by the coverage engine against every position any of them "
            "targets (each with its own courses and crosswalk rule set): its figures "
            "(essential and all requirements), per target position and per competency area, "
            "and, per ability (those any of their targets requires, or with `scope=built` "
            "those any of their courses builds), each programme's best level and status "
            "against the strictest minimum required, abilities one covers and another misses "
            "first, a page at a time (`page`, `page_size`, with `count`, `next` and `previous` "
            "as the lists have them; the figures are the whole comparison's on every page). "
            "Computed on read; the stored report's state and percent are given beside."
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=StandardPagination,
        filterset_class=None,
        filter_backends=[],
    )
    def compare(self, request, *args, **kwargs):
        query = ComparisonQuerySerializer(data=request.query_params)
        refuse_repeated_fields(request.query_params, query)
        query.is_valid(raise_exception=True)
        asked = query.filters()
        comparison = comparison_selectors.programme_comparison(
            programmes=query.validated_data["programs"], filters=asked
        )
        if asked.area_id is not None and comparison.filters.area_id is None:
            # What the page ignores (its menu does not offer it) the API refuses, naming it, as
            # it refuses a position none of them targets.
            raise ValidationError(
                {
                    "area": [
                        _("No ability compared is in that competency area.")
                        if asked.area_id
                        else _("Every ability compared is in a competency area.")
                    ]
                }
            )
        # The rows are computed whole (the figures need every one): paging them costs no query.
        paginator = self.paginator
        rows = paginator.paginate_queryset(comparison.rows, request, view=self)
        payload = ComparisonSerializer.payload(
            comparison,
            rows=rows,
            count=paginator.page.paginator.count,
            next_link=paginator.get_next_link(),
            previous_link=paginator.get_previous_link(),
        )
        return Response(ComparisonSerializer(payload).data)

    @extend_schema(
        operation_id="programs_recompute",
        request=None,
        responses={
            202: RecomputeAcceptedSerializer,
            503: OpenApiResponse(description=_("The task queue is unreachable.")),
        },
        summary=_("Recompute the programme's coverage report"),
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[CanRecompute],
        throttle_classes=JOB_THROTTLES,
        filterset_class=None,
    )
    def recompute(self, request, *args, **kwargs):
        programme = self.get_object()
        refuse_unknown_keys(request.data, taken=())
        try:
            task_id = coverage_request_recompute(programme=programme, started_by=request.user)
        except CoverageQueueUnavailable:
            raise ServiceUnavailable(
                _(
                    "The task queue is unreachable. The report stays marked stale and "
                    "the periodic sweep will recompute it."
                )
            ) from None
        body = {
            "program": programme.pk,
            "task_id": task_id,
            "status_url": request.build_absolute_uri(reverse("task-status", args=[task_id])),
        }
        return accepted(
            request, RecomputeAcceptedSerializer(body).data, status_url=body["status_url"]
        )

    def _checked_scenario(self, programme: Programme, inputs: decision_selectors.Inputs):
        """The request's scenario, checked for shape and against the database."""
        scenario_request = requests.scenario_request(self.request.data)
        return requests.scenario_check(programme_in=inputs[0], request=scenario_request)

    @extend_schema(
        operation_id="programs_what_if",
        request=requests.ScenarioRequestSerializer,
        responses={200: WhatIfSerializer, 400: OpenApiResponse(description=_("Bad scenario."))},
        summary=_("What the coverage report would be after a change, saving nothing"),
        description=_(
            "Courses to add or remove, links to add, change or remove, and target positions "
            "to try added or removed: answers with the report the same engine would compute "
            "after the change and, per position (kept, added or removed) and per area, what "
            "changes status. Nothing is saved."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="what-if",
        url_name="what-if",
        permission_classes=[AsksOnly],
        filterset_class=None,
    )
    def what_if(self, request, *args, **kwargs):
        programme = self.get_object()
        inputs, reads = decision_selectors.inputs_and_reads(programme=programme)
        scenario = self._checked_scenario(programme, inputs)
        detail = decision_selectors.what_if_detail(
            programme=programme, scenario=scenario, inputs=inputs, reads=reads
        )
        return Response(WhatIfSerializer({**detail, "applied": False}).data)

    @extend_schema(
        operation_id="programs_what_if_apply",
        request=requests.ScenarioRequestSerializer,
        responses={200: WhatIfSerializer, 400: OpenApiResponse(description=_("Bad scenario."))},
        summary=_("Apply a scenario as one change (staff)"),
        description=_(
            "Checks and applies the scenario in one transaction through the same services as "
            "any edit (history, stale marking, one recompute after commit). Answers with what "
            "was applied and the difference it makes."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="what-if/apply",
        url_name="what-if-apply",
        permission_classes=[CanApplyScenarios],
        filterset_class=None,
    )
    def what_if_apply(self, request, *args, **kwargs):
        programme = self.get_object()
        inputs, reads = decision_selectors.inputs_and_reads(programme=programme)
        scenario = self._checked_scenario(programme, inputs)
        if not scenario:
            raise ValidationError({"non_field_errors": [_("The scenario changes nothing.")]})
        detail = decision_selectors.what_if_detail(
            programme=programme, scenario=scenario, inputs=inputs, applied=True, reads=reads
        )
        decision_services.programme_scenario_apply(programme=programme, scenario=scenario)
        return Response(WhatIfSerializer({**detail, "applied": True}).data)

    @extend_schema(
        operation_id="programs_recommendations",
        parameters=[
            OpenApiParameter("budget", OpenApiTypes.DECIMAL, description=_("Cost limit.")),
            OpenApiParameter("position", OpenApiTypes.INT, description=_("One target position.")),
            OpenApiParameter("area", OpenApiTypes.INT, description=_("One competency area.")),
        ],
        responses={
            200: RecommendationsSerializer,
            400: OpenApiResponse(description=_("Bad query.")),
        },
        summary=_("Catalogue courses that would close the programme's essential gaps"),
        description=_(
            "The cheapest set of catalogue courses outside the programme closing the most "
            "essential gaps (cost = credits, or one per course when credits are missing): "
            "proven optimal by branch-and-bound up to 40 candidate courses, greedy weighted set "
            "cover with its approximation bound beyond; `method` says which. Gaps no course "
            "closes are listed in `new_course_needed`, each with the programme's courses "
            "reaching it below the level (`reached_by`): raising one of them closes a partial "
            "gap without a new course."
        ),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def recommendations(self, request, *args, **kwargs):
        programme = self.get_object()
        refuse_repeated(request.query_params, ("budget", "position", "area"))
        question = requests.recommendation_request(request.query_params.dict())
        inputs, reads = decision_selectors.inputs_and_reads(programme=programme)
        detail = decision_selectors.recommendations_detail(
            programme=programme,
            budget=question.budget,
            position_id=question.position_id,
            area_id=question.area_id,
            inputs=inputs,
            reads=reads,
        )
        return Response(RecommendationsSerializer(detail).data)


class CertificationViewSet(
    DocumentedQueryParametersMixin,
    ChangedAtMixin,
    ConditionalRetrieveMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Professional certifications, each with its directions (one per track) and the courses it
    lists for each (the paper's as Table III gives them)."""

    serializer_class = serializers.CertificationSerializer
    filterset_class = filters.CertificationFilter
    ordering_fields = ["name", "order", "id"]

    changed_at = CERTIFICATION_CHANGED

    def get_queryset(self):
        return self.with_changed_at(certification_list())

    def get_serializer(self, *args, **kwargs):
        # Directions are read for the page (or the one certification) being serialized.
        if args and isinstance(args[0], Certification):
            certifications_with_directions([args[0]])
        elif args and kwargs.get("many"):
            args = (certifications_with_directions(list(args[0])), *args[1:])
        return super().get_serializer(*args, **kwargs)
