"""The audit trail as the API shows it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from audit.selectors import CHANGE_TYPES, DELETION_RESOURCES, Change
from core.api.fields import IdField
from core.api.filters import AwareDateTimeQueryField


class FieldChangeSerializer(serializers.Serializer):
    """One field a change touched, with its value before and after (null when absent)."""

    field = serializers.CharField()
    # Any JSON value, null included.
    before = serializers.JSONField()
    after = serializers.JSONField()


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class ReferenceKeyField(serializers.JSONField):
    """A record's id, or a level's code: what its list's URL takes."""


class ReferenceSerializer(serializers.Serializer):
    """A record a foreign key in the change's before or after points to."""

    field = serializers.CharField(help_text=_("The foreign key's field."))
    id = serializers.IntegerField(help_text=_("Its value in before or after: the record's id."))
    resource = serializers.CharField(
        allow_null=True,
        help_text=_("The list under /api/v1/ the record is in (null: none lists it)."),
    )
    key = ReferenceKeyField(
        allow_null=True,
        help_text=_(
            "What that list's URL takes for the record: its id, or a level's code (levels/M/)."
        ),
    )
    label = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The record's name, or code and name (as its history last had it if gone; null for "
            "a record gone whose history you may not view)."
        ),
    )


class ChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="record.history_id")
    model = serializers.SerializerMethodField()
    object_id = serializers.IntegerField(source="record.id")
    type = serializers.ChoiceField(choices=list(CHANGE_TYPES.values()))
    date = serializers.DateTimeField(source="record.history_date")
    user = serializers.SerializerMethodField()
    reason = serializers.CharField(source="record.history_change_reason", allow_null=True)
    changes = FieldChangeSerializer(many=True)
    before = serializers.DictField(
        allow_null=True, help_text="Every field's value before the change (null for a creation)."
    )
    after = serializers.DictField(
        allow_null=True, help_text="Every field's value after it (null for a deletion)."
    )
    references = ReferenceSerializer(
        many=True,
        help_text=_("The records the foreign keys in before and after point to."),
    )
    url = serializers.SerializerMethodField()

    def get_model(self, change: Change) -> str:
        return change.model._meta.model_name

    def get_user(self, change: Change) -> str | None:
        user = change.record.history_user
        return user.get_username() if user is not None else None

    def get_url(self, change: Change) -> str:
        path = reverse(
            "history-detail",
            kwargs={"model": change.model._meta.model_name, "history_id": change.record.history_id},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DeletionQuerySerializer(serializers.Serializer):
    since = AwareDateTimeQueryField(
        required=False,
        help_text=_(
            "Only deletions at or after this time (ISO 8601, with its time zone): for a sync, "
            "the time the previous one began."
        ),
    )
    resource = serializers.ChoiceField(
        choices=DELETION_RESOURCES,
        required=False,
        help_text=_("Only the deletions of this list (its path under /api/v1/)."),
    )
    after_resource = serializers.ChoiceField(
        choices=DELETION_RESOURCES,
        required=False,
        help_text=_(
            "With since set to the last row's deleted_at and after_id to its id: that row's "
            "resource. The rows after it, for the next page of a sync (deletions are listed by "
            "time, resource, then id); page numbers shift when a deletion is undone meanwhile."
        ),
    )
    after_id = IdField(
        required=False,
        help_text=_("With after_resource: the id of the last row read."),
    )

    def validate(self, attrs):
        given = {name for name in ("after_resource", "after_id") if name in attrs}
        if given and "since" not in attrs:
            raise serializers.ValidationError(
                {"since": [_("Give since too: the deleted_at of the row after_id names.")]}
            )
        for name, other in (("after_resource", "after_id"), ("after_id", "after_resource")):
            if other in given and name not in given:
                raise serializers.ValidationError(
                    {name: [_("Give after_resource and after_id together.")]}
                )
        return attrs


class DeletionSerializer(serializers.Serializer):
    resource = serializers.ChoiceField(
        choices=DELETION_RESOURCES, help_text=_("The list the record was in.")
    )
    id = serializers.IntegerField(help_text=_("The deleted record's id in that list."))
    deleted_at = serializers.DateTimeField(source="history_date")


class HistoryQuerySerializer(serializers.Serializer):
    since = AwareDateTimeQueryField(
        required=False,
        help_text=_("Only changes at or after this time (ISO 8601, with its time zone)."),
    )
    ordering = serializers.ChoiceField(
        choices=["-date", "date"],
        default="-date",
        help_text=_(
            "-date: newest first (the default); date: oldest first, the order to replay changes "
            "in, whose pages stay put as new changes arrive."
        ),
    )
