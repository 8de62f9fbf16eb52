import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import (
    DegreeLevelFilter,
    IdFilter,
    IdOrNoneFilter,
    SearchFilter,
    StrictBooleanFilter,
    SyncFilterSet,
    UpdatedSinceFilter,
)
from core.search import folded_contains
from positions.models import (
    Ability,
    AbilityRelation,
    CompetencyArea,
    Framework,
    Level,
    Position,
    Requirement,
    Track,
)
from positions.selectors import POSITION_CHANGED, REQUIREMENT_CHANGED, TRACK_CHANGED


class TrackFilter(SyncFilterSet):
    updated_since = UpdatedSinceFilter(changed_at=TRACK_CHANGED)

    class Meta:
        model = Track
        fields = ["updated_since"]


class LevelFilter(SyncFilterSet):
    class Meta:
        model = Level
        fields = ["updated_since"]


class FrameworkFilter(SyncFilterSet):
    class Meta:
        model = Framework
        fields = ["updated_since"]


class CompetencyAreaFilter(SyncFilterSet):
    framework = IdOrNoneFilter(
        field_name="framework_id",
        label=_("Framework id the area was imported from, or none for areas of no framework"),
    )

    class Meta:
        model = CompetencyArea
        fields = ["framework", "updated_since"]


class AbilityFilter(SyncFilterSet):
    framework = IdFilter(field_name="framework_id", label=_("Framework id"))
    area = IdOrNoneFilter(
        field_name="area_id",
        label=_("Competency area id, or none for abilities in no competency area"),
    )
    parent = IdFilter(field_name="parent_id", label=_("Parent ability id"))
    root = StrictBooleanFilter(
        field_name="parent", lookup_expr="isnull", label=_("Only abilities without a parent")
    )
    search = SearchFilter(method="filter_search", label=_("Text, Chinese text or code contains"))
    retired = StrictBooleanFilter(
        field_name="retired", label=_("Gone from the framework's latest import")
    )
    needs_review = StrictBooleanFilter(
        field_name="needs_review", label=_("Flagged for review by an import")
    )

    class Meta:
        model = Ability
        fields = [
            "framework",
            "area",
            "parent",
            "root",
            "search",
            "retired",
            "needs_review",
            "updated_since",
        ]

    def filter_search(self, queryset, name, value):
        return queryset.filter(folded_contains(("text", "text_zh", "code"), value))


class AbilityRelationFilter(SyncFilterSet):
    framework = IdFilter(field_name="framework_id", label=_("The framework listing it"))
    source = IdFilter(field_name="source_id", label=_("Source ability id"))

    class Meta:
        model = AbilityRelation
        fields = ["framework", "source", "relation_type", "updated_since"]


class PositionFilter(SyncFilterSet):
    # A position embeds its placements and requirements (positions.selectors.position_list).
    updated_since = UpdatedSinceFilter(changed_at=POSITION_CHANGED)
    track = django_filters.CharFilter(
        method="filter_placed", label=_("Track id or slug (with degree_level: the same placement)")
    )
    degree_level = DegreeLevelFilter(method="filter_placed", label=_("Degree level of a placement"))
    search = SearchFilter(
        method="filter_search", label=_("Name, Chinese name or a placement's title contains")
    )

    class Meta:
        model = Position
        fields = ["track", "degree_level", "search", "updated_since"]

    def filter_placed(self, queryset, name, value):
        # Applied once for both filters in filter_queryset; see there.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        track = self.form.cleaned_data.get("track")
        degree_level = self.form.cleaned_data.get("degree_level")
        if track or degree_level:
            queryset = queryset.placed(track=track, degree_level=degree_level)
        return queryset

    def filter_search(self, queryset, name, value):
        return queryset.named_like(value)


class RequirementFilter(SyncFilterSet):
    updated_since = UpdatedSinceFilter(changed_at=REQUIREMENT_CHANGED)
    position = IdFilter(field_name="position_id", label=_("Position id"))
    ability = IdFilter(field_name="ability_id", label=_("Ability id"))

    class Meta:
        model = Requirement
        fields = ["position", "ability", "importance", "updated_since"]
