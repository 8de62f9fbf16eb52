"""The suggestions API's shapes: explicit fields, levels by code."""

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from rest_framework import serializers
from rest_framework.fields import empty

from core.api.fields import IdField, IdRelatedField, IdsField, UpdatedAtField
from core.api.filters import MAX_ID, StrictBooleanFormField
from core.api.serializers import KnownKeysMixin, ModelSerializer
from core.services import require_existing
from curricula.coverage.engine import COVERED, MISSING, PARTIAL
from curricula.models import Course, Suggestion
from positions.api.fields import LevelField
from positions.models import Framework, Importance, Level, Position, RelationType
from suggestions import selectors
from suggestions.engine.types import GOOD, STRONG, WEAK
from suggestions.reasons import level_reason, tier_codes

# The most courses or positions one generate request names: a national catalogue's worth (the
# esco preset has 5,000 courses); `manage.py suggest --all-courses` has no limit.
MAX_SUBJECTS = 10_000
GENERATE_COURSES = "courses"
GENERATE_POSITIONS = "positions"


class SuggestedAbilitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    text = serializers.CharField()
    short_name = serializers.CharField()
    framework = serializers.IntegerField(source="framework_id")


class ProposedImportanceField(serializers.ChoiceField):
    """A position's suggestion's proposed importance: stored, or read now from its description
    when it was stored before importances were proposed (selectors.importance_proposal)."""

    def get_attribute(self, instance):
        return selectors.proposed_importance(suggestion=instance)


class StrengthSerializer(serializers.Serializer):
    band = serializers.ChoiceField(
        choices=[STRONG, GOOD, WEAK],
        help_text=_(
            "strong: ranked by shared words and by meaning, both place it in their first 20; "
            "good: one of them; weak: neither. Where that agreement says little (the places "
            "counted are more than a tenth of the abilities sharing a word with the text, as "
            "in a small framework), at most what it shares, read as below (sharing no word: at "
            "most good). Ranked on words alone, the lower of its word score against the best "
            "suggestion's (strong: at least half; good: a quarter) and what it shares (strong: "
            "two or more terms matching three tenths of its text; good: two matching a tenth, "
            "or one matching half)."
        ),
    )
    lexical_rank = serializers.IntegerField(
        allow_null=True,
        help_text=_("Its place among the framework's abilities by shared words; null: none."),
    )
    meaning_rank = serializers.IntegerField(
        allow_null=True,
        help_text=_("Its place by meaning; null when the text was ranked on words alone."),
    )
    lexical_share = serializers.FloatField(
        help_text=_("Its word score over the best suggestion's for the same text, 0 to 1.")
    )
    coverage = serializers.FloatField(
        allow_null=True,
        default=None,
        help_text=_(
            "Where it rated the band (ranked on words alone, or where the two rankings "
            "agreeing says little): the share of its own text (by term weight) the shared "
            "terms make, 0 to 1; null otherwise, or stored before."
        ),
    )
    terms = serializers.IntegerField(
        allow_null=True,
        default=None,
        help_text=_(
            "Where it rated the band, as coverage: how many distinct terms it shares (a "
            "phrase or a Chinese compound matched whole counts once more); null otherwise."
        ),
    )

    def get_attribute(self, instance):
        # Stored in the explanation; a suggestion generated before it was has none (null).
        explanation = instance.explanation if isinstance(instance.explanation, dict) else {}
        found = explanation.get("strength")
        return found if isinstance(found, dict) and found.get("band") else None


class ExplanationField(serializers.JSONField):
    """The stored explanation, its level's `reason` worded in the language asked for from the
    level's parts, as the review page words it (suggestions.reasons.level_reason), naming the
    site's level each tier stands for; a level without the parts (stored before them) keeps its
    stored sentence. The record is not changed."""

    def to_representation(self, value):
        level = value.get("level") if isinstance(value, dict) else None
        if isinstance(level, dict) and "reason" in level:
            said = level_reason(level, self._tier_codes())
            if said:
                value = {**value, "level": {**level, "reason": said}}
        return super().to_representation(value)

    def _tier_codes(self) -> dict[str, str]:
        # Read once per response: the context is the whole list's (the root serializer's).
        context = self.context
        if "tier_codes" not in context:
            context["tier_codes"] = tier_codes(Level.objects.order_by("rank"))
        return context["tier_codes"]


class SuggestionRequiredViaSerializer(serializers.Serializer):
    ability = serializers.IntegerField(
        source="id", help_text=_("The required ability this one stands in for.")
    )
    relation = serializers.ChoiceField(
        choices=[RelationType.EXACT_MATCH_OF, RelationType.IS_RELATED_TO],
        help_text=_("The crosswalk, one the programme's rule set counts."),
    )


class RequiredByListSerializer(serializers.ListSerializer):
    """The programme's needs of the suggestion's ability (the list's `programme_needs`
    context); null when the list is not a programme's."""

    def get_attribute(self, instance):
        needs = self.context.get("programme_needs")
        if needs is None:
            return None
        # Each need judged against the suggestion's proposed level (read with it: no query).
        level = instance.proposed_level
        return [
            {**asdict(need), "below_min_level": need.above(level)}
            for need in needs.needs_of(instance.ability_id)
        ]


class SuggestionRequiredBySerializer(serializers.Serializer):
    position = serializers.IntegerField(source="position_id", help_text=_("A target position."))
    status = serializers.ChoiceField(
        choices=[MISSING, PARTIAL, COVERED],
        allow_blank=True,
        help_text=_(
            "The requirement's status in the programme's stored coverage report; blank for a "
            "requirement added since it was computed."
        ),
    )
    importance = serializers.ChoiceField(choices=Importance.choices)
    min_level = serializers.CharField(help_text=_("The requirement's minimum level (its code)."))
    below_min_level = serializers.BooleanField(
        help_text=_(
            "Whether the suggestion's proposed level is below `min_level`: accepted at its "
            "proposed level, the link leaves this requirement partial (accept it with `level` "
            "set to `min_level` to close it). False when it proposes no level."
        )
    )
    via = SuggestionRequiredViaSerializer(
        allow_null=True,
        help_text=_(
            "Set when the suggested ability is not required itself but stands in for a required "
            "one through a crosswalk the programme counts."
        ),
    )

    class Meta:
        list_serializer_class = RequiredByListSerializer


class SuggestionSerializer(ModelSerializer):
    ability = SuggestedAbilitySerializer()
    proposed_level = LevelField(read_only=True)
    proposed_importance = ProposedImportanceField(
        choices=Importance.choices,
        allow_blank=True,
        read_only=True,
        help_text=_(
            "A position's suggestion: what its description makes the ability, essential or "
            "optional (what accepting makes the requirement unless told). Blank for a course's."
        ),
    )
    strength = StrengthSerializer(
        read_only=True,
        allow_null=True,
        help_text=_(
            "How strongly the engine stands by it, in words (`score` is a fused rank score, "
            "comparable only within one course or position). Null for a suggestion generated "
            "before strengths were recorded."
        ),
    )
    # The stored record, as generated: a line far in meaning that an older suggestion holds
    # stays in it (with its similarity, for a client to judge), as it does in the database.
    explanation = ExplanationField(
        read_only=True,
        help_text=format_lazy(
            _(
                "Why it was suggested, as stored when generated: its matches (a term "
                'shared or, kind "meaning", a line close in meaning, with its '
                "similarity) and the reasons for the level and importance proposed. A "
                "match by meaning with a similarity below {floor} was stored before the "
                "engine named only lines that close: it is not close in meaning, and "
                "the review pages neither show it nor read an importance from it. The "
                "level's `reason` is worded in the language asked for (Accept-Language), "
                "as the review pages word it."
            ),
            floor=selectors.MEANING_FLOOR,
        ),
    )
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    updated_at = UpdatedAtField()
    required_by = SuggestionRequiredBySerializer(
        many=True,
        read_only=True,
        allow_null=True,
        help_text=_(
            "In a list for a programme (`?programme=`): the requirements of its target positions "
            "that the ability serves, each with its gap status; empty when no target requires "
            "it. Null otherwise."
        ),
    )

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "course",
            "position",
            "ability",
            "framework",
            "score",
            "strength",
            "rank",
            "method",
            "explanation",
            "proposed_level",
            "proposed_importance",
            "status",
            "skipped_at",
            "decided_by",
            "decided_at",
            "created_at",
            "updated_at",
            "required_by",
        ]
        read_only_fields = fields


class StrictBooleanField(serializers.BooleanField):
    """true or false (or 1 or 0) in a query string, as every list filter reads it."""

    TRUE_VALUES = {"true", "True", "1", True}
    FALSE_VALUES = {"false", "False", "0", False}
    # A query string (a QueryDict) without it leaves it out, rather than false.
    default_empty_html = empty
    default_error_messages = {"invalid": StrictBooleanFormField.default_error_messages["invalid"]}


class ProgrammeListQuerySerializer(serializers.Serializer):
    """`?programme=&required=` of the suggestions list, read before the list is: the programme's
    needs decide which rows it holds and what each says (`required_by`)."""

    programme = IdField(
        required=False,
        help_text=_(
            "A programme's id: the suggestions of its courses, each naming the requirements of "
            "its target positions it serves (`required_by`)."
        ),
    )
    required = StrictBooleanField(
        required=False,
        help_text=_(
            "With `programme`: true keeps the suggestions of abilities its target positions "
            "require (or that stand in for one through a crosswalk it counts), those closing an "
            "essential requirement's gap first (missing, then partial), then an optional one's, "
            "then the rest, each best first."
        ),
    )

    def validate(self, attrs):
        programme_id = attrs.get("programme")
        if programme_id is None:
            if "required" in attrs:
                raise ValidationError(
                    {"required": _("Give the programme whose target positions require it.")}
                )
            return attrs
        programme = selectors.programme_get(pk=programme_id)
        if programme is None:
            raise ValidationError(
                {"programme": _("No programme has the id %(ids)s.") % {"ids": programme_id}}
            )
        attrs["programme"] = programme
        attrs["needs"] = selectors.programme_needs(programme=programme)
        return attrs


class AcceptSerializer(KnownKeysMixin, serializers.Serializer):
    level = LevelField(
        required=False,
        allow_null=True,
        help_text=_(
            "I, R or M: the link's level (a course's suggestion; its proposed level when "
            "omitted) or the requirement's minimum level (a position's; its proposed level, "
            "else M, when omitted)."
        ),
    )
    importance = serializers.ChoiceField(
        choices=Importance.choices,
        required=False,
        help_text=_(
            "A position's suggestion only (a 400 for a course's): essential or optional (its "
            "proposed importance when omitted, else essential)."
        ),
    )


class AcceptedSerializer(serializers.Serializer):
    suggestion = SuggestionSerializer()
    link = serializers.IntegerField(allow_null=True, help_text=_("The course-ability link made."))
    requirement = serializers.IntegerField(allow_null=True, help_text=_("The requirement made."))


class GenerateSerializer(KnownKeysMixin, serializers.Serializer):
    """A generation request's shape, read without the database: which kind it generates
    (`validated_data["kind"]`, "courses" or "positions") is known before any id is looked up,
    so that the permission of that kind is checked first (an id's existence is not told to who
    may not generate for it). `subject_ids()` then reads the ids."""

    courses = IdsField(
        required=False,
        allow_null=True,
        max_length=MAX_SUBJECTS,
        help_text=format_lazy(_("Course ids, at most {max}."), max=MAX_SUBJECTS),
    )
    programme = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text=_("A programme's id: its courses."),
    )
    positions = IdsField(
        required=False,
        allow_null=True,
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
        # An empty list or a null is as if the key were absent: one rule, here, decides both
        # what is generated and (through "kind") which permission that needs.
        chosen = [name for name in ("courses", "programme", "positions") if attrs.get(name)]
        if len(chosen) != 1:
            raise ValidationError(
                {"courses": _("Give exactly one of courses, programme or positions.")}
            )
        attrs["kind"] = GENERATE_POSITIONS if chosen == ["positions"] else GENERATE_COURSES
        return attrs

    def subject_ids(self) -> tuple[list[int], list[int]]:
        """(course ids, position ids) to generate for, each id once; a ValidationError naming
        the ids (or the programme) that match no row, all read in one query."""
        data = self.validated_data
        if data["kind"] == GENERATE_POSITIONS:
            return [], _existing("positions", data["positions"])
        if not data.get("programme"):
            return _existing("courses", data["courses"]), []
        programme = selectors.programme_get(pk=data["programme"])
        if programme is None:
            raise ValidationError(
                {"programme": _("No programme has the id %(ids)s.") % {"ids": data["programme"]}}
            )
        course_ids = selectors.programme_course_ids(programme=programme)
        if not course_ids:
            raise ValidationError({"programme": _("The programme has no courses.")})
        return course_ids, []


# What generate's id lists name, and the message for an id naming none.
_SUBJECTS = {
    "courses": (Course, gettext_noop("No course has the id %(ids)s.")),
    "positions": (Position, gettext_noop("No position has the id %(ids)s.")),
}


def _existing(field: str, ids: list[int]) -> list[int]:
    """`ids` (each once already: IdsField refuses a repeat), checked to exist in one query
    (core.services.require_existing)."""
    model, message = _SUBJECTS[field]
    require_existing(model, ids, field=field, message=message)
    return ids


class GenerateAcceptedSerializer(serializers.Serializer):
    task_id = serializers.CharField()
    status_url = serializers.URLField()
    courses = serializers.IntegerField()
    positions = serializers.IntegerField()
