"""HTTP around the API (/api/ and /ims/case/): compression of large JSON, caching headers on
public reads, and the rate-limit headers of the anonymous throttle."""

from datetime import UTC

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework.fields import DateTimeField

API_PREFIXES = ("/api/", "/ims/case/")
# Below this a JSON body is not worth the CPU of compressing it.
GZIP_MIN_BYTES = 1024
SAFE_METHODS = ("GET", "HEAD")
# Where a sync resumes from (core.selectors.sync_watermark), on the answers it was read for.
SYNC_WATERMARK_HEADER = "Sync-Watermark"


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIXES)


def _is_json(response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


class ApiGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH padding), for API JSON of 1 KB or more; pages
    and CSV downloads are left as they are. It marks the ETag of what it compresses weak (W/):
    If-None-Match compares weakly anyway, and If-Match ignores that W/ (core.api.conditional).

    Every API JSON answer and every API 304 says `Vary: Accept-Encoding`, small ones too: a
    304 has no body to tell by, and must name what its 200 varies on (RFC 9110, 15.4.5), as a
    cache takes its header fields into the copy it kept (RFC 9111, 4.3.4); a body may also
    grow past the threshold between a read and its revalidation."""

    def process_response(self, request, response):
        if not is_api_request(request):
            return response
        if response.status_code == 304:
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        if not _is_json(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not response.streaming and len(response.content) < GZIP_MIN_BYTES:
            return response
        return super().process_response(request, response)


def _user_is_anonymous(request) -> bool:
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


class ApiResponseHeadersMiddleware:
    """`Cache-Control` on API answers, `RateLimit-*` beside DRF's `Retry-After`, and a sync's
    `Sync-Watermark` (core.api.filters.record_sync_watermark) on the answer it was read for.

    Public reads (GET/HEAD answered 200 or 304 to an anonymous client while reads are public)
    may be kept by any cache for API_CACHE_MAX_AGE seconds and must then be revalidated with
    their ETag; everything else is private to the client. DRF puts the authenticated user on the
    request, so token clients are told apart from anonymous ones here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api_request(request):
            return response
        limits = getattr(request, "ratelimit", None)
        if limits is not None:
            for name, value in limits.items():
                response[name] = str(value)
        watermark = getattr(request, "sync_watermark", None)
        if watermark is not None and response.status_code in (200, 304):
            # In UTC ("...Z"), as documented, whatever the site's zone (the body's times are in
            # the site's): a client keeps it as it came.
            response[SYNC_WATERMARK_HEADER] = DateTimeField(default_timezone=UTC).to_representation(
                watermark
            )
        if not response.has_header("Cache-Control"):
            public = (
                request.method in SAFE_METHODS
                and response.status_code in (200, 304)
                and _user_is_anonymous(request)
                and not getattr(settings, "API_REQUIRE_AUTH", False)
            )
            if public:
                patch_cache_control(
                    response,
                    public=True,
                    max_age=settings.API_CACHE_MAX_AGE,
                    must_revalidate=True,
                )
            elif request.method in SAFE_METHODS and response.status_code < 400:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, no_store=True)
        patch_vary_headers(response, ("Accept", "Authorization"))
        return response
