"""The API: /api/v1/ (competency_site.api.router), the CASE 1.1 provider under /ims/case/v1p1/,
and the OpenAPI schema with its documentation (Swagger UI and ReDoc, from local static files)."""

from django.urls import include, path, re_path

from core.api.views import RedocView, SchemaView, SwaggerView, UnknownRouteView
from curricula.case.views import UnknownRouteView as CaseUnknownRouteView

urlpatterns = [
    path("api/v1/", include("competency_site.api.router")),
    path("ims/case/v1p1/", include("curricula.case.urls")),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), not inline, so the
    # page runs under the site's Content-Security-Policy (script-src 'self').
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    # Last: whatever else is under /api/ is a JSON 404 (or the redirect to its slashed form).
    # Unnamed, like any fallback: nothing links to them.
    re_path(r"^api/", UnknownRouteView.as_view()),
    # CASE paths have no trailing slash: anything else under /ims/case/ is CASE's 404 body.
    re_path(r"^ims/case/", CaseUnknownRouteView.as_view()),
]
