"""Suggestions over /api/v1/: a course's or a position's suggestions, a reviewer's decisions, and
generation jobs. Staff only, holding the add permission of what accepting would create: a
course-ability link (course suggestions) or a requirement (position suggestions)."""

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from core.api.conditional import ConditionalRetrieveMixin, created_headers
from core.api.exceptions import ServiceUnavailable
from core.api.filters import DocumentedQueryParametersMixin, refuse_repeated_fields
from core.api.serializers import refuse_unknown_keys
from core.api.throttling import JOB_THROTTLES
from core.api.views import accepted
from curricula.api.views import CourseAbilityViewSet, RequirementExchangeViewSet
from curricula.models import CourseAbility, Suggestion
from suggestions import selectors, services
from suggestions.api import filters
from suggestions.api.serializers import (
    GENERATE_POSITIONS,
    AcceptedSerializer,
    AcceptSerializer,
    GenerateAcceptedSerializer,
    GenerateSerializer,
    ProgrammeListQuerySerializer,
    SuggestionSerializer,
)

ADD_LINK = "curricula.add_courseability"
ADD_REQUIREMENT = "positions.add_requirement"


def _is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def permission_for(suggestion: Suggestion) -> str:
    return ADD_LINK if suggestion.course_id else ADD_REQUIREMENT


def suggestions_readable(user) -> tuple[bool, bool]:
    """Whether `user` may read (course suggestions, position suggestions): staff holding the
    add permission of what accepting them creates. The lists and deletions/ alike."""
    if not _is_staff(user):
        return False, False
    return user.has_perm(ADD_LINK), user.has_perm(ADD_REQUIREMENT)


class StaffWith(BasePermission):
    """Staff holding the view's `required_permission` (list views), or, on one suggestion, the
    add permission of what accepting it creates."""

    message = _("Only staff who may add links (or requirements) may see and decide suggestions.")

    def has_permission(self, request, view):
        if not _is_staff(request.user):
            return False
        needed = getattr(view, "required_permission", None)
        if needed is None:
            return request.user.has_perm(ADD_LINK) or request.user.has_perm(ADD_REQUIREMENT)
        return request.user.has_perm(needed)

    def has_object_permission(self, request, view, obj):
        return request.user.has_perm(permission_for(obj))


@extend_schema_view(
    list=extend_schema(
        summary=_("A course's suggestions, best first"),
        description=_("Filter by `framework` (id) and `status` (pending, accepted, rejected)."),
    )
)
class CourseSuggestionViewSet(
    DocumentedQueryParametersMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    serializer_class = SuggestionSerializer
    filterset_class = filters.SubjectSuggestionFilter
    permission_classes = [StaffWith]
    required_permission = ADD_LINK

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no course
            return Suggestion.objects.none()
        course_id = int(self.kwargs["course_pk"])
        if not selectors.course_get(pk=course_id):
            raise Http404
        return selectors.suggestion_list(course_id=course_id)


@extend_schema_view(list=extend_schema(summary=_("A position's suggestions, best first")))
class PositionSuggestionViewSet(
    DocumentedQueryParametersMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    serializer_class = SuggestionSerializer
    filterset_class = filters.SubjectSuggestionFilter
    permission_classes = [StaffWith]
    required_permission = ADD_REQUIREMENT

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no position
            return Suggestion.objects.none()
        position_id = int(self.kwargs["position_pk"])
        if not selectors.position_get(pk=position_id):
            raise Http404
        return selectors.suggestion_list(position_id=position_id)


def _decided(suggestion) -> None:
    """The update time a decided suggestion is answered with: the decision's, its latest change
    (the list's `last_changed`, read with the suggestion before it, also counts its ability's
    older update time)."""
    suggestion.last_changed = suggestion.updated_at


ACCEPTED = _(
    "Accepted: `link` is the course-ability link it made (a course's suggestion), `requirement` "
    "the requirement (a position's); Location is its absolute URL and ETag the version its GET "
    "answers, as a POST to its collection answers them."
)
# What an accept's 400 says in the API's description: refused as a whole, or a field of it.
ACCEPT_REFUSED = _(
    "Not pending, or a level or an importance it cannot take (a course's suggestion takes no "
    "importance)."
)


@extend_schema_view(
    list=extend_schema(
        parameters=[ProgrammeListQuerySerializer],
        description=_(
            "Filter by `course`, `position`, `framework` (ids) and `status`; `programme` (id) "
            "lists its courses' suggestions with the requirements of its targets each serves "
            "(`required_by`), and `required=true` only those its targets require, gaps first."
        ),
    )
)
class SuggestionViewSet(
    DocumentedQueryParametersMixin,
    ConditionalRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Every suggestion the user may decide (`?course=&position=&framework=&status=`, or a
    programme's, `?programme=&required=`); accept, reject or skip one (with If-Match, only if
    it is still as its GET answered it); start a generation job."""

    serializer_class = SuggestionSerializer
    filterset_class = filters.SuggestionFilter
    permission_classes = [StaffWith]
    # Answer 201 with the Location and ETag of the link or requirement made (core.api.schema).
    creating_actions = ("accept",)
    # A list's `?programme=&required=`, read (and refused with a 400) before the list is; each
    # empty is "not given", as a filter's is.
    programme_query: dict | None = None
    blank_query_parameters = ("programme", "required")

    def list(self, request, *args, **kwargs):
        query = ProgrammeListQuerySerializer(data=request.query_params)
        refuse_repeated_fields(request.query_params, query)
        query.is_valid(raise_exception=True)
        self.programme_query = query.validated_data if "programme" in query.validated_data else None
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        # One suggestion is found even when its pair was settled elsewhere, so that deciding
        # it says why it cannot be decided instead of a bare 404; lists leave those out.
        rows = selectors.suggestion_list(settled_elsewhere=self.action != "list")
        courses, positions = suggestions_readable(self.request.user)
        if not courses:
            rows = rows.filter(course__isnull=True)
        if not positions:
            rows = rows.filter(Q(position__isnull=True))
        if self.action == "list" and self.programme_query:
            rows = selectors.programme_suggestion_list(
                rows,
                programme=self.programme_query["programme"],
                needs=self.programme_query["needs"],
                required=self.programme_query.get("required", False),
            )
        return rows

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list" and self.programme_query:
            context["programme_needs"] = self.programme_query["needs"]
        return context

    @extend_schema(
        request=AcceptSerializer,
        responses={
            201: OpenApiResponse(AcceptedSerializer, description=ACCEPTED),
            400: OpenApiResponse(description=ACCEPT_REFUSED),
        },
        summary=_("Accept: make the link (or requirement), provenance 'suggested'"),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def accept(self, request, *args, **kwargs):
        suggestion = self.get_object()
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            made = services.suggestion_accept(
                suggestion=suggestion,
                user=request.user,
                level=body.validated_data.get("level"),
                importance=body.validated_data.get("importance"),
            )
            is_link = isinstance(made, CourseAbility)
            # What it made, named as a POST to that collection names it (every 201 does).
            headers = created_headers(
                request,
                CourseAbilityViewSet if is_link else RequirementExchangeViewSet,
                basename="course-ability" if is_link else "requirement",
                pk=made.pk,
            )
        # Answered from what was done (the service leaves `suggestion` as it stored it), not
        # read again: a deletion landing after the commit (its course's, or a generation's)
        # would answer an accept that went through with a 404, and the client send it again.
        _decided(suggestion)
        data = {
            "suggestion": suggestion,
            "link": made.pk if is_link else None,
            "requirement": None if is_link else made.pk,
        }
        return Response(
            AcceptedSerializer(data).data, status=status.HTTP_201_CREATED, headers=headers
        )

    @extend_schema(
        request=None,
        responses={200: SuggestionSerializer},
        summary=_("Reject: never propose this pair again"),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, *args, **kwargs):
        suggestion = self.get_object()
        refuse_unknown_keys(request.data, taken=())
        # As accept: the answer is what was done, not the suggestion read again.
        services.suggestion_reject(suggestion=suggestion, user=request.user)
        _decided(suggestion)
        return Response(SuggestionSerializer(suggestion).data)

    @extend_schema(
        request=None,
        responses={200: SuggestionSerializer},
        summary=_("Skip: keep it pending, at the end of the queue"),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def skip(self, request, *args, **kwargs):
        suggestion = self.get_object()
        refuse_unknown_keys(request.data, taken=())
        services.suggestion_skip(suggestion=suggestion)
        _decided(suggestion)
        return Response(SuggestionSerializer(suggestion).data)

    @extend_schema(
        request=GenerateSerializer,
        responses={
            202: GenerateAcceptedSerializer,
            503: OpenApiResponse(description=_("The task queue is unreachable.")),
        },
        summary=_("Generate suggestions as a background job"),
        description=_(
            'Give {"courses": [ids]}, {"programme": id} or {"positions": [ids]}, and optionally '
            '{"framework": id}. Answers 202 with the job\'s status URL (state and progress).'
        ),
    )
    @action(
        detail=False,
        methods=["post"],
        throttle_classes=JOB_THROTTLES,
        filterset_class=None,
        pagination_class=None,
    )
    def generate(self, request, *args, **kwargs):
        body = GenerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # The permission of what the job will generate, as the body's shape says, before its ids
        # are read: checked after, the answer told a user without it which ids exist (400 or
        # 403). The serializer's one rule decides both, so they cannot disagree.
        needed = ADD_REQUIREMENT if data["kind"] == GENERATE_POSITIONS else ADD_LINK
        if not request.user.has_perm(needed):
            self.permission_denied(request, message=StaffWith.message)
        course_ids, position_ids = body.subject_ids()
        try:
            task_id = services.suggestions_request_generate(
                course_ids=course_ids,
                position_ids=position_ids,
                framework=data.get("framework"),
                started_by=request.user,
            )
        except services.SuggestionQueueUnavailable:
            raise ServiceUnavailable() from None
        body = {
            "task_id": task_id,
            "status_url": request.build_absolute_uri(reverse("task-status", args=[task_id])),
            "courses": len(course_ids),
            "positions": len(position_ids),
        }
        return accepted(
            request, GenerateAcceptedSerializer(body).data, status_url=body["status_url"]
        )
