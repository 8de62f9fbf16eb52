"""Only the /api/v1/ router, so the schema test judges this router's views alone."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("competency_site.api.router"))]
