"""The site's answer to a request that failed on the server (urls.handler500)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as page_server_error

from core.api.middleware import is_api_request


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    """API and CASE clients get JSON, in the shape of every other API error, naming nothing of
    the failure (the log has it); pages get the site's 500 page."""
    if is_api_request(request):
        return JsonResponse(
            {"detail": _("A server error occurred. Try again in a moment.")}, status=500
        )
    return page_server_error(request, template_name)
