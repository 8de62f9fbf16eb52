"""Shapes of the coverage endpoints. The report is built by curricula.coverage.selectors; these
serializers document it in the OpenAPI schema and render it, field by field."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from curricula.coverage.engine import COVERED, MISSING, PARTIAL
from curricula.models import CoverageState
from positions.models import Importance

STATUS_CHOICES = [(COVERED, _("Covered")), (PARTIAL, _("Partial")), (MISSING, _("Missing"))]


class NamedProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class NamedPositionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class NamedAbilitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    text = serializers.CharField()


class NamedCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()


class NamedAreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CrosswalkedAbilitySerializer(NamedAbilitySerializer):
    framework = serializers.CharField(
        required=False, help_text=_("The name of the ability's framework.")
    )


class ViaSerializer(serializers.Serializer):
    ability = CrosswalkedAbilitySerializer(
        help_text=_("The ability the course builds, which stands for the required one.")
    )
    relation = serializers.CharField(
        help_text=_("exactMatchOf, isRelatedTo, or child (the children rule).")
    )
    relation_label = serializers.CharField(required=False)


class ContributionSerializer(serializers.Serializer):
    course = NamedCourseSerializer()
    level = serializers.CharField(help_text=_("Level code the course builds the ability to."))
    via = ViaSerializer(
        allow_null=True,
        help_text=_("Null for a direct link; else the crosswalk the course went through."),
    )


class CrosswalkRulesSerializer(serializers.Serializer):
    exact_match = serializers.BooleanField()
    related = serializers.BooleanField()
    children = serializers.CharField()
    summary = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    """Percent and score count essential requirements only; both are null when there are none."""

    percent = serializers.FloatField(
        allow_null=True, help_text=_("Covered essential requirements / essential x 100.")
    )
    score = serializers.FloatField(
        allow_null=True,
        help_text=_("Partial credit: mean of min(1, rank(best) / rank(minimum)) x 100."),
    )
    total = serializers.IntegerField(help_text=_("Requirements, essential and optional."))
    essential = serializers.IntegerField()
    covered = serializers.IntegerField()
    partial = serializers.IntegerField()
    missing = serializers.IntegerField()


class RequirementCoverageSerializer(serializers.Serializer):
    ability = NamedAbilitySerializer()
    min_level = serializers.CharField()
    best_level = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    importance = serializers.ChoiceField(choices=Importance.choices)
    courses = ContributionSerializer(
        many=True, help_text=_("Direct links first, then crosswalked ones; deepest first in each.")
    )
    direct = serializers.BooleanField(help_text=_("Whether any course builds the ability itself."))


class PositionCoverageSerializer(FiguresSerializer):
    position = NamedPositionSerializer()
    requirements = RequirementCoverageSerializer(many=True)


class AreaCoverageSerializer(FiguresSerializer):
    area = NamedAreaSerializer(allow_null=True, help_text=_("Null for abilities without an area."))


class CoverageReportSerializer(FiguresSerializer):
    program = NamedProgrammeSerializer()
    crosswalk_rules = CrosswalkRulesSerializer(
        help_text=_("Which ability relations count for this programme's coverage.")
    )
    state = serializers.ChoiceField(choices=CoverageState.choices)
    computed_at = serializers.DateTimeField(allow_null=True)
    stale_since = serializers.DateTimeField(allow_null=True)
    positions = PositionCoverageSerializer(many=True)
    areas = AreaCoverageSerializer(many=True)
    unused_courses = NamedCourseSerializer(
        many=True, help_text=_("Courses that build nothing any target position requires.")
    )


class RecomputeAcceptedSerializer(serializers.Serializer):
    program = serializers.IntegerField()
    task_id = serializers.CharField()
    status_url = serializers.URLField()
