import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import IdFilter
from curricula.models import Suggestion, SuggestionStatus


class SuggestionFilter(django_filters.FilterSet):
    framework = IdFilter(field_name="framework_id", label=_("Framework id"))
    status = django_filters.ChoiceFilter(choices=SuggestionStatus.choices, label=_("Status"))
    course = IdFilter(field_name="course_id", label=_("Course id"))
    position = IdFilter(field_name="position_id", label=_("Position id"))

    class Meta:
        model = Suggestion
        fields = ["framework", "status", "course", "position"]


class SubjectSuggestionFilter(django_filters.FilterSet):
    """For the nested lists (a course's, a position's): framework and status."""

    framework = IdFilter(field_name="framework_id", label=_("Framework id"))
    status = django_filters.ChoiceFilter(choices=SuggestionStatus.choices, label=_("Status"))

    class Meta:
        model = Suggestion
        fields = ["framework", "status"]
