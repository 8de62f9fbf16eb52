"""The suggestions API's shapes: explicit fields, levels by code."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from curricula.models import Course, Programme, Suggestion
from positions.models import Framework, Importance, Level, Position


class SuggestedAbilitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    text = serializers.CharField()
    short_name = serializers.CharField()
    framework = serializers.IntegerField(source="framework_id")


class SuggestionSerializer(serializers.ModelSerializer):
    ability = SuggestedAbilitySerializer()
    proposed_level = serializers.SlugRelatedField(slug_field="code", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "course",
            "position",
            "ability",
            "framework",
            "score",
            "rank",
            "method",
            "explanation",
            "proposed_level",
            "status",
            "skipped_at",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class AcceptSerializer(serializers.Serializer):
    level = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Level.objects.all(),
        required=False,
        allow_null=True,
        help_text=_(
            "I, R or M: the link's level (a course's suggestion; its proposed level when "
            "omitted) or the requirement's minimum level (a position's; M when omitted)."
        ),
    )
    importance = serializers.ChoiceField(
        choices=Importance.choices,
        required=False,
        default=Importance.ESSENTIAL,
        help_text=_("A position's suggestion only: essential (default) or optional."),
    )


class AcceptedSerializer(serializers.Serializer):
    suggestion = SuggestionSerializer()
    link = serializers.IntegerField(allow_null=True, help_text=_("The course-ability link made."))
    requirement = serializers.IntegerField(allow_null=True, help_text=_("The requirement made."))


class GenerateSerializer(serializers.Serializer):
    courses = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.all(), many=True, required=False
    )
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), required=False, allow_null=True
    )
    positions = serializers.PrimaryKeyRelatedField(
        queryset=Position.objects.all(), many=True, required=False
    )
    framework = serializers.PrimaryKeyRelatedField(
        queryset=Framework.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Rank only this framework's abilities (default: every framework)."),
    )

    def validate(self, attrs):
        chosen = [name for name in ("courses", "programme", "positions") if attrs.get(name)]
        if len(chosen) != 1:
            raise ValidationError(
                {"courses": _("Give exactly one of courses, programme or positions.")}
            )
        return attrs


class GenerateAcceptedSerializer(serializers.Serializer):
    task_id = serializers.CharField()
    status_url = serializers.CharField()
    courses = serializers.IntegerField()
    positions = serializers.IntegerField()
