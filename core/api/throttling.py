import math

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from core.http import client_address


class AnonRateThrottleExceptStaff(AnonRateThrottle):
    """Throttle anonymous clients only; authenticated users (staff included) are not throttled.

    Tells the client where it stands: the limit, what is left of it in the current window and
    the seconds until a request is freed again, which core.api.middleware sends as
    `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy` (the IETF
    httpapi draft's names) beside DRF's `Retry-After` on a 429.
    """

    def get_ident(self, request):
        # Not DRF's: with NUM_PROXIES unset it takes X-Forwarded-For whole, which the client writes.
        return client_address(request)

    def allow_request(self, request, view):
        allowed = super().allow_request(request, view)
        if self.rate is not None and self.key is not None:
            self._publish(request)
        return allowed

    def _publish(self, request) -> None:
        remaining = max(self.num_requests - len(self.history), 0)
        # A sliding window: the next request is freed when the oldest one in it expires.
        oldest = self.history[-1] if self.history else self.now
        reset = math.ceil(self.duration - (self.now - oldest))
        # On the Django request: the middleware that writes the headers sees that one.
        request._request.ratelimit = {
            "RateLimit-Limit": self.num_requests,
            "RateLimit-Remaining": remaining,
            "RateLimit-Reset": max(int(reset), 0),
            "RateLimit-Policy": f"{self.num_requests};w={int(self.duration)}",
        }


class FailedAuthenticationThrottle(SimpleRateThrottle):
    """Counts failed API authentications per client address (rate `auth_failure`); once the
    client has used up its allowance, it gets 429 before its credentials are even looked at, so
    tokens cannot be guessed at the speed of the server. Successful authentications are not
    counted."""

    scope = "auth_failure"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def blocked(self, request) -> bool:
        """Whether this client has failed too often in the current window (counts nothing)."""
        if self.rate is None:
            return False
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= self.num_requests

    def record_failure(self, request) -> None:
        if self.rate is None:
            return
        if getattr(self, "key", None) is None:
            self.blocked(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)
