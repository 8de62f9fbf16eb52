"""The probes a load balancer or an orchestrator asks, answered before any other middleware.

`/health/` (readiness): can this process serve? It asks the database (one `SELECT 1`), whether
this process has the static files' manifest (production's), and, where the deployment has them,
the Celery broker and a shared Redis cache. Without the database or the manifest nothing can be
served: 503. Without the broker or the cache the site still serves (edits are kept and
their recomputes wait for the beat sweep; the cache degrades to empty, core.cache), so taking
every web process out of rotation would turn a degraded site into a dead one: 200, status
`degraded`, naming what is down, for monitoring to alert on.

`/health/live/` (liveness): the process answers. It asks nothing, so an outage of a service never
makes an orchestrator restart every web process.

Answered before the host check and the HTTPS redirect (a probe comes by the machine's address,
over plain HTTP), without a session, a language or a user. The answer names only each check and
whether it passed; what failed, and why, goes to the log (logger `core.health`, WARNING).
"""

from __future__ import annotations

import logging

from django.conf import STATICFILES_STORAGE_ALIAS, settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string

from core.logs import without_credentials
from core.queue import TIMEOUT_SECONDS as QUEUE_TIMEOUT_SECONDS

logger = logging.getLogger(__name__)

READY_PATH = "/health/"
LIVE_PATH = "/health/live/"
OK = "ok"
UNAVAILABLE = "unavailable"
# Seconds a probe waits for the broker before calling it unavailable: as long as a door that
# starts a job waits (core.queue).
BROKER_TIMEOUT = QUEUE_TIMEOUT_SECONDS


def _database() -> None:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker() -> None:
    from celery import current_app

    with current_app.connection_for_write() as broker:
        broker.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT
        )
        client = getattr(broker.default_channel, "client", None)
        if client is not None:  # Redis: a connection is only made when first used
            client.ping()


def _cache() -> None:
    # TolerantRedisCache reads nothing and drops writes while Redis is down, so ask Redis itself.
    caches["default"]._cache.get_client(write=True).ping()


class StaticFilesNotCollected(Exception):
    pass


def _static() -> None:
    # The manifest as this process read it when it started: a process started before
    # collectstatic ran keeps an empty one, and answers every page 500 until restarted.
    from django.contrib.staticfiles.storage import staticfiles_storage

    if not staticfiles_storage.hashed_files:
        raise StaticFilesNotCollected(
            "no static files manifest: run `manage.py collectstatic`, then restart the process"
        )


def _checks() -> list[tuple[str, object, bool]]:
    """(name, check, whether the site can serve without it), for what this deployment uses."""
    from celery import current_app

    checks: list[tuple[str, object, bool]] = [("database", _database, False)]
    storage = import_string(settings.STORAGES[STATICFILES_STORAGE_ALIAS]["BACKEND"])
    if issubclass(storage, ManifestFilesMixin):
        checks.append(("static", _static, False))
    if not current_app.conf.task_always_eager:
        checks.append(("broker", _broker, True))
    if isinstance(caches["default"], RedisCache):
        checks.append(("cache", _cache, True))
    return checks


def readiness() -> tuple[int, dict]:
    """The status code and body of /health/."""
    results: dict[str, str] = {}
    status = OK
    for name, check, optional in _checks():
        try:
            check()
        except Exception as error:  # any failure of a service is its being unavailable
            # The exception's class and message (a host, a port) in one line (libpq's runs
            # over two), any credentials cut out.
            logger.warning(
                "Health check: %s unavailable (%s: %s)",
                name,
                type(error).__name__,
                without_credentials(" ".join(str(error).split())),
            )
            results[name] = UNAVAILABLE
            if not optional:
                status = UNAVAILABLE
            elif status == OK:
                status = "degraded"
        else:
            results[name] = OK
    return (503 if status == UNAVAILABLE else 200), {"status": status, "checks": results}


def _answer(request: HttpRequest, status: int, body: dict) -> HttpResponse:
    response = JsonResponse(body, status=status)
    if request.method == "HEAD":
        response.content = b""
    patch_cache_control(response, no_store=True)
    # A 503 is logged above, once, with its reason; Django's "Service Unavailable" line on every
    # probe would add nothing.
    response._has_been_logged = True
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    """Answers the probes first in the stack (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in (READY_PATH, LIVE_PATH):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if request.path_info == LIVE_PATH:
            return _answer(request, 200, {"status": OK})
        return _answer(request, *readiness())
