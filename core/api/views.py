"""Views of the API plumbing itself."""

import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.filters import refuse_unknown_query_parameters
from core.i18n import join_list


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


# The schemas this process has generated, by (language, API version). The public schema is made
# from the code and the settings alone: not from the database nor from who asks (checked by
# core.tests.test_schema_view), so it changes only when the process restarts with new code or a
# test changes a setting.
_schemas: dict[tuple[str | None, str | None], dict] = {}
# And as each renderer wrote them, by (language, version) and media type.
_schemas_rendered: dict[tuple[tuple[str | None, str | None], str], bytes] = {}
_schemas_lock = threading.Lock()


@receiver(setting_changed)
def _schemas_forget(**kwargs) -> None:
    _schemas.clear()
    _schemas_rendered.clear()


def _translated(value):
    """`value` with each lazy translation in it made text in the language active now: kept, it
    is served in this language whichever one is active when it is rendered (`?lang=` chooses
    the language only while the schema is generated)."""
    if isinstance(value, dict):
        return {_translated(key): _translated(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_translated(item) for item in value)
    if isinstance(value, Promise):
        return str(value)
    return value


UNKNOWN_LANGUAGE = _("Unknown language: the schema is written in %(names)s.")


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process for each language and API version.

    drf-spectacular generates it on every request: about half a second of CPU for our 1 MB
    schema, so any client could keep a web worker busy by asking for it again and again, and
    each documentation page (Swagger UI, ReDoc) waited that long. Its documentation suggests
    cache_page, which keeps the schema in the shared cache by address: a deployment of new code
    would serve the old schema until the entry expired, and a signed-in reader (the session
    varies the response by its cookie) would have a copy of their own. Kept in the process, it
    is generated again whenever the code may have changed."""

    @extend_schema(exclude=True)  # as drf-spectacular's (SERVE_INCLUDE_SCHEMA is off)
    def get(self, request, *args, **kwargs):
        """drf-spectacular's, with what it took of any value refused: an unknown `?lang=`
        (served in English, and kept as a language of its own: any number of copies) and
        `?version=` (this API has no versions: it was written into the title as one, and kept
        as well), and any other parameter, as the API refuses them."""
        refuse_unknown_query_parameters(request.query_params, taken=["lang"])
        lang = request.query_params.get("lang")
        if lang is None:
            return self._get_schema_response(request)
        try:
            code = translation.get_supported_language_variant(lang)
        except LookupError:
            names = join_list(code for code, _name in settings.LANGUAGES)
            raise ValidationError({"lang": [UNKNOWN_LANGUAGE % {"names": names}]}) from None
        with translation.override(code):
            return self._get_schema_response(request)

    def handle_exception(self, exc):
        """A refusal in JSON, as the API's: rendered as YAML, drf-spectacular's default, each
        message came out as `string:` and `code:` (`?format=xml` too, DRF's 404)."""
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        schema = _schemas.get(key)
        if schema is None:
            # One generation at a time: threads asking at once (a server's first requests)
            # would each spend the half second.
            with _schemas_lock:
                schema = _schemas.get(key)
                if schema is None:
                    generator = self.generator_class(
                        urlconf=self.urlconf, api_version=version, patterns=self.patterns
                    )
                    schema = _translated(
                        generator.get_schema(request=request, public=self.serve_public)
                    )
                    _schemas[key] = schema
        headers = {
            "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'
        }
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        if media_type != renderer.media_type:
            # The client's media type with parameters (`; indent=2`): rendered for it alone.
            return Response(data=schema, headers=headers)
        # Rendering takes time too: 0.2 s for the YAML, 40 ms for the JSON.
        rendered = _schemas_rendered.get((key, media_type))
        if rendered is None:
            rendered = renderer.render(schema, media_type, self.get_renderer_context())
            _schemas_rendered[(key, media_type)] = rendered
        if renderer.charset:
            media_type = f"{media_type}; charset={renderer.charset}"
        return HttpResponse(rendered, content_type=media_type, headers=headers)


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI. A page, so GET and HEAD only: its OPTIONS (DRF's metadata) rendered the page's
    template without the page's data, a 500."""

    http_method_names = ["get", "head"]


class RedocView(SpectacularRedocView):
    """ReDoc; a page, as SwaggerView."""

    http_method_names = ["get", "head"]
