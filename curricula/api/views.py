"""The supply side over /api/v1/: thin viewsets over curricula.selectors and curricula.services."""

from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from core.api.csv import CSVRenderer, csv_response
from core.api.renderers import JSONRenderer
from curricula import selectors, services
from curricula.api import filters, serializers

CSV_RESPONSE = {
    (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="A CSV file with a header.")
}


class CourseViewSet(viewsets.ModelViewSet):
    serializer_class = serializers.CourseSerializer
    filterset_class = filters.CourseFilter

    def get_queryset(self):
        return selectors.course_list()

    def perform_create(self, serializer):
        serializer.instance = services.course_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.course_update(
            course=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.course_delete(course=instance)


class CourseAbilityViewSet(viewsets.ModelViewSet):
    """Which course builds which ability, to which level (a level code such as "M")."""

    serializer_class = serializers.CourseAbilitySerializer
    filterset_class = filters.CourseAbilityFilter

    def get_queryset(self):
        return selectors.course_ability_list()

    def list(self, request, *args, **kwargs):
        # Pages go up to 1,000 links: plain rows in the serializer's shape, not instances (the
        # serializer pass cost more than the query; BENCHMARKS.md).
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(selectors.course_ability_rows(queryset=queryset))
        return self.get_paginated_response(selectors.course_ability_dicts(rows=page))

    def perform_create(self, serializer):
        serializer.instance = services.course_ability_link(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.course_ability_update(
            link=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.course_ability_unlink(link=instance)

    @extend_schema(
        summary="Export the (filtered) course-ability links as CSV",
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
            filename="course-abilities.csv",
            header=selectors.COURSE_ABILITY_EXPORT_HEADER,
            rows=selectors.course_ability_export(queryset=queryset),
        )


class ProgrammeViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Programmes (a certification in one direction). PATCH `courses` and/or `target_positions`
    with the complete list of ids to set them; coverage is read from the coverage engine."""

    serializer_class = serializers.ProgrammeSerializer
    filterset_class = filters.ProgrammeFilter

    def get_queryset(self):
        return selectors.programme_list()

    def perform_update(self, serializer):
        data = serializer.validated_data
        programme = services.programme_update(
            programme=serializer.instance,
            course_ids=data.get("programme_courses"),
            target_position_ids=data.get("targets"),
        )
        serializer.instance = self.get_queryset().get(pk=programme.pk)

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
        abilities, rows = selectors.programme_curriculum_map(programme=programme)
        header = ["course_code", "course_title"] + [
            f"{ability.code} {ability.text}" if ability.code else ability.text
            for ability in abilities
        ]
        return csv_response(
            filename=f"{slugify(programme.name) or 'programme'}-map.csv",
            header=header,
            rows=(
                [entry.course.code, entry.listed_as or entry.course.title, *cells]
                for entry, cells in rows
            ),
        )
