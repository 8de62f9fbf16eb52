"""The probes a load balancer or an orchestrator asks: /health/ (can this process serve: the
database, with the broker and the shared cache reported) and /health/live/ (does it answer)."""

import logging
import os

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from conftest import skip_or_fail

# Nothing listens on port 1: every connection is refused, as while Redis restarts.
DEAD_REDIS = "redis://127.0.0.1:1/0"
DOWN_CACHE = {
    "default": {
        "BACKEND": "core.cache.TolerantRedisCache",
        "LOCATION": DEAD_REDIS,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
SECRET = "s3cr3t-in-the-url"


@pytest.fixture
def broker(monkeypatch):
    """Point the Celery app at a broker for this test (the suite's runs tasks inline)."""
    from celery import current_app

    def use(url: str) -> None:
        monkeypatch.setitem(current_app.conf, "broker_url", url)
        monkeypatch.setitem(current_app.conf, "task_always_eager", False)

    return use


@pytest.mark.django_db
def test_ready_says_ok_with_the_database_and_asks_it_once(client, django_assert_num_queries):
    # The suite's settings: tasks inline (no broker), a cache in this process (nothing shared).
    with django_assert_num_queries(1):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


@pytest.mark.django_db
def test_head_is_answered_as_get(client):
    response = client.head("/health/")
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/health/", "/health/live/"])
def test_a_write_is_refused(client, path):
    response = client.post(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/health/", "/health/live/"])
def test_a_probe_by_address_over_plain_http_is_answered(client, settings, path):
    """A load balancer probes each machine by its address over plain HTTP: neither the host
    check (a 400) nor the HTTPS redirect (a 301 the probe counts as down) may stand in the way."""
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["curricula.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(path, HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200


def test_live_asks_nothing(client):
    """Liveness: the process answers. It asks no database (this test may not reach it), so an
    outage elsewhere never makes an orchestrator restart every web process."""
    response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_without_the_database_ready_is_503_and_names_no_detail(client, monkeypatch, caplog):
    def refused(*args, **kwargs):
        raise OperationalError(f"connection refused for postgres://app:{SECRET}@db/competency")

    monkeypatch.setattr(connection, "ensure_connection", refused)
    caplog.set_level(logging.WARNING, logger="core.health")
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unavailable"}}
    assert SECRET not in response.content.decode()
    # The log says what failed, for the operator, without the password.
    assert "database unavailable" in caplog.text
    assert "OperationalError" in caplog.text
    assert SECRET not in caplog.text
    # Logged once, by the check: not again as an error of the request.
    assert "Service Unavailable" not in caplog.text


@pytest.mark.django_db
def test_why_the_database_check_failed_is_logged_in_one_line(client, monkeypatch, caplog):
    """libpq's refusal runs over two lines ("... Connection refused" and "Is the server running
    on that host ...?"): the log line ended at the first, its ")" alone on the next, and the
    hint was cut off in a log read line by line."""

    def refused(*args, **kwargs):
        raise OperationalError(
            'connection to server at "127.0.0.1", port 5999 failed: Connection refused\n'
            "\tIs the server running on that host and accepting TCP/IP connections?\n"
        )

    monkeypatch.setattr(connection, "ensure_connection", refused)
    caplog.set_level(logging.WARNING, logger="core.health")
    assert client.get("/health/").status_code == 503
    [message] = [r.getMessage() for r in caplog.records if r.name == "core.health"]
    assert "\n" not in message
    assert message.endswith(
        "Connection refused Is the server running on that host and accepting TCP/IP connections?)"
    )


@pytest.mark.django_db
def test_broker_down_is_reported_but_the_site_still_serves(client, broker, caplog):
    """Edits succeed while the broker is down (their recomputes wait for the sweep), so taking
    every web process out of the load balancer would turn a degraded site into a dead one."""
    broker(DEAD_REDIS)
    caplog.set_level(logging.WARNING, logger="core.health")
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "broker": "unavailable"},
    }
    assert "broker unavailable" in caplog.text


@pytest.mark.django_db
@override_settings(CACHES=DOWN_CACHE)
def test_shared_cache_down_is_reported_but_the_site_still_serves(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "unavailable"},
    }


def _live_redis() -> str:
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis is unreachable at {url}: {error}")
    return url


@pytest.mark.services
@pytest.mark.django_db
def test_with_redis_as_broker_and_cache_every_check_is_ok(client, broker):
    url = _live_redis()
    broker(url)
    caches = {
        "default": {
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=caches):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "cache": "ok"},
    }


MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.mark.django_db
def test_without_collected_static_files_ready_is_503(client, settings, tmp_path, caplog):
    """Production's static files are read through collectstatic's manifest: a process started
    without one (collectstatic not run, or run after it started) answers every page 500, even
    its 500 page. It must not be sent requests."""
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = MANIFEST_STORAGE
    caplog.set_level(logging.WARNING, logger="core.health")
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "static": "unavailable"},
    }
    assert "collectstatic" in caplog.text


@pytest.mark.django_db
def test_with_collected_static_files_ready_is_ok(client, settings, tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        '{"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1"}'
    )
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = MANIFEST_STORAGE
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "static": "ok"}}
