"""Views of the API plumbing itself."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView


def accepted(request, data, *, status_url: str) -> Response:
    """A 202 for work left to a background job: `data` (the job, or a task with its id), and
    `Location` the absolute URL to poll (`status_url`, a path), as the schema says of every 202
    (core.api.schema)."""
    return Response(
        data,
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": request.build_absolute_uri(status_url)},
    )


class UnknownRouteView(APIView):
    """Any path under /api/ that no endpoint serves: a JSON 404 (DRF's error body, in whatever
    format the client negotiates) rather than the site's HTML page, in development too.

    It stands where CommonMiddleware's APPEND_SLASH would otherwise look, so it redirects a path
    that only lacks its trailing slash itself, as the middleware would."""

    schema = None  # not an operation of the API
    permission_classes = ()

    def dispatch(self, request, *args, **kwargs):
        path = request.path_info
        if settings.APPEND_SLASH and not path.endswith("/") and _serves(path + "/"):
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound(_("No endpoint is at this address."))


def _serves(path: str) -> bool:
    try:
        return getattr(resolve(path).func, "view_class", None) is not UnknownRouteView
    except Resolver404:
        return False


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI. A page, so GET and HEAD only: its OPTIONS (DRF's metadata) rendered the page's
    template without the page's data, a 500."""

    http_method_names = ["get", "head"]


class RedocView(SpectacularRedocView):
    """ReDoc; a page, as SwaggerView."""

    http_method_names = ["get", "head"]
