"""A Redis outage degrades the cache instead of breaking requests (issue #15's load run: while
Redis restarted, every throttled API request answered 500)."""

import logging

import pytest
from django.core.cache import caches
from django.test import override_settings

from core.cache import TolerantRedisCache

# Nothing listens on port 1: every connection is refused, as while Redis restarts.
DOWN = {
    "default": {
        "BACKEND": "core.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@override_settings(CACHES=DOWN)
def test_reads_miss_and_writes_drop_while_redis_is_down(caplog, monkeypatch):
    monkeypatch.setattr(TolerantRedisCache, "_warned_at", -1e9)
    caplog.set_level(logging.WARNING, logger="core.cache")
    cache = caches["default"]

    cache.set("key", 1)
    assert cache.get("key", "missing") == "missing"
    assert cache.add("key", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("key") is False
    assert "Cache unavailable" in caplog.text


@pytest.mark.django_db
@override_settings(CACHES=DOWN)
def test_throttled_api_requests_are_answered_while_redis_is_down(client):
    response = client.get("/api/v1/levels/")

    assert response.status_code == 200
    response = client.post("/api/v1/programs/999999/what-if/", {}, content_type="application/json")
    assert response.status_code == 404


@pytest.mark.django_db
@override_settings(CACHES=DOWN)
def test_counted_pages_are_answered_while_redis_is_down(client, staff_user, mailoutbox):
    """Observed: while Redis was down, asking for a password reset was a 500 (its rate limit
    counts with incr, which Django's Redis cache raises on); so were a wrong password at the
    password change page and a wrong login (their failure counts). Counting is skipped, as the
    throttles' is: nothing is refused for want of a count."""
    staff_user.email = "staff@example.edu"
    staff_user.save()

    reset = client.post("/accounts/password_reset/", {"email": "staff@example.edu"})
    assert reset.status_code == 302
    assert len(mailoutbox) == 1

    login = client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    assert login.status_code == 200

    client.force_login(staff_user)
    wrong = client.post(
        "/accounts/password_change/",
        {
            "old_password": "wrong",
            "new_password1": "x-long-pass-42",
            "new_password2": "x-long-pass-42",
        },
    )
    assert wrong.status_code == 200
