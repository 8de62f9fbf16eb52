"""API authentication whose failures are counted, throttled and logged."""

import logging

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled

from core.api.throttling import FailedAuthenticationThrottle
from core.http import client_address

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
