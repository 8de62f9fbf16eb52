import math

from rest_framework.throttling import AnonRateThrottle


class AnonRateThrottleExceptStaff(AnonRateThrottle):
    """Throttle anonymous clients only; authenticated users (staff included) are not throttled.

    Tells the client where it stands: the limit, what is left of it in the current window and
    the seconds until a request is freed again, which core.api.middleware sends as
    `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy` (the IETF
    httpapi draft's names) beside DRF's `Retry-After` on a 429.
    """

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
