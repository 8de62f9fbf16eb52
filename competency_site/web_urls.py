"""Pages for curriculum designers: the overview at /, then one URL module per app."""

from django.urls import include, path

from curricula import views as curricula_views

urlpatterns = [
    path("", curricula_views.home, name="home"),
    path("positions/", include("positions.urls")),
    path("certifications/", include("certifications.urls")),
    path("programs/", include("curricula.urls")),
]
