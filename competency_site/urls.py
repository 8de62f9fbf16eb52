from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from competency_site.accounts import (
    ThrottledPasswordChangeView,
    ThrottledPasswordResetView,
    admin_password_change,
)
from competency_site.preferences import time_zone_page
from core.admin import EditorAutocompleteView


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever a page links (the admin's pages link none of
    their own): send them to the site's icon instead of a 404."""

    permanent = False  # the icon's static URL carries a hash that changes with the file
    http_method_names = ["get", "head"]  # anything else is a 405, like any page

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


# An API client is answered in JSON, a reader the site's page.
handler400 = "core.errors.bad_request"
handler500 = "core.errors.server_error"

urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    # Before the admin's and Django's own: the same pages, rate-limited.
    path(
        "admin/password_change/",
        admin.site.admin_view(admin_password_change, cacheable=True),
    ),
    # Before the admin's: its autocomplete, also for staff who may fill the field (core.admin).
    path(
        "admin/autocomplete/",
        admin.site.admin_view(EditorAutocompleteView.as_view(admin_site=admin.site)),
    ),
    path("admin/", admin.site.urls),
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_change/",
        ThrottledPasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("time-zone/", time_zone_page, name="time-zone"),
    path("", include("competency_site.api.urls")),
    path("", include("competency_site.web_urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
