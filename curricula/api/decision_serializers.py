"""Shapes of the decision-support endpoints: the what-if request, and the what-if and
recommendation answers (built by curricula.decisions.selectors; documented and rendered here)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from curricula.api.coverage_serializers import (
    STATUS_CHOICES,
    AreaCoverageSerializer,
    NamedAbilitySerializer,
    NamedAreaSerializer,
    NamedPositionSerializer,
    NamedProgrammeSerializer,
    PositionCoverageSerializer,
)
from curricula.decisions.cover import EXACT, EXHAUSTED, GREEDY
from positions.models import Importance

# Enough for any real scenario; bounds the work one request can ask for.
MAX_COURSES = 500
MAX_LINKS = 2000


class LinkChangeSerializer(serializers.Serializer):
    course = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    ability = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    level = serializers.CharField(
        max_length=8,
        allow_null=True,
        allow_blank=True,
        help_text=_("Level code (I, R, M...) to set the link to; null or empty removes it."),
    )


class WhatIfRequestSerializer(serializers.Serializer):
    add_courses = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        default=list,
        max_length=MAX_COURSES,
        help_text=_("Catalogue courses to add to the programme (at its end)."),
    )
    remove_courses = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        default=list,
        max_length=MAX_COURSES,
        help_text=_("Courses of the programme to take out."),
    )
    links = LinkChangeSerializer(
        many=True,
        required=False,
        default=list,
        max_length=MAX_LINKS,
        help_text=_("Course-ability links to add, change (level code) or remove (null)."),
    )


class CourseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    credits = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class SummaryFiguresSerializer(serializers.Serializer):
    percent = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    covered = serializers.IntegerField()
    partial = serializers.IntegerField()
    missing = serializers.IntegerField()


class StatusAtSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    best_level = serializers.CharField(allow_null=True)


class RequirementChangeSerializer(serializers.Serializer):
    ability = NamedAbilitySerializer()
    importance = serializers.ChoiceField(choices=Importance.choices)
    min_level = serializers.CharField()
    before = StatusAtSerializer()
    after = StatusAtSerializer()
    closed = serializers.BooleanField(help_text=_("Not covered before, covered after."))
    opened = serializers.BooleanField(help_text=_("Covered before, not covered after."))


class PositionDiffSerializer(serializers.Serializer):
    position = NamedPositionSerializer()
    before = SummaryFiguresSerializer()
    after = SummaryFiguresSerializer()
    changes = RequirementChangeSerializer(many=True)


class AreaDiffSerializer(serializers.Serializer):
    area = NamedAreaSerializer(allow_null=True)
    before = SummaryFiguresSerializer(allow_null=True)
    after = SummaryFiguresSerializer(allow_null=True)
    abilities = NamedAbilitySerializer(
        many=True, help_text=_("The area's abilities whose requirements change status.")
    )


class DiffSerializer(serializers.Serializer):
    before = SummaryFiguresSerializer()
    after = SummaryFiguresSerializer()
    closed = serializers.IntegerField()
    opened = serializers.IntegerField()
    positions = PositionDiffSerializer(many=True)
    areas = AreaDiffSerializer(
        many=True, help_text=_("Only the areas whose figures or requirements change.")
    )


class ScenarioLinkSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    ability = serializers.IntegerField()
    level = serializers.CharField(allow_null=True)


class ScenarioSerializer(serializers.Serializer):
    add_courses = CourseRefSerializer(many=True)
    remove_courses = CourseRefSerializer(many=True)
    links = ScenarioLinkSerializer(many=True)


class ReportSerializer(SummaryFiguresSerializer):
    total = serializers.IntegerField()
    essential = serializers.IntegerField()
    positions = PositionCoverageSerializer(many=True)
    areas = AreaCoverageSerializer(many=True)
    unused_courses = CourseRefSerializer(many=True)


class WhatIfSerializer(serializers.Serializer):
    program = NamedProgrammeSerializer()
    applied = serializers.BooleanField(help_text=_("True only when staff applied the scenario."))
    scenario = ScenarioSerializer()
    report = ReportSerializer(help_text=_("The coverage report the scenario would give."))
    diff = DiffSerializer()


class RecommendationQuerySerializer(serializers.Serializer):
    budget = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("Most credits (or courses, when credits are missing) to spend."),
    )
    position = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    area = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


class GapRefSerializer(serializers.Serializer):
    position = NamedPositionSerializer()
    ability = NamedAbilitySerializer()


class ClosedGapSerializer(GapRefSerializer):
    min_level = serializers.CharField()


class RecommendedCourseSerializer(serializers.Serializer):
    course = CourseRefSerializer()
    cost = serializers.FloatField()
    closes = ClosedGapSerializer(many=True)


class NeededRequirementSerializer(serializers.Serializer):
    ability = NamedAbilitySerializer()
    min_level = serializers.CharField(help_text=_("The strictest minimum among the positions."))
    positions = NamedPositionSerializer(many=True)


class NeededAreaSerializer(serializers.Serializer):
    area = NamedAreaSerializer(allow_null=True)
    requirements = NeededRequirementSerializer(many=True)


class RecommendationsSerializer(serializers.Serializer):
    program = NamedProgrammeSerializer()
    method = serializers.ChoiceField(
        choices=[
            (EXACT, _("Branch-and-bound, proven optimal")),
            (GREEDY, _("Greedy weighted set cover, with its approximation bound")),
            (EXHAUSTED, _("Branch-and-bound stopped at its node limit: best found")),
        ]
    )
    proven_optimal = serializers.BooleanField()
    bound = serializers.DictField(
        help_text=_(
            "For greedy: without a budget, cost <= factor x optimum (factor H(d), d the most gaps "
            "one candidate closes); with one, gaps closed >= factor x the optimum's."
        )
    )
    candidates = serializers.IntegerField(help_text=_("Courses that close at least one gap."))
    cost_unit = serializers.ChoiceField(choices=[("credits", "credits"), ("courses", "courses")])
    budget = serializers.FloatField(allow_null=True)
    cost = serializers.FloatField()
    gaps = serializers.IntegerField(help_text=_("Essential requirements missing or partial."))
    closable = serializers.IntegerField(help_text=_("Gaps some catalogue course closes."))
    closed = serializers.IntegerField(help_text=_("Gaps the recommended courses close."))
    position = serializers.IntegerField(allow_null=True)
    area = serializers.IntegerField(allow_null=True)
    before = SummaryFiguresSerializer()
    after = SummaryFiguresSerializer(help_text=_("Figures with the recommended courses added."))
    courses = RecommendedCourseSerializer(many=True)
    left_open = GapRefSerializer(many=True, help_text=_("Closable gaps the budget leaves open."))
    new_course_needed = NeededAreaSerializer(
        many=True, help_text=_("Gaps no catalogue course closes, by competency area.")
    )
