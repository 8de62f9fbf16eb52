"""API authentication whose failures are counted, throttled and logged, and whose tokens end
when their user's password changes."""

import logging

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed, Throttled

from core.api.throttling import FailedAuthenticationThrottle
from core.http import client_address
from core.logins import password_changed

logger = logging.getLogger("core.security")


class ThrottledTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, except that a client whose tokens keep failing is answered
    429 for a while (API_AUTH_FAILURE_RATE) and every failure is logged with its address.

    DRF authenticates before it throttles, so without this a wrong token never reaches the
    anonymous throttle and can be retried without limit."""

    def authenticate(self, request):
        throttle = FailedAuthenticationThrottle()
        if throttle.blocked(request):
            logger.warning(
                "API authentication refused: too many failures from %s", client_address(request)
            )
            raise Throttled(wait=throttle.wait())
        try:
            return super().authenticate(request)
        except AuthenticationFailed as exc:
            throttle.record_failure(request)
            logger.warning(
                "API authentication failed from %s: %s", client_address(request), exc.detail
            )
            raise

    def authenticate_credentials(self, key):
        # No token holds a NUL, and PostgreSQL refuses one in a query (a 500): refused unread.
        if "\x00" in key:
            raise AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)


def revoke_tokens_on_password_change(sender, instance, created: bool = False, **kwargs) -> None:
    """Deletes the API token of a user whose password was just changed, by whatever door (the
    password change pages, the admin, `changepassword`, a reset by mail), or taken away
    (set_unusable_password): a stolen token must not outlive the step its owner or an
    administrator takes on suspecting a theft, as the account's other sessions do not.
    A new one is made as the first was (`drf_create_token`, the admin's tokens).

    Connected to the user model's post_save (core.apps); a rehash of the same password at login
    is no change (core.logins.password_changed), and keeps the token."""
    if not password_changed(instance, created):
        return
    deleted, _rows = Token.objects.filter(user=instance).delete()
    if deleted:
        logger.info("API token of user %s revoked: the password changed", instance.pk)
