"""The audit trail as the API shows it."""

from django.urls import reverse
from rest_framework import serializers

from audit.selectors import CHANGE_TYPES, Change


class FieldChangeSerializer(serializers.Serializer):
    """One field a change touched, with its value before and after (null when absent)."""

    field = serializers.CharField()
    # Any JSON value, null included.
    before = serializers.JSONField()
    after = serializers.JSONField()


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
