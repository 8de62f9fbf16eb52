"""A Redis cache that a Redis outage degrades instead of breaking (CACHE_URL=rediscache://...).

The cache holds what can be lost: throttle and failure counts, live import progress, cached
pages. Django's RedisCache raises on a refused or dropped connection, so while Redis restarted
every throttled API request answered 500 (issue #15's load run). Here a read finds nothing and
a write is dropped, with a warning in the log (at most one every ten seconds per process); the
request goes on as if the cache were empty. Errors other than the connection's still raise.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
_WARN_EVERY = 10.0


class TolerantRedisCache(RedisCache):
    _warned_at = 0.0

    def _unavailable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - TolerantRedisCache._warned_at >= _WARN_EVERY:
            TolerantRedisCache._warned_at = now
            logger.warning(
                "Cache unavailable (%s during %s); going on without it", error, operation
            )

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as error:
            self._unavailable("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as error:
            self._unavailable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as error:
            self._unavailable("has_key", error)
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE as error:
            self._unavailable("add", error)
            return False

    def claim(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        """add, except that while Redis is down the key counts as added (cache_claim)."""
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE as error:
            self._unavailable("claim", error)
            return True

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNAVAILABLE as error:
            self._unavailable("set", error)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE as error:
            self._unavailable("set_many", error)
            return list(data)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as error:
            self._unavailable("incr", error)
            # What incr says of a key that is not there, as every key is not while Redis is
            # down: counters (core.http) then start again from one, and drop the write.
            raise ValueError(f"Key '{key}' not found: the cache is unavailable") from error

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as error:
            self._unavailable("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE as error:
            self._unavailable("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNAVAILABLE as error:
            self._unavailable("delete_many", error)

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE as error:
            self._unavailable("clear", error)
            return False


def cache_claim(key: str, value, timeout: float) -> bool:
    """Take `key` for `timeout` seconds if no one holds it: whether it was free. Unlike add, a
    cache that cannot be reached says it was: for a lock that only spares duplicate work (a
    burst of edits read once), where skipping the work would lose it."""
    from django.core.cache import caches

    backend = caches["default"]
    return getattr(backend, "claim", backend.add)(key, value, timeout)
