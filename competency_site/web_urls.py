"""Pages for curriculum designers: the overview at /, then a section per subject. A section's
pages may come from more than one app: /positions/ lists positions (positions) and shows each
with the programmes that build its requirements (curricula). /courses/{id}/ shows one course
(curricula) and has no list of its own: courses are reached from the programmes teaching them."""

from django.urls import include, path

from curricula import urls as curricula_urls
from curricula.views.programmes import home_page
from curricula.views.search import search_page
from positions import urls as positions_urls

urlpatterns = [
    path("", home_page, name="home"),
    path("search/", search_page, name="search"),
    path(
        "positions/",
        include(
            (
                [*positions_urls.urlpatterns, *curricula_urls.position_urlpatterns],
                positions_urls.app_name,
            )
        ),
    ),
    path(
        "certifications/",
        include((curricula_urls.certification_urlpatterns, "certifications")),
    ),
    path("courses/", include((curricula_urls.course_urlpatterns, "courses"))),
    path("programs/", include("curricula.urls")),
    path("suggestions/", include("suggestions.urls")),
]
