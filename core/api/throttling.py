from rest_framework.throttling import AnonRateThrottle


class AnonRateThrottleExceptStaff(AnonRateThrottle):
    """Throttle anonymous clients only; authenticated users (staff included) are not throttled."""
