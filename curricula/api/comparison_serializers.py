"""GET /api/v1/programs/compare/: its query parameters and its answer (see
curricula.selectors.comparisons)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.filters import MAX_ID
from curricula.selectors import comparisons
from curricula.selectors.maps import SEARCH_MAX_LENGTH


class ComparisonQuerySerializer(serializers.Serializer):
    programs = serializers.CharField(
        help_text=_(
            "Two to four programme ids, comma-separated, each once: the programmes compared, in "
            "this order."
        ),
    )
    scope = serializers.ChoiceField(
        choices=list(comparisons.SCOPES),
        required=False,
        help_text=_(
            "The abilities listed: `required` (the default) those any of their target positions "
            "requires, `built` those any of their courses builds."
        ),
    )
    position = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Only the abilities this target position (of any of them) requires."),
    )
    area = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_ID,
        help_text=_("Only the abilities of this competency area (0: of none)."),
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=SEARCH_MAX_LENGTH,
        help_text=_(
            "Words every listed ability has in its code, statement, short name or Chinese "
            "statement, read as the site search reads them."
        ),
    )
    differences = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Only the abilities whose level or status differs between the programmes."),
    )

    def validate_programs(self, value: str) -> list:
        try:
            ids = comparisons.comparison_programme_ids(value.split(","))
            return comparisons.comparison_programmes(ids=ids)
        except comparisons.ComparisonInputError as error:
            raise serializers.ValidationError(error.message) from error

    def validate(self, attrs: dict) -> dict:
        position = attrs.get("position")
        if position and not comparisons.comparison_position_known(
            programmes=attrs["programs"], position_id=position
        ):
            raise serializers.ValidationError(
                {"position": [_("None of these programmes targets that position.")]}
            )
        return attrs

    def filters(self) -> comparisons.ComparisonFilters:
        data = self.validated_data
        return comparisons.ComparisonFilters(
            scope=data.get("scope") or comparisons.SCOPE_REQUIRED,
            position_id=data.get("position"),
            area_id=data.get("area"),
            q=" ".join((data.get("q") or "").split()),
            differences=data.get("differences", False),
        )


class TallySerializer(serializers.Serializer):
    percent = serializers.FloatField(
        allow_null=True, help_text=_("Covered essential requirements over essential ones.")
    )
    score = serializers.FloatField(
        allow_null=True,
        help_text=_("The weighted score, with partial credit, over essential requirements."),
    )
    essential = serializers.IntegerField()
    essential_covered = serializers.IntegerField()
    essential_partial = serializers.IntegerField()
    essential_missing = serializers.IntegerField()
    percent_all = serializers.FloatField(
        allow_null=True, help_text=_("Covered requirements over all, optional ones included.")
    )
    total = serializers.IntegerField()
    covered = serializers.IntegerField(help_text=_("Covered requirements, optional ones included."))
    partial = serializers.IntegerField(
        help_text=_("Partly covered requirements, optional ones included.")
    )


class ComparedProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    targets = serializers.ListField(child=serializers.IntegerField())
    state = serializers.CharField(help_text=_("The stored report's state."))
    own_percent = serializers.FloatField(
        allow_null=True, help_text=_("The stored report's percent, against its own targets.")
    )
    against_targets = TallySerializer(
        help_text=_("Against every position any compared programme targets.")
    )


class GroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    programs = TallySerializer(many=True, help_text=_("One per programme, in their order."))


class PositionGroupSerializer(GroupSerializer):
    targeted_by = serializers.ListField(
        child=serializers.BooleanField(),
        help_text=_("Whether each programme, in their order, targets it."),
    )


class AbilityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    text = serializers.CharField()
    area = serializers.IntegerField(allow_null=True)


class CellSerializer(serializers.Serializer):
    level = serializers.CharField(allow_blank=True, help_text=_("Best level reached; blank: none."))
    status = serializers.CharField(
        allow_blank=True, help_text=_("covered, partial, missing; blank where none requires it.")
    )


class ComparisonRowSerializer(serializers.Serializer):
    ability = AbilityRefSerializer()
    min_level = serializers.CharField(
        allow_blank=True, help_text=_("The strictest minimum required; blank: not required.")
    )
    essential = serializers.BooleanField()
    positions = serializers.ListField(child=serializers.IntegerField())
    differs = serializers.BooleanField()
    programs = CellSerializer(many=True, help_text=_("One per programme, in their order."))


class ComparisonSerializer(serializers.Serializer):
    programs = ComparedProgrammeSerializer(many=True)
    positions = PositionGroupSerializer(many=True)
    areas = GroupSerializer(many=True)
    count = serializers.IntegerField(help_text=_("Abilities in all pages."))
    next = serializers.URLField(allow_null=True, help_text=_("The next page, null on the last."))
    previous = serializers.URLField(
        allow_null=True, help_text=_("The previous page, null on the first.")
    )
    abilities = ComparisonRowSerializer(
        many=True,
        help_text=_(
            "One page of the abilities (`page`, `page_size`); the figures above are the whole "
            "comparison's on every page."
        ),
    )

    @staticmethod
    def payload(
        comparison: comparisons.Comparison,
        *,
        rows: list[comparisons.ComparisonRow],
        count: int,
        next_link: str | None,
        previous_link: str | None,
    ) -> dict:
        """The answer, with `rows` (one page of comparison.rows, `count` in all) as its
        abilities."""
        return {
            "programs": [
                {
                    "id": entry.programme.pk,
                    "name": entry.name,
                    "targets": [
                        group.id for group in comparison.positions if group.id in entry.target_ids
                    ],
                    "state": entry.state,
                    "own_percent": entry.stored_percent,
                    "against_targets": entry.summary.as_dict(),
                }
                for entry in comparison.programmes
            ],
            "positions": [
                {
                    "id": group.id,
                    "name": group.name,
                    "programs": [tally.as_dict() for tally in group.tallies],
                    "targeted_by": group.targeted_by,
                }
                for group in comparison.positions
            ],
            "areas": [
                {
                    "id": group.id,
                    "name": group.name,
                    "programs": [tally.as_dict() for tally in group.tallies],
                }
                for group in comparison.areas
            ],
            "count": count,
            "next": next_link,
            "previous": previous_link,
            "abilities": [
                {
                    "ability": {
                        "id": row.ability_id,
                        "code": row.code,
                        "text": row.text,
                        "area": row.area_id,
                    },
                    "min_level": row.min_level,
                    "essential": row.essential,
                    "positions": list(row.position_ids),
                    "differs": row.differs,
                    "programs": [
                        {"level": cell.level, "status": cell.status} for cell in row.cells
                    ],
                }
                for row in rows
            ],
        }
