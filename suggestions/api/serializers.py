"""The suggestions API's shapes: explicit fields, levels by code."""

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from rest_framework import serializers

from core.api.fields import IdRelatedField
from core.api.filters import MAX_ID
from core.api.serializers import ModelSerializer
from core.services import require_existing, unique_ids
from curricula.models import Course, Programme, Suggestion
from positions.api.fields import LevelField
from positions.models import Framework, Importance, Position

# The most courses or positions one generate request names: a national catalogue's worth (the
# esco preset has 5,000 courses); `manage.py suggest --all-courses` has no limit.
MAX_SUBJECTS = 10_000


class SuggestedAbilitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    text = serializers.CharField()
    short_name = serializers.CharField()
    framework = serializers.IntegerField(source="framework_id")


class SuggestionSerializer(ModelSerializer):
    ability = SuggestedAbilitySerializer()
    proposed_level = LevelField(read_only=True)
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
    level = LevelField(
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
    courses = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=MAX_SUBJECTS,
        help_text=format_lazy(_("Course ids, at most {max}."), max=MAX_SUBJECTS),
    )
    programme = IdRelatedField(queryset=Programme.objects.all(), required=False, allow_null=True)
    positions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=MAX_SUBJECTS,
        help_text=format_lazy(
            _("Position ids (positions with a description), at most {max}."), max=MAX_SUBJECTS
        ),
    )
    framework = IdRelatedField(
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
        # Each id once, all of them read in one query (not one query per id).
        for name, model, message in (
            ("courses", Course, gettext_noop("No course has the id %(ids)s.")),
            ("positions", Position, gettext_noop("No position has the id %(ids)s.")),
        ):
            if attrs.get(name):
                attrs[name] = unique_ids(attrs[name])
                require_existing(model, attrs[name], field=name, message=message)
        return attrs


class GenerateAcceptedSerializer(serializers.Serializer):
    task_id = serializers.CharField()
    status_url = serializers.CharField()
    courses = serializers.IntegerField()
    positions = serializers.IntegerField()
