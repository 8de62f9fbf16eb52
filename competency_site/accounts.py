"""Logins and the account pages Django's auth views serve, with what the site adds: the
django-axes lockout on every login form, and password reset mails rate-limited, so the form
cannot be used to flood a mailbox or the mail server."""

import logging

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.utils.translation import gettext as _

from core.http import client_address, rate_exceeded

logger = logging.getLogger("core.security")


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before any password is tried. Every login form (the site's, the
    admin's) passes its request; a call without one (the test client's login(), code running
    outside a request) has no client address to lock out, and is left to the next backend
    instead of being refused as an error."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class ThrottledPasswordResetView(PasswordResetView):
    """Django's password reset, answering 429 past PASSWORD_RESET_RATE requests from one client
    address or for one e-mail address. The answer is the same whether or not the address has an
    account, as Django's own is."""

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
        return super().form_valid(form)
