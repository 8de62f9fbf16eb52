"""/api/v1/imports/ (staff: start and follow imports) and /api/v1/frameworks/{id}/moodle.csv."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from positions.api.imports import FrameworkMoodleCsvView, ImportJobViewSet

router = SimpleRouter()
router.register("imports", ImportJobViewSet, basename="import-job")

urlpatterns = [
    path(
        "frameworks/<int:pk>/moodle.csv",
        FrameworkMoodleCsvView.as_view(),
        name="framework-moodle-csv",
    ),
    *router.urls,
]
