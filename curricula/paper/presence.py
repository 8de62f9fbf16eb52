"""Whether the paper's framework is in the database, as every page's footer asks.

Asked by each request of each page, it cost a query per page view. It changes only when a
framework is saved or deleted, so the answer is kept in the cache, stamped with a version that
every such write increments once committed (curricula.signals); an answer read before a write
and stored after it carries the old version and is never used. Kept only in a cache every
process shares (Redis, files): a per-process cache (the embedded default's local memory) would
not hear of `manage.py load_paper` run beside the site, so there each request still asks.
"""

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection

from curricula.paper.loader import paper_framework_exists

VERSION_KEY = "paper-present:version"
ANSWER_KEY = "paper-present:answer"
# How long a write that sends no signal (raw SQL, a restored dump), or whose version bump a
# Redis outage dropped (core.cache), may go unseen; one query per this many seconds site-wide.
ANSWER_TIMEOUT = 300


def _shared_cache():
    cache = caches["default"]
    return None if isinstance(cache, LocMemCache | DummyCache) else cache


def paper_present() -> bool:
    """`paper_framework_exists()`, from a shared cache while no framework has changed since."""
    cache = _shared_cache()
    if cache is None:
        return paper_framework_exists()
    found = cache.get_many([VERSION_KEY, ANSWER_KEY])
    version, answer = found.get(VERSION_KEY), found.get(ANSWER_KEY)
    if answer is not None and answer[0] == version:
        return answer[1]
    present = paper_framework_exists()
    # Inside a transaction the answer may be one that a rollback takes back.
    if not connection.in_atomic_block:
        cache.set(ANSWER_KEY, (version, present), ANSWER_TIMEOUT)
    return present


def paper_presence_forget() -> None:
    """Make every cached answer old: call once a framework's save or delete is committed."""
    cache = _shared_cache()
    if cache is None:
        return
    cache.add(VERSION_KEY, 0, timeout=None)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted between add and incr: a missing version is a new one too
        cache.delete(ANSWER_KEY)
