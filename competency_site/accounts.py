"""The account pages Django's auth views serve, with the one change the site needs: password
reset mails are rate-limited, so the form cannot be used to flood a mailbox or the mail server."""

import logging

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.utils.translation import gettext as _

from core.http import client_address, rate_exceeded

logger = logging.getLogger("core.security")


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
