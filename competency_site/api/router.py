"""The one router of /api/v1/: every app's viewsets, registered here where the site is put
together. Ids in detail routes are id-shaped (core.api.routers.Router)."""

from django.urls import path, re_path

from audit.api import urls as audit_urls
from core.api.routers import ID_PATTERN, Router
from core.api.tasks import TaskStatusView
from curricula.api.views import (
    CertificationViewSet,
    CourseAbilityViewSet,
    CourseViewSet,
    ProgrammeViewSet,
    RequirementExchangeViewSet,
)
from positions.api.views import (
    AbilityRelationViewSet,
    AbilityViewSet,
    CompetencyAreaViewSet,
    FrameworkViewSet,
    ImportJobViewSet,
    LevelViewSet,
    PositionViewSet,
    TrackViewSet,
)
from suggestions.api.views import (
    CourseSuggestionViewSet,
    PositionSuggestionViewSet,
    SuggestionViewSet,
)

router = Router()
router.register("tracks", TrackViewSet, basename="track")
router.register("competency-areas", CompetencyAreaViewSet, basename="competency-area")
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("abilities", AbilityViewSet, basename="ability")
router.register("ability-relations", AbilityRelationViewSet, basename="ability-relation")
router.register("levels", LevelViewSet, basename="level")
router.register("positions", PositionViewSet, basename="position")
# positions' requirements, with their file export and import (curricula's).
router.register("requirements", RequirementExchangeViewSet, basename="requirement")
router.register("imports", ImportJobViewSet, basename="import-job")
router.register("courses", CourseViewSet, basename="course")
router.register("course-abilities", CourseAbilityViewSet, basename="course-ability")
router.register("certifications", CertificationViewSet, basename="certification")
router.register("programs", ProgrammeViewSet, basename="program")
router.register(
    rf"courses/(?P<course_pk>{ID_PATTERN})/suggestions",
    CourseSuggestionViewSet,
    basename="course-suggestion",
)
router.register(
    rf"positions/(?P<position_pk>{ID_PATTERN})/suggestions",
    PositionSuggestionViewSet,
    basename="position-suggestion",
)
router.register("suggestions", SuggestionViewSet, basename="suggestion")


def _file_alias(viewset, action: str, pattern: str, name: str):
    """A file-like name (no trailing slash) for a download action: `programs/1/map.csv`."""
    handler = getattr(viewset, action)
    return re_path(
        pattern.format(id=f"(?P<pk>{ID_PATTERN})"),
        viewset.as_view({"get": action}, **handler.kwargs),
        name=name,
    )


urlpatterns = [
    _file_alias(ProgrammeViewSet, "curriculum_map", r"^programs/{id}/map\.csv$", "program-map-csv"),
    _file_alias(
        ProgrammeViewSet, "workbook", r"^programs/{id}/workbook\.xlsx$", "program-workbook-xlsx"
    ),
    _file_alias(
        FrameworkViewSet, "moodle", r"^frameworks/{id}/moodle\.csv$", "framework-moodle-csv"
    ),
    path("tasks/<uuid:task_id>/", TaskStatusView.as_view(), name="task-status"),
    *audit_urls.urlpatterns,
    *router.urls,
]
