import django_filters
from django.utils.translation import gettext_lazy as _

from certifications.models import Certification
from core.api.filters import (
    CodeChoiceFilter,
    DegreeLevelFilter,
    IdFilter,
    SearchFilter,
    StrictBooleanFilter,
    SyncFilterSet,
    UpdatedSinceFilter,
)
from core.search import folded_contains
from curricula.models import Course, CourseAbility, Programme
from curricula.selectors.certifications import CERTIFICATION_CHANGED
from curricula.selectors.programmes import PROGRAMME_CHANGED
from positions.models import Level


class CourseFilter(SyncFilterSet):
    module = IdFilter(field_name="module_id", label=_("Module id"))
    program = IdFilter(field_name="programme_entries__programme_id", label=_("Programme id"))
    search = SearchFilter(method="filter_search", label=_("Code or title contains"))

    class Meta:
        model = Course
        fields = ["module", "program", "search", "updated_since"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(folded_contains(("code", "title", "title_zh"), value))


class CourseAbilityFilter(SyncFilterSet):
    course = IdFilter(field_name="course_id", label=_("Course id"))
    ability = IdFilter(field_name="ability_id", label=_("Ability id"))
    level = CodeChoiceFilter(
        queryset=Level.objects.all(), label=_("Level code, e.g. M (in any case, as writes take it)")
    )
    program = IdFilter(
        field_name="course__programme_entries__programme_id",
        label=_("Programme id: links of the programme's courses"),
    )
    framework = IdFilter(field_name="ability__framework_id", label=_("Framework of the ability"))

    class Meta:
        model = CourseAbility
        fields = ["course", "ability", "level", "program", "framework", "updated_since"]


class ProgrammeFilter(SyncFilterSet):
    # A programme embeds its courses, terms and targets (curricula.selectors.programme_list).
    updated_since = UpdatedSinceFilter(changed_at=PROGRAMME_CHANGED)
    certification = IdFilter(field_name="certification_id", label=_("Certification id"))
    track = django_filters.CharFilter(method="filter_track", label=_("Track id or slug"))
    without_track = StrictBooleanFilter(
        field_name="track", lookup_expr="isnull", label=_("Only programmes without a track")
    )
    degree_level = DegreeLevelFilter(method="filter_degree_level", label=_("Degree level"))
    search = SearchFilter(method="filter_search", label=_("Name or Chinese name contains"))

    class Meta:
        model = Programme
        fields = [
            "certification",
            "track",
            "without_track",
            "degree_level",
            "search",
            "updated_since",
        ]

    def filter_search(self, queryset, name, value):
        return queryset.filter(folded_contains(("name", "name_zh"), value))

    def filter_degree_level(self, queryset, name, value):
        return queryset.at_degree_level(value)

    def filter_track(self, queryset, name, value):
        return queryset.on_track(value)


class CertificationFilter(SyncFilterSet):
    # A certification embeds its directions (curricula.selectors.CERTIFICATION_CHANGED).
    updated_since = UpdatedSinceFilter(changed_at=CERTIFICATION_CHANGED)

    class Meta:
        model = Certification
        fields = ["updated_since"]
