"""Shapes of the decision-support answers: what-if and recommendations (built by
curricula.decisions.selectors; documented and rendered here). The requests' shapes are in
curricula.decisions.requests, shared with the page and the command."""

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
from curricula.api.serializers import CREDITS_HELP
from curricula.decisions.cover import EXACT, EXHAUSTED, GREEDY
from positions.models import Importance


class CourseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    # A number, as the course resource answers it (CourseSerializer).
    credits = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=0,
        allow_null=True,
        coerce_to_string=False,
        help_text=CREDITS_HELP,
    )


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
    before = StatusAtSerializer(
        allow_null=True, help_text=_("Null for a target position the scenario adds.")
    )
    after = StatusAtSerializer()
    closed = serializers.BooleanField(help_text=_("Not covered before, covered after."))
    opened = serializers.BooleanField(help_text=_("Covered before, not covered after."))
    better = serializers.BooleanField(
        help_text=_("Its status is better after (missing < partial < covered).")
    )
    worse = serializers.BooleanField(
        help_text=_("Its status is worse after (missing < partial < covered).")
    )


class PositionDiffSerializer(serializers.Serializer):
    position = NamedPositionSerializer()
    target = serializers.ChoiceField(
        choices=[("kept", "kept"), ("added", "added"), ("removed", "removed")],
        help_text=_("Whether the scenario keeps this target position, adds or removes it."),
    )
    before = SummaryFiguresSerializer(allow_null=True)
    after = SummaryFiguresSerializer(allow_null=True)
    changes = RequirementChangeSerializer(
        many=True,
        help_text=_(
            "Requirements whose status or best level changes; for an added target, those it "
            "would leave uncovered."
        ),
    )


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
    changed = serializers.IntegerField(help_text=_("Requirement rows listed as changing."))
    closed = serializers.IntegerField(help_text=_("Rows not covered before, covered after."))
    opened = serializers.IntegerField(help_text=_("Rows covered before, not covered after."))
    better = serializers.IntegerField(help_text=_("Rows whose status is better after."))
    worse = serializers.IntegerField(help_text=_("Rows whose status is worse after."))
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
    add_targets = NamedPositionSerializer(many=True)
    remove_targets = NamedPositionSerializer(many=True)


class ReportSerializer(SummaryFiguresSerializer):
    total = serializers.IntegerField()
    essential = serializers.IntegerField()
    positions = PositionCoverageSerializer(many=True)
    areas = AreaCoverageSerializer(many=True)
    unused_courses = CourseRefSerializer(many=True)


class LinkOutsideSerializer(serializers.Serializer):
    course = CourseRefSerializer()
    reason = serializers.ChoiceField(choices=["not_in_programme", "removed"])
    message = serializers.CharField()


class WhatIfSerializer(serializers.Serializer):
    program = NamedProgrammeSerializer()
    applied = serializers.BooleanField(help_text=_("True only when staff applied the scenario."))
    scenario = ScenarioSerializer()
    report = ReportSerializer(help_text=_("The coverage report the scenario would give."))
    diff = DiffSerializer()
    links_outside = LinkOutsideSerializer(
        many=True,
        help_text=_(
            "Cell changes on courses outside the programme after the scenario (never in it, "
            "or removed by it): they count for none of its requirements; applying writes the "
            "link to the catalogue course only."
        ),
    )


class GapRefSerializer(serializers.Serializer):
    position = NamedPositionSerializer()
    ability = NamedAbilitySerializer()


class ClosedGapSerializer(GapRefSerializer):
    min_level = serializers.CharField()


class RecommendedCourseSerializer(serializers.Serializer):
    course = CourseRefSerializer()
    cost = serializers.FloatField()
    closes = ClosedGapSerializer(many=True)


class ReachedBySerializer(serializers.Serializer):
    course = CourseRefSerializer()
    level = serializers.CharField()


class NeededRequirementSerializer(serializers.Serializer):
    ability = NamedAbilitySerializer()
    min_level = serializers.CharField(help_text=_("The strictest minimum among the positions."))
    positions = NamedPositionSerializer(many=True)
    best_level = serializers.CharField(
        allow_null=True,
        help_text=_("The deepest level a course of the programme reaches; null when none does."),
    )
    reached_by = ReachedBySerializer(
        many=True,
        help_text=_(
            "The programme's courses building the ability below the level required, deepest "
            "first: raising one of them to the level closes the gap without a new course."
        ),
    )


class NeededAreaSerializer(serializers.Serializer):
    area = NamedAreaSerializer(allow_null=True)
    requirements = NeededRequirementSerializer(many=True)


class BoundSerializer(serializers.Serializer):
    """How far a greedy answer can be from the optimum (empty when the answer is proven)."""

    kind = serializers.ChoiceField(
        choices=[
            ("cost", _("Without a budget: the cost is at most factor x the optimum's")),
            (
                "gaps_closed",
                _("With a budget: the gaps closed are at least factor x the optimum's"),
            ),
        ],
        required=False,
    )
    factor = serializers.FloatField(required=False)
    optimum_at_least = serializers.FloatField(
        required=False, help_text=_("Without a budget: the optimum costs at least this.")
    )
    optimum_at_most = serializers.FloatField(
        required=False, help_text=_("With a budget: the optimum closes at most this many gaps.")
    )


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
    bound = BoundSerializer(
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
