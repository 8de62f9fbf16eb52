"""The audit API: who changed what and when, for links, requirements, positions, courses and
programmes (and the records that make them up), with the state before and after; and a revert.

It spans the three apps, so it lives with the project rather than in one of them. The records are
django-simple-history's, written by every single save and delete (admin, API, pages, services).

GET  /api/v1/history/?model=courseability&object_id=5   newest first, paginated
GET  /api/v1/history/{model}/{history_id}/
POST /api/v1/history/{model}/{history_id}/revert/       undo that one change
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from certifications.models import Certification
from competency_site.api.mixins import ServiceErrorsMixin
from competency_site.api.permissions import IsStaffUser
from curricula.models import Course, CourseAbility, Programme, ProgrammeCourse, ProgrammeTarget
from positions.models import Ability, Placement, Position, Requirement, Track

# The audited models, by the name clients use (Django's model_name).
AUDITED_MODELS: dict[str, type[models.Model]] = {
    model._meta.model_name: model
    for model in (
        CourseAbility,
        Requirement,
        Position,
        Placement,
        Course,
        Programme,
        ProgrammeCourse,
        ProgrammeTarget,
        Certification,
        Ability,
        Track,
    )
}
# Bookkeeping timestamps change on every save; they are shown in the states but are not changes
# anyone would revert.
_NOT_DIFFED = {"created_at", "updated_at"}
_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


class HistoryConflict(Exception):
    """The change cannot be reverted as things stand now (the object is gone, or back)."""


# --- selectors ---------------------------------------------------------------------------------


def _state(model: type[models.Model], record) -> dict[str, Any]:
    return {f.name: getattr(record, f.attname) for f in model._meta.concrete_fields}


@dataclass
class Change:
    """One historical record with the state before it (None for a creation)."""

    model: type[models.Model]
    record: Any
    previous: Any | None

    @property
    def type(self) -> str:
        return _TYPES[self.record.history_type]

    @property
    def before(self) -> dict[str, Any] | None:
        if self.record.history_type == "-":
            return _state(self.model, self.record)
        return None if self.previous is None else _state(self.model, self.previous)

    @property
    def after(self) -> dict[str, Any] | None:
        return None if self.record.history_type == "-" else _state(self.model, self.record)

    @property
    def changes(self) -> list[dict[str, Any]]:
        before, after = self.before or {}, self.after or {}
        return [
            {"field": name, "before": before.get(name), "after": after.get(name)}
            for name in (after or before)
            if name not in _NOT_DIFFED and before.get(name) != after.get(name)
        ]


def history_model(name: str) -> type[models.Model]:
    """The audited model called `name`; ValidationError for anything else."""
    model = AUDITED_MODELS.get((name or "").lower())
    if model is None:
        raise ValidationError(
            {
                "model": gettext("Choose one of: %(models)s.")
                % {"models": ", ".join(sorted(AUDITED_MODELS))}
            }
        )
    return model


def history_records(*, model: type[models.Model], object_id: int | None = None) -> models.QuerySet:
    """The model's historical records, newest first, with their users."""
    records = model.history.select_related("history_user").order_by("-history_date", "-history_id")
    if object_id is not None:
        records = records.filter(id=object_id)
    return records


def history_changes(*, model: type[models.Model], records: list) -> list[Change]:
    """Pair each record with the one before it, in one query for the whole page."""
    object_ids = {record.id for record in records}
    versions: dict[Any, list] = {}
    for version in model.history.filter(id__in=object_ids).order_by("history_date", "history_id"):
        versions.setdefault(version.id, []).append(version)
    previous: dict[int, Any] = {}
    for chain in versions.values():
        for earlier, later in zip([None, *chain], chain, strict=False):
            previous[later.history_id] = earlier
    return [Change(model, record, previous.get(record.history_id)) for record in records]


# --- services ----------------------------------------------------------------------------------


@transaction.atomic
def history_revert(*, model: type[models.Model], history_id: int, user: AbstractBaseUser) -> Change:
    """Undo one recorded change: delete what it created, restore the fields it changed to their
    earlier values, or recreate what it deleted (same id).

    Writes through the model's save()/delete(), so the revert is itself recorded (by `user`, with
    a reason naming the reverted change) and the coverage signals mark affected programmes stale.
    Raises HistoryConflict when the object is gone (or back), ValidationError when the restored
    state is no longer valid (e.g. a course it linked to was deleted).
    """
    record = model.history.filter(history_id=history_id).first()
    if record is None:
        raise model.DoesNotExist
    (change,) = history_changes(model=model, records=[record])
    reason = gettext("Revert of change %(id)s") % {"id": history_id}
    current = model.objects.select_for_update().filter(pk=record.id).first()

    if record.history_type == "-":
        if current is not None:
            raise HistoryConflict(gettext("The deleted object exists again."))
        restored = record.instance
        restored._history_user = user
        restored._change_reason = reason
        restored.full_clean()
        restored.save(force_insert=True)
    elif current is None:
        raise HistoryConflict(gettext("The object has been deleted since."))
    elif record.history_type == "+":
        current._history_user = user
        current._change_reason = reason
        try:
            current.delete()
        except (ProtectedError, RestrictedError) as error:
            raise HistoryConflict(gettext("Other records still depend on this object.")) from error
    else:
        fields = {f.name: f for f in model._meta.concrete_fields}
        for item in change.changes:
            setattr(current, fields[item["field"]].attname, item["before"])
        current._history_user = user
        current._change_reason = reason
        current.full_clean()
        current.save()
    latest = history_records(model=model, object_id=record.id).first()
    return history_changes(model=model, records=[latest])[0]


# --- API ---------------------------------------------------------------------------------------


class ChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="record.history_id")
    model = serializers.SerializerMethodField()
    object_id = serializers.IntegerField(source="record.id")
    type = serializers.ChoiceField(choices=list(_TYPES.values()))
    date = serializers.DateTimeField(source="record.history_date")
    user = serializers.SerializerMethodField()
    reason = serializers.CharField(source="record.history_change_reason", allow_null=True)
    changes = serializers.ListField(child=serializers.DictField())
    before = serializers.DictField(allow_null=True)
    after = serializers.DictField(allow_null=True)
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


class _HistoryView(ServiceErrorsMixin, GenericAPIView):
    """Staff only, and only with the model's view permission (change, to revert)."""

    permission_classes = [IsStaffUser]
    serializer_class = ChangeSerializer
    required_action = "view"

    def get_queryset(self):
        # For schema generation and DRF's introspection; the views pick the model per request.
        return CourseAbility.history.none()

    def audited_model(self, name: str) -> type[models.Model]:
        model = history_model(name)
        self.check_model_permission(model, self.required_action)
        return model

    def check_model_permission(self, model: type[models.Model], action: str) -> None:
        codename = f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        if not self.request.user.has_perm(codename):
            raise exceptions.PermissionDenied(
                _("You need the permission to %(action)s %(model)s records.")
                % {"action": action, "model": model._meta.verbose_name}
            )

    def handle_exception(self, exc):
        if isinstance(exc, HistoryConflict):
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        if isinstance(exc, ObjectDoesNotExist):
            exc = exceptions.NotFound()
        return super().handle_exception(exc)


class HistoryListView(_HistoryView):
    """GET /api/v1/history/?model=...&object_id=...: the changes, newest first."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "model", str, required=True, enum=sorted(AUDITED_MODELS), description=_("Model")
            ),
            OpenApiParameter(
                "object_id", OpenApiTypes.INT, description=_("Only this object's changes.")
            ),
        ],
        responses={200: ChangeSerializer(many=True)},
    )
    def get(self, request):
        model = self.audited_model(request.query_params.get("model", ""))
        raw_id = request.query_params.get("object_id")
        object_id = None
        if raw_id:
            field = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
            try:
                object_id = field.run_validation(raw_id)
            except serializers.ValidationError as error:
                raise serializers.ValidationError({"object_id": error.detail}) from error
        records = self.paginate_queryset(history_records(model=model, object_id=object_id))
        changes = history_changes(model=model, records=list(records))
        serializer = ChangeSerializer(changes, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)


class HistoryDetailView(_HistoryView):
    """GET /api/v1/history/{model}/{history_id}/: one change."""

    def get(self, request, model: str, history_id: int):
        audited = self.audited_model(model)
        record = history_records(model=audited).filter(history_id=history_id).first()
        if record is None:
            raise exceptions.NotFound()
        (change,) = history_changes(model=audited, records=[record])
        return Response(ChangeSerializer(change, context={"request": request}).data)


class HistoryRevertView(_HistoryView):
    """POST /api/v1/history/{model}/{history_id}/revert/: undo that change; answers the new
    record (the revert's own)."""

    required_action = "change"

    @extend_schema(
        request=None,
        responses={
            200: ChangeSerializer,
            400: OpenApiResponse(description=_("The earlier state is no longer valid.")),
            409: OpenApiResponse(description=_("The object is gone, or back.")),
        },
    )
    def post(self, request, model: str, history_id: int):
        audited = self.audited_model(model)
        history_type = (
            audited.history.filter(history_id=history_id)
            .values_list("history_type", flat=True)
            .first()
        )
        if history_type is None:
            raise exceptions.NotFound()
        # Undoing a creation deletes; undoing a deletion adds.
        extra = {"+": "delete", "-": "add"}.get(history_type)
        if extra:
            self.check_model_permission(audited, extra)
        change = history_revert(model=audited, history_id=history_id, user=request.user)
        return Response(ChangeSerializer(change, context={"request": request}).data)
