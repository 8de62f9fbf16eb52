"""Logins and the account pages Django's auth views serve, with what the site adds: the
django-axes lockout on every login form, with the same count (per address and per account)
for guessing the old password at either password change page, and password reset mails
rate-limited, so the form cannot be used to flood a mailbox or the mail server."""

import logging
from urllib.parse import urlsplit

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import PasswordChangeView, PasswordResetView
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.authtoken.models import Token

from core.http import (
    client_address,
    failure_record,
    failures_forget,
    failures_reached,
    rate_exceeded,
)
from core.logins import login_paused, serving_request

logger = logging.getLogger("core.security")

# Wrong old passwords per account at the password change pages, from any browser.
_CHANGE_SCOPE = "password-change-account"


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before any password is tried, then the pause of an account guessed
    at from many addresses (core.logins). Every login form (the site's, the admin's) passes its
    request.

    A call without one has no client to count or lock out. While a request is served
    (core.logins.serving_request) it is a door that forgot to pass it, where passwords could be
    guessed without limit: refused before any password is checked, and logged as the mistake it
    is. Outside one (the shell, management commands, the test client's login()) no client can
    reach the call: it is left to the next backend, which checks the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            if serving_request():
                logger.error(
                    "Login refused: authenticate() was called without its request while one "
                    "was served, so that it could not be throttled; pass the request"
                )
                # Ends the search: no later backend checks the password (django.contrib.auth).
                raise PermissionDenied("authenticate() needs the request it serves")
            return None
        try:
            super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            # The address is locked out: django-axes counts this against it (lengthening its
            # lockout, as it is configured to); the account's pause does not (core.logins).
            request.login_refused_unread = True
            raise
        if login_paused(request, username):
            logger.warning(
                "Login refused: too many failures for one account, from %s",
                client_address(request),
            )
            # AxesMiddleware answers with the lockout page, which says why (this flag).
            request.axes_locked_out = True
            request.login_account_paused = True
            # Not a failure of the address (LockoutHandler) nor of the account: no password
            # was checked, so the owner trying theirs from a new browser during the pause
            # locks out neither their address nor, behind it, their colleagues.
            request.login_refused_unread = True
            raise AxesBackendPermissionDenied("The account's logins from new browsers are paused")
        return None


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' record of failures per client address (AXES_HANDLER), which does not
    count a login refused by the pause of its account (LockoutBackend): the password was not
    checked, so it is no failure of the address it came from."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            # No address to count (a shell's typo, or a call LockoutBackend refused and
            # logged): nothing for django-axes to record, nor to log as its own error.
            return None
        if getattr(request, "login_account_paused", False):
            return None
        return super().user_login_failed(sender, credentials, request, **kwargs)


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, answering 429 past PASSWORD_RESET_RATE requests from one client
    address or for one e-mail address. The answer is the same whether or not the address has an
    account, as Django's own is.

    The mail's link is to SITE_URL, never to the request's Host: any host DJANGO_ALLOWED_HOSTS
    lets in (".example.org" lets in every subdomain) would otherwise receive the reset token of
    whoever follows the link."""

    def get_extra_email_context(self) -> dict[str, str]:
        site = urlsplit(settings.SITE_URL)
        return {"protocol": site.scheme, "domain": site.netloc, "site_name": site.netloc}

    def form_valid(self, form):
        rate = settings.PASSWORD_RESET_RATE
        address = client_address(self.request)
        email = form.cleaned_data["email"].strip().lower()
        # Both counted on every request, so that neither limit can be dodged with the other.
        by_address = rate_exceeded(scope="password-reset-address", key=address, rate=rate)
        by_email = rate_exceeded(scope="password-reset-email", key=email, rate=rate)
        if by_address or by_email:
            logger.warning("Password reset refused: too many requests from %s", address)
            form.add_error(
                "email", _("Too many password reset requests. Try again in an hour or so.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        # Read by Django's form_valid, which merges it over the Host-derived domain.
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class ThrottledPasswordChangeView(PasswordChangeView):
    """Django's password change, where a wrong old password is a failed login: it is counted
    against the client's address by django-axes and towards the pause of the account's logins
    (core.logins), so that one address, and one account, has one allowance of guesses across
    the login forms and both password change pages (a signed-in browser left open or a stolen
    session cookie must not guess the password that takes the account over). The page refuses
    (429) once the address is locked out or the account's logins are paused for this browser,
    and also past AXES_FAILURE_LIMIT wrong old passwords for the account from any browser, until
    AXES_COOLOFF_MINUTES have passed since the last one. A refused request's password is not
    tried, so the refusal says nothing about it; a right one clears the counts, as a login does.

    The last count is per account and spares no browser: the page is only ever used signed in,
    so an attacker locks out no one but the account whose session they already hold."""

    def post(self, request, *args, **kwargs):
        user = request.user
        credentials = {"username": user.get_username()}
        limit = settings.AXES_FAILURE_LIMIT
        if (
            not AxesProxyHandler.is_allowed(request, credentials)
            or failures_reached(scope=_CHANGE_SCOPE, key=str(user.pk), limit=limit)
            or login_paused(request, credentials["username"])
        ):
            logger.warning(
                "Password change refused: too many wrong passwords for user %s or from %s",
                user.pk,
                client_address(request),
            )
            # An empty form, so that no password is checked; only the refusal is said.
            form = self.get_form_class()(user=user, data={})
            form.errors.clear()
            form.add_error("old_password", self._locked_out_message())
            return self.render_to_response(self.get_context_data(form=form), status=429)
        form = self.get_form()
        if form.is_valid():
            return self.form_valid(form)
        if form.has_error("old_password", "password_incorrect"):
            cooloff = int(settings.AXES_COOLOFF_TIME.total_seconds())
            failure_record(scope=_CHANGE_SCOPE, key=str(user.pk), cooloff=cooloff)
            # Counted by django-axes against the address and by core.logins towards the
            # account's pause, as a failed login is.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            # This page answers for itself (the form now, its 429 at the next try), not with
            # the login's lockout page that django-axes flags the request for at the limit.
            request.axes_locked_out = False
            logger.warning(
                "Password change: wrong password for user %s from %s",
                user.pk,
                client_address(request),
            )
        return self.form_invalid(form)

    def form_valid(self, form):
        had_token = Token.objects.filter(user=form.user).exists()
        response = super().form_valid(form)
        # The old password was right: its guesses are forgotten, as a login's are.
        failures_forget(scope=_CHANGE_SCOPE, key=str(form.user.pk))
        if settings.AXES_RESET_ON_SUCCESS:
            AxesProxyHandler.reset_attempts(ip_address=client_address(self.request))
        if had_token:  # core.api.authentication.revoke_tokens_on_password_change deleted it
            messages.info(
                self.request,
                _(
                    "Your API token ended with your old password. An administrator can give "
                    "you a new one."
                ),
            )
        return response

    @staticmethod
    def _locked_out_message() -> str:
        minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
        return ngettext(
            "Too many wrong passwords. Try again in %(minutes)d minute.",
            "Too many wrong passwords. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}


def admin_password_change(request):
    """The admin's own password change page (AdminSite.password_change: its form and context),
    served by the throttled view. Routed before the admin's URLs, behind admin_view."""
    request.current_app = admin.site.name
    return ThrottledPasswordChangeView.as_view(
        form_class=AdminPasswordChangeForm,
        success_url=reverse("admin:password_change_done", current_app=admin.site.name),
        extra_context=admin.site.each_context(request),
    )(request)
