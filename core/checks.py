"""System checks of the deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Caches whose entries only the process that wrote them sees.
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """Production runs several processes (gunicorn's workers, Celery's): what they count together
    (API throttles, login and password change failures, password reset requests) and what a
    worker tells a page (import progress) live in the cache, which must be one they share."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "The cache is local to each process (CACHE_URL is unset or names one), so with "
            "DEBUG off each gunicorn and Celery process keeps its own API throttles, login "
            "failure counts and import progress.",
            hint="Set CACHE_URL to a cache every process shares, e.g. redis://redis:6379/1.",
            id="core.W001",
        )
    ]
