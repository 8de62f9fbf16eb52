"""The page a form refused for its CSRF token gets (settings.CSRF_FAILURE_VIEW), in place of
Django's, which is written for the site's developer, styled on its own and in English markup.

A designer meets it when a page was opened before signing in or out (Django rotates the token at
every sign-in, perhaps in another tab), with the site's cookies blocked, or when the site is
reached through an address its settings do not trust (a proxy's): each is said in the reader's
language with what to do, and the page the form came from is offered to load afresh. The map's
editor, which posts its changes from a script and shows the answer in its side panel, gets the
panel's refusal instead of a whole page."""

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_BAD_ORIGIN, REASON_NO_CSRF_COOKIE, REASON_NO_REFERER
from django.template import loader
from django.utils.translation import gettext as _

from core.http import site_path

_ADDRESS_CHECKS = tuple(reason.split(" - ")[0] for reason in (REASON_BAD_ORIGIN, REASON_NO_REFERER))


def _said(reason: str) -> str:
    if reason == REASON_NO_CSRF_COOKIE:
        return _(
            "Your browser did not send this site's cookie, which every form needs, so nothing "
            "was saved: allow cookies for this site, then reload the page and send it again."
        )
    # "Origin checking failed - …", and on HTTPS "Referer checking failed - …": the form came
    # through an address the settings do not list (or a proxy that hides the request's own).
    if reason.startswith(_ADDRESS_CHECKS):
        return _(
            "The form was sent through an address this site does not trust, so nothing was "
            "saved. Open the site at its own address; if that is the address you used, an "
            "administrator needs to add it to DJANGO_CSRF_TRUSTED_ORIGINS."
        )
    return _(
        "The page this form came from is out of date (you signed in or out since it was "
        "opened, perhaps in another tab), so nothing was saved. Reload the page and send it "
        "again."
    )


def _came_from(request: HttpRequest) -> str:
    """The page the form was on, as a path on this site, or "" (another site's is never linked)."""
    return site_path(request, request.headers.get("Referer")) or ""


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = _said(reason)
    back = _came_from(request)
    if request.headers.get("X-Map-Editor") == "1":
        # The map's script shows an answer that is not 2xx in its side panel, as it shows the
        # editor's own refusals.
        page = loader.render_to_string(
            "curricula/_map_errors.html", {"errors": [message], "reload_url": back}
        )
    else:
        # Without the request's context, as the other error pages: a refused form asks nothing
        # of the session or the database.
        page = loader.render_to_string(
            "_error_page.html",
            {"heading": _("Form not sent"), "message": message, "reload_url": back},
        )
    return HttpResponse(page, status=403)
