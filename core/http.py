"""Who is asking: the client's address as the configured proxies report it; and where a request
came from: which page of this site an address it carries names.

Only the rightmost DJANGO_TRUSTED_PROXIES entries of X-Forwarded-For were written by proxies this
deployment runs; anything left of them is whatever the client sent. With no trusted proxy (the
default) the header is ignored and the socket's address is the client, so a client cannot pick a
new identity per request to escape the API throttles or the login lockout.
"""

import hashlib
import time
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def client_address(request: HttpRequest) -> str:
    """The client's IP address: REMOTE_ADDR, or the address the outermost trusted proxy saw."""
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies <= 0 or not forwarded:
        return remote_addr
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if not addresses:
        return remote_addr
    # Each trusted proxy appended the address it was reached from: with N of them, the client is
    # the Nth from the right (or the leftmost, when fewer hops were recorded).
    return addresses[-min(proxies, len(addresses))]


def _this_sites(request: HttpRequest, address: str) -> bool:
    return url_has_allowed_host_and_scheme(
        address, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def site_path(request: HttpRequest, address: str | None) -> str | None:
    """The page of this site `address` names (a form's `next` or `back`, a Referer, htmx's
    HX-Current-URL), as its path, query and fragment without scheme and host; None for anything
    else: another host, http when the request came over HTTPS, a scheme other than http(s), a
    relative address, or one holding a control character (browsers drop a newline or
    a tab, so "/a\\n//evil.example" is not the address it looks like)."""
    if not address or any(unicodedata.category(char)[0] == "C" for char in address):
        return None
    if not _this_sites(request, address):
        return None
    parts = urlsplit(address)
    path = parts.path or ("/" if parts.netloc else "")
    found = path + (f"?{parts.query}" if parts.query else "")
    found += f"#{parts.fragment}" if parts.fragment else ""
    # Checked again without the host: "http://testserver//evil.example/" is this site's, but
    # its path alone ("//evil.example/") is another host's.
    if not path.startswith("/") or not _this_sites(request, found):
        return None
    return found


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_exceeded(*, scope: str, key: str, rate: str) -> bool:
    """Counts one event of `key` (a client address, an e-mail address) in `scope` and says
    whether that goes past `rate` ("5/hour": DRF's notation) in the current window. The counts
    live in the cache, shared by every process when the cache is Redis."""
    number, period = rate.split("/")
    duration = _PERIODS[period.strip()[0].lower()]
    window = int(time.time() // duration)
    cache_key = f"rate:{scope}:{window}:{_hashed(key)}"
    cache.add(cache_key, 0, timeout=duration)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this is the window's first event
        cache.set(cache_key, 1, timeout=duration)
        count = 1
    return count > int(number)


def failures_reached(*, scope: str, key: str, limit: int) -> bool:
    """Whether `key` (an account, a client address) has `limit` failures or more in `scope`
    that have not cooled off (failure_record). Counts nothing."""
    return (cache.get(f"failures:{scope}:{_hashed(key)}") or 0) >= limit


def failure_record(*, scope: str, key: str, cooloff: int) -> int:
    """Counts one failure of `key` in `scope` and returns the count. The count is forgotten
    `cooloff` seconds after the last failure, as django-axes forgets a login lockout."""
    cache_key = f"failures:{scope}:{_hashed(key)}"
    cache.add(cache_key, 0, timeout=cooloff)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=cooloff)
        return 1
    cache.touch(cache_key, timeout=cooloff)
    return count


def failures_forget(*, scope: str, key: str) -> None:
    """Forgets the failures of `key` in `scope` (failure_record)."""
    cache.delete(f"failures:{scope}:{_hashed(key)}")
