import django_filters
from django.utils.translation import gettext_lazy as _

from core.api.filters import IdFilter, SyncFilterSet, UpdatedSinceFilter
from curricula.models import Suggestion, SuggestionStatus
from suggestions.selectors import SUGGESTION_CHANGED


class SubjectSuggestionFilter(SyncFilterSet):
    """For the nested lists (a course's, a position's): framework and status, and a sync's
    `updated_since` and `after_id`."""

    updated_since = UpdatedSinceFilter(changed_at=SUGGESTION_CHANGED)
    framework = IdFilter(field_name="framework_id", label=_("Framework id"))
    status = django_filters.ChoiceFilter(choices=SuggestionStatus.choices, label=_("Status"))

    class Meta:
        model = Suggestion
        fields = ["framework", "status", "updated_since"]


class SuggestionFilter(SubjectSuggestionFilter):
    course = IdFilter(field_name="course_id", label=_("Course id"))
    position = IdFilter(field_name="position_id", label=_("Position id"))

    class Meta:
        model = Suggestion
        fields = ["framework", "status", "course", "position", "updated_since"]
