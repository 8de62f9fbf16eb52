"""The demand side over /api/v1/: thin viewsets over positions.selectors and positions.services."""

from rest_framework import mixins, viewsets

from positions import selectors, services
from positions.api import filters, serializers


class TrackViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TrackSerializer

    def get_queryset(self):
        return selectors.track_list()


class CompetencyAreaViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.CompetencyAreaSerializer

    def get_queryset(self):
        return selectors.competency_area_list()


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.FrameworkSerializer

    def get_queryset(self):
        return selectors.framework_list()


class AbilityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.AbilitySerializer
    filterset_class = filters.AbilityFilter

    def get_queryset(self):
        return selectors.ability_list()


class AbilityRelationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.AbilityRelationSerializer
    filterset_class = filters.AbilityRelationFilter

    def get_queryset(self):
        return selectors.ability_relation_list()


class LevelViewSet(viewsets.ReadOnlyModelViewSet):
    """The depth scale, addressed by code: /api/v1/levels/M/."""

    serializer_class = serializers.LevelSerializer
    lookup_field = "code"
    lookup_value_regex = r"[^/]{1,8}"

    def get_queryset(self):
        return selectors.level_list()


class PositionViewSet(viewsets.ModelViewSet):
    """Positions with their Table I placements (writable, replaced as a whole when given) and
    their requirements (read here; written through requirements/)."""

    serializer_class = serializers.PositionSerializer
    filterset_class = filters.PositionFilter

    def get_queryset(self):
        return selectors.position_list()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            # One query for the whole page's requirements, as plain rows.
            selectors.position_requirements_attach(positions=page)
        return page

    def _reread(self, serializer, position):
        # Re-read through the selector so the answer carries requirements_defined and friends.
        serializer.instance = self.get_queryset().get(pk=position.pk)

    def perform_create(self, serializer):
        position = services.position_create(**serializer.validated_data)
        self._reread(serializer, position)

    def perform_update(self, serializer):
        position = services.position_update(
            position=serializer.instance, **serializer.validated_data
        )
        self._reread(serializer, position)

    def perform_destroy(self, instance):
        services.position_delete(position=instance)


class RequirementViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """A position requires an ability at a minimum level (a level code such as "M")."""

    serializer_class = serializers.RequirementSerializer
    filterset_class = filters.RequirementFilter

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
