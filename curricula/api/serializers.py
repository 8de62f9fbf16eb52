from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from competency_site.api.fields import LevelField
from competency_site.api.filters import MAX_ID
from curricula.models import Course, CourseAbility, CoverageState, Programme, ProgrammeCoverage


class CourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = [
            "id",
            "identifier",
            "code",
            "title",
            "description",
            "credits",
            "module",
            "stage",
            "provenance",
        ]
        read_only_fields = ["identifier", "provenance"]
        # The service reports a taken code in its own words.
        extra_kwargs = {"code": {"validators": []}, "credits": {"min_value": 0}}


class CourseAbilitySerializer(serializers.ModelSerializer):
    level = LevelField()

    class Meta:
        model = CourseAbility
        fields = ["id", "course", "ability", "level", "note", "provenance"]
        read_only_fields = ["provenance"]
        # The service refuses a second link for a course and ability, saying what to do instead.
        validators = []


class IdListField(serializers.ListField):
    """Related records as a list of ids: read from a prefetched relation, written as ids that the
    service checks in one query."""

    def __init__(self, *, id_attr: str, **kwargs):
        self.id_attr = id_attr
        kwargs.setdefault("child", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)

    def to_representation(self, data):
        return [getattr(item, self.id_attr) for item in data.all()]


class CoverageSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeCoverage
        fields = ["state", "computed_at", "percent"]


class ProgrammeSerializer(serializers.ModelSerializer):
    degree_level = serializers.CharField(read_only=True)
    courses = IdListField(
        source="programme_courses",
        id_attr="course_id",
        required=False,
        help_text=_("Course ids in programme order; on write, the full set of courses."),
    )
    target_positions = IdListField(
        source="targets",
        id_attr="position_id",
        required=False,
        help_text=_("Position ids; on write, the full set of target positions."),
    )
    coverage = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "description",
            "certification",
            "track",
            "degree_level",
            "courses",
            "target_positions",
            "coverage",
            "provenance",
        ]
        read_only_fields = ["name", "description", "certification", "track", "provenance"]

    @extend_schema_field(CoverageSummarySerializer)
    def get_coverage(self, programme: Programme) -> dict:
        try:
            coverage = programme.coverage
        except ObjectDoesNotExist:
            # Never computed yet: as good as stale.
            return {"state": CoverageState.STALE.value, "computed_at": None, "percent": None}
        return CoverageSummarySerializer(coverage).data
