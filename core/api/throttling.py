import math
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from core.http import client_address


class PublishesRateLimit:
    """Tells the client where it stands: the limit, what is left of it in the current window and
    the seconds until a request is freed again, which core.api.middleware sends as
    `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy` (the IETF
    httpapi draft's names) beside DRF's `Retry-After` on a 429."""

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
        # On the Django request: the middleware that writes the headers sees that one (a page's
        # request, counted by job_start_refusal, is one already).
        getattr(request, "_request", request).ratelimit = {
            "RateLimit-Limit": self.num_requests,
            "RateLimit-Remaining": remaining,
            "RateLimit-Reset": max(int(reset), 0),
            "RateLimit-Policy": f"{self.num_requests};w={int(self.duration)}",
        }


class AnonRateThrottleExceptStaff(PublishesRateLimit, AnonRateThrottle):
    """Throttle anonymous clients only; authenticated users (staff included) are not throttled
    here (but JobStartThrottle counts the jobs they start)."""

    def get_ident(self, request):
        # Not DRF's: with NUM_PROXIES unset it takes X-Forwarded-For whole, which the client writes.
        return client_address(request)


class JobsThrottled(Throttled):
    """A 429 whose message says the wait itself (DRF's would add a second sentence on it)."""

    def __init__(self, *, wait: float | None, detail: str):
        super().__init__(detail=detail)
        self.wait = math.ceil(wait) if wait is not None else None


class JobStartThrottle(PublishesRateLimit, SimpleRateThrottle):
    """Counts the background jobs each user starts (rate `jobs`, API_JOB_THROTTLE_RATE), all
    the API's doors that start one together: past the rate, 429 with Retry-After, the job not
    started. A request that joins a job already queued counts too (it is a request to start
    one). Reads are not counted. For a door that starts a job only sometimes (an upload imported
    in the background) a subclass says which requests do (`starts_job`)."""

    scope = "jobs"

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user.is_authenticated else client_address(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS") or not self.starts_job(request):
            return True
        if not super().allow_request(request, view):
            wait = self.wait()
            raise JobsThrottled(wait=wait, detail=self._refusal(wait))
        return True

    def starts_job(self, request) -> bool:
        return True

    def _refusal(self, wait: float | None) -> str:
        now = timezone.now()
        window = timesince(now - timedelta(seconds=self.duration), now)
        started = ngettext(
            "You have started %(count)d background job within %(window)s, the most one user "
            "may (API_JOB_THROTTLE_RATE): nothing was started.",
            "You have started %(count)d background jobs within %(window)s, the most one user "
            "may (API_JOB_THROTTLE_RATE): nothing was started.",
            self.num_requests,
        ) % {"count": self.num_requests, "window": window}
        return f"{started} {try_again_in(wait)}"


def try_again_in(wait: float | None) -> str:
    """When a refused request may be sent again, as a person reads it: seconds under a minute,
    else whole minutes, rounded up (Retry-After gives the exact seconds to a program)."""
    seconds = math.ceil(wait or 0)
    if seconds < 60:
        return ngettext(
            "Try again in %(seconds)d second.", "Try again in %(seconds)d seconds.", seconds
        ) % {"seconds": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Try again in %(minutes)d minute.", "Try again in %(minutes)d minutes.", minutes
    ) % {"minutes": minutes}


# The throttles of a door that starts a background job: the API's own, and the jobs' count.
JOB_THROTTLES = [AnonRateThrottleExceptStaff, JobStartThrottle]


def job_start_refusal(request: HttpRequest) -> JobsThrottled | None:
    """Counts a job a door outside the API is about to start (a page's form, the admin) as
    JobStartThrottle counts the API's: the same rate and the same count per user, so that a
    user has one budget whichever doors they use. The refusal past the rate (its `detail` says
    when to try again, its `wait` in seconds), else None."""
    try:
        JobStartThrottle().allow_request(request, None)
    except JobsThrottled as refusal:
        return refusal
    return None


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
