"""The review pages, served under /suggestions/."""

from django.urls import path

from suggestions import views

app_name = "suggestions"

urlpatterns = [
    path("courses/<int:pk>/", views.course_review_page, name="course-review"),
    path("programs/<int:pk>/", views.programme_review_page, name="programme-review"),
    path("positions/<int:pk>/", views.position_review_page, name="position-review"),
    path("decide/", views.decide, name="decide"),
    path("generate/", views.generate, name="generate"),
    path("catalogue/", views.catalogue_page, name="catalogue"),
    path("catalogue/generate/", views.catalogue_generate, name="catalogue-generate"),
]
