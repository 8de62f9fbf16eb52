"""The API: /api/v1/ (competency_site.api.router), the CASE 1.1 provider under /ims/case/v1p1/,
and the OpenAPI schema with its documentation."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("api/v1/", include("competency_site.api.router")),
    path("ims/case/v1p1/", include("curricula.case.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
