"""Coverage endpoints. Included at /api/v1/ before the main router, so these paths win over the
router's programs/{id}/... routes."""

from django.urls import path, re_path

from curricula.api.coverage_views import (
    ProgrammeCoverageView,
    ProgrammeRecomputeView,
    TaskStatusView,
)

# Ids beyond 18 digits would overflow the database's integer: they 404 here instead.
PK = r"(?P<pk>[0-9]{1,18})"

urlpatterns = [
    re_path(
        rf"^programs/{PK}/coverage/$", ProgrammeCoverageView.as_view(), name="program-coverage"
    ),
    re_path(
        rf"^programs/{PK}/recompute/$", ProgrammeRecomputeView.as_view(), name="program-recompute"
    ),
    path("tasks/<uuid:task_id>/", TaskStatusView.as_view(), name="coverage-task"),
]
