"""Coverage endpoints. Included at /api/v1/ before the main router, so these paths win over the
router's programs/{id}/... routes."""

from django.urls import path, re_path

from curricula.api.coverage_views import (
    ProgrammeCoverageView,
    ProgrammeRecomputeView,
    TaskStatusView,
)
from curricula.api.decision_views import (
    RecommendationsView,
    WhatIfApplyView,
    WhatIfView,
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
    re_path(rf"^programs/{PK}/what-if/$", WhatIfView.as_view(), name="program-what-if"),
    re_path(
        rf"^programs/{PK}/what-if/apply/$",
        WhatIfApplyView.as_view(),
        name="program-what-if-apply",
    ),
    re_path(
        rf"^programs/{PK}/recommendations/$",
        RecommendationsView.as_view(),
        name="program-recommendations",
    ),
    path("tasks/<uuid:task_id>/", TaskStatusView.as_view(), name="coverage-task"),
]
