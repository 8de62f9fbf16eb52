"""Shapes of the progression and certification readiness endpoints, built by
curricula.progression.selectors and curricula.selectors.readiness."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from curricula.api.coverage_serializers import NamedAbilitySerializer, NamedProgrammeSerializer
from curricula.progression.engine import KINDS, SEVERITIES


class TermCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    term = serializers.IntegerField(
        allow_null=True, help_text=_("The term set on the programme course, if any.")
    )
    effective_term = serializers.IntegerField(
        allow_null=True,
        help_text=_("The term, else the training stage's place; null when neither is known."),
    )
    term_source = serializers.ChoiceField(
        choices=["term", "stage", "none"], help_text=_("Where effective_term comes from.")
    )


class StepSerializer(serializers.Serializer):
    course = TermCourseSerializer()
    level = serializers.CharField(source="level.code")


class FindingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KINDS))
    kind_label = serializers.CharField()
    severity = serializers.ChoiceField(choices=list(SEVERITIES))
    ability = NamedAbilitySerializer()
    courses = TermCourseSerializer(many=True, help_text=_("The courses involved."))
    reason = serializers.CharField(help_text=_("One line, in the request's language."))


class TermStepsSerializer(serializers.Serializer):
    term = serializers.IntegerField(allow_null=True, help_text=_("Null: courses with no term."))
    steps = StepSerializer(many=True)


class RequiredViaSerializer(serializers.Serializer):
    ability = NamedAbilitySerializer(help_text=_("The required ability this one stands in for."))
    relation = serializers.CharField(help_text=_("The crosswalk's relation, in words."))


class ProgressionRowSerializer(serializers.Serializer):
    ability = NamedAbilitySerializer()
    required_level = serializers.CharField(
        allow_null=True, help_text=_("The strictest level a target requires; null if none.")
    )
    required_via = RequiredViaSerializer(
        allow_null=True,
        help_text=_(
            "Set when the required level is another ability's, which this one stands in for "
            "under the programme's crosswalk rules (as in the coverage report); null otherwise."
        ),
    )
    terms = TermStepsSerializer(many=True)
    findings = FindingSerializer(many=True)


class SeverityCountsSerializer(serializers.Serializer):
    high = serializers.IntegerField()
    medium = serializers.IntegerField()
    low = serializers.IntegerField()


class ProgressionSerializer(serializers.Serializer):
    program = NamedProgrammeSerializer()
    terms = serializers.ListField(
        child=serializers.IntegerField(allow_null=True),
        help_text=_("The columns: terms ascending, then null for the courses with no term."),
    )
    final_term = serializers.IntegerField(allow_null=True)
    courses = TermCourseSerializer(many=True)
    abilities = ProgressionRowSerializer(many=True)
    findings = FindingSerializer(many=True, help_text=_("Every finding, most severe first."))
    counts = SeverityCountsSerializer()

    @staticmethod
    def payload(progression) -> dict:
        """The selector's ProgrammeProgression in this serializer's shape."""
        return {
            "program": {"id": progression.programme.pk, "name": progression.programme.name},
            "terms": progression.columns,
            "final_term": progression.final_term,
            "courses": progression.courses,
            "abilities": [
                {
                    "ability": row.ability,
                    "required_level": row.required.code if row.required else None,
                    "required_via": row.required_via,
                    "terms": [
                        {"term": term, "steps": steps}
                        for term, steps in zip(progression.columns, row.cells, strict=True)
                    ],
                    "findings": row.findings,
                }
                for row in progression.rows
            ],
            "findings": progression.findings,
            "counts": progression.counts,
        }


class ListedCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CertificationReadinessSerializer(serializers.Serializer):
    program = NamedProgrammeSerializer()
    applies = serializers.BooleanField(
        help_text=_("False: the programme has no certification, or no track to read its list for.")
    )
    ready = serializers.BooleanField(
        allow_null=True,
        help_text=_(
            "Every listed course is in the programme (courses alone: credits, professional "
            "practice and the certificate itself are not tracked); null when the certification "
            "lists none for this track or there is no certification or track."
        ),
    )
    certification = NamedSerializer(allow_null=True)
    track = NamedSerializer(allow_null=True)
    listed = ListedCourseSerializer(
        many=True, help_text=_("The courses the certification lists for this direction.")
    )
    missing = ListedCourseSerializer(many=True, help_text=_("Listed, not in the programme."))
    added = ListedCourseSerializer(many=True, help_text=_("In the programme, not listed."))
