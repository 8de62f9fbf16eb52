"""Decision-support endpoints: what-if (anyone may ask; staff may apply) and recommendations."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import IsStaffUser, StaffModelPermissionsOrReadOnly
from curricula.api.decision_serializers import (
    RecommendationQuerySerializer,
    RecommendationsSerializer,
    WhatIfRequestSerializer,
    WhatIfSerializer,
)
from curricula.decisions import selectors, services
from curricula.models import Programme


class AsksOnly(BasePermission):
    """A what-if is a question, not a write: whoever may read the API may ask it."""

    def has_permission(self, request, view):
        if getattr(settings, "API_REQUIRE_AUTH", False):
            return bool(request.user and request.user.is_authenticated)
        return True


class CanApplyScenarios(IsStaffUser):
    message = _("Only staff allowed to edit programmes and links may apply a scenario.")

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.has_perms(
            services.SCENARIO_PERMISSIONS
        )


def _bad_request(error: DjangoValidationError) -> Response:
    return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)


def _checked(request, programme: Programme, inputs: selectors.Inputs):
    """The request's scenario, checked against the database; raises DjangoValidationError."""
    serializer = WhatIfRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return selectors.scenario_check(
        programme_in=inputs[0],
        add_courses=data["add_courses"],
        remove_courses=data["remove_courses"],
        links=[selectors.LinkChange(**link) for link in data["links"]],
    )


class WhatIfView(APIView):
    permission_classes = [AsksOnly]
    queryset = Programme.objects.none()

    @extend_schema(
        operation_id="programs_what_if",
        request=WhatIfRequestSerializer,
        responses={200: WhatIfSerializer, 400: OpenApiResponse(description=_("Bad scenario."))},
        summary=_("What the coverage report would be after a change, saving nothing"),
        description=_(
            "Courses to add or remove and links to add, change or remove: answers with the "
            "report the same engine would compute after the change and, per position and per "
            "area, what changes status. Nothing is saved."
        ),
    )
    def post(self, request, pk: int):
        programme = get_object_or_404(Programme, pk=pk)
        inputs = selectors.programme_inputs(programme=programme)
        try:
            scenario = _checked(request, programme, inputs)
        except DjangoValidationError as error:
            return _bad_request(error)
        detail = selectors.what_if_detail(programme=programme, scenario=scenario, inputs=inputs)
        return Response(WhatIfSerializer({**detail, "applied": False}).data)


class WhatIfApplyView(APIView):
    permission_classes = [CanApplyScenarios]

    @extend_schema(
        operation_id="programs_what_if_apply",
        request=WhatIfRequestSerializer,
        responses={200: WhatIfSerializer, 400: OpenApiResponse(description=_("Bad scenario."))},
        summary=_("Apply a scenario as one change (staff)"),
        description=_(
            "Checks and applies the scenario in one transaction through the same services as "
            "any edit (history, stale marking, one recompute after commit). Answers with what "
            "was applied and the difference it makes."
        ),
    )
    def post(self, request, pk: int):
        programme = get_object_or_404(Programme, pk=pk)
        inputs = selectors.programme_inputs(programme=programme)
        try:
            scenario = _checked(request, programme, inputs)
            if not (scenario.add_course_ids or scenario.remove_course_ids or scenario.links):
                raise DjangoValidationError(
                    {"non_field_errors": [_("The scenario changes nothing.")]}
                )
            detail = selectors.what_if_detail(programme=programme, scenario=scenario, inputs=inputs)
            services.programme_scenario_apply(programme=programme, scenario=scenario)
        except DjangoValidationError as error:
            return _bad_request(error)
        return Response(WhatIfSerializer({**detail, "applied": True}).data)


class RecommendationsView(APIView):
    permission_classes = [StaffModelPermissionsOrReadOnly]
    queryset = Programme.objects.none()

    @extend_schema(
        operation_id="programs_recommendations",
        parameters=[
            OpenApiParameter("budget", OpenApiTypes.DECIMAL, description=_("Cost limit.")),
            OpenApiParameter("position", OpenApiTypes.INT, description=_("One target position.")),
            OpenApiParameter("area", OpenApiTypes.INT, description=_("One competency area.")),
        ],
        responses={
            200: RecommendationsSerializer,
            400: OpenApiResponse(description=_("Bad query.")),
        },
        summary=_("Catalogue courses that would close the programme's essential gaps"),
        description=_(
            "The cheapest set of catalogue courses outside the programme closing the most "
            "essential gaps (cost = credits, or one per course when credits are missing): "
            "proven optimal by branch-and-bound up to 40 candidate courses, greedy weighted set "
            "cover with its approximation bound beyond; `method` says which. Gaps no course "
            "closes are listed as needing a new course."
        ),
    )
    def get(self, request, pk: int):
        programme = get_object_or_404(Programme, pk=pk)
        query = RecommendationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        budget = query.validated_data.get("budget")
        try:
            detail = selectors.recommendations_detail(
                programme=programme,
                budget=float(budget) if budget is not None else None,
                position_id=query.validated_data.get("position"),
                area_id=query.validated_data.get("area"),
            )
        except DjangoValidationError as error:
            return _bad_request(error)
        return Response(RecommendationsSerializer(detail).data)
