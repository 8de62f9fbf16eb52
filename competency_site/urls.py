from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from competency_site.accounts import ThrottledPasswordResetView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before Django's own: the same page, rate-limited.
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("competency_site.api.urls")),
    path("", include("competency_site.web_urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
