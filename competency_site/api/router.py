"""The one router of /api/v1/. Coverage and import endpoints have URL modules of their own,
included next to this one by competency_site/api/urls.py."""

from django.urls import re_path
from rest_framework.routers import DefaultRouter

from certifications.api.views import CertificationViewSet
from curricula.api.views import CourseAbilityViewSet, CourseViewSet, ProgrammeViewSet
from positions.api.views import (
    AbilityRelationViewSet,
    AbilityViewSet,
    CompetencyAreaViewSet,
    FrameworkViewSet,
    LevelViewSet,
    PositionViewSet,
    RequirementViewSet,
    TrackViewSet,
)

router = DefaultRouter()
router.register("tracks", TrackViewSet, basename="track")
router.register("competency-areas", CompetencyAreaViewSet, basename="competency-area")
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("abilities", AbilityViewSet, basename="ability")
router.register("ability-relations", AbilityRelationViewSet, basename="ability-relation")
router.register("levels", LevelViewSet, basename="level")
router.register("positions", PositionViewSet, basename="position")
router.register("requirements", RequirementViewSet, basename="requirement")
router.register("courses", CourseViewSet, basename="course")
router.register("course-abilities", CourseAbilityViewSet, basename="course-ability")
router.register("certifications", CertificationViewSet, basename="certification")
router.register("programs", ProgrammeViewSet, basename="program")

urlpatterns = [
    # A file-like name for the same curriculum map as programs/{id}/map/.
    re_path(
        r"^programs/(?P<pk>[0-9]{1,18})/map\.csv$",
        ProgrammeViewSet.as_view(
            {"get": "curriculum_map"}, **ProgrammeViewSet.curriculum_map.kwargs
        ),
        name="program-map-csv",
    ),
    *router.urls,
]
