"""HTTP around the pages (the API has its own: core.api.middleware)."""

from django.utils.cache import patch_cache_control

from core.api.middleware import is_api_request


class PrivatePagesMiddleware:
    """A page rendered for a signed-in user is not stored by any cache: it holds what only they
    may see (who changed each link, review queues, their CSRF token), which a shared computer's
    browser would otherwise show again after they log out. `Cache-Control: private, no-store`,
    unless the view chose its own (the admin's never_cache). Anonymous pages are left alone,
    and the API keeps its own rules."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api_request(request) or response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
