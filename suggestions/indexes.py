"""The engine's index over a framework's abilities (or over every framework), built on first use
and kept in the process that uses it.

A web process running tasks inline (the embedded default) and each Celery worker keep their own
copy, at most `SUGGESTIONS_INDEX_CACHE_SIZE` of them, least recently used out first. Before each
use a one-row query over the abilities (see `fingerprint`) checks that the copy is still current,
so an import or an edit is picked up by every process without messaging.

A built index is moved out of the cyclic garbage collector's walks (`_keep_out_of_collections`):
it holds about a hundred thousand containers that live as long as the process, and each full
collection walked them all, 85 ms on the 13,900-ability index in the middle of whichever request
or course it fell on.

Retired abilities (gone from their framework's latest import) are not in the index: they are
kept for the links and requirements that use them, never proposed again.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Max, Sum

from positions.models import Ability
from suggestions.engine import Candidate, SuggestionIndex, build_index

# Fetching 13,900 abilities as tuples costs less than building model instances.
_FIELDS = (
    "id",
    "framework_id",
    "short_name",
    "text",
    "description",
    "alt_labels",
    "text_zh",
    "parent_id",
)


@dataclass(frozen=True)
class FrameworkIndex:
    """An engine index with what the app needs beside it: each ability's framework."""

    framework_id: int | None
    fingerprint: tuple
    index: SuggestionIndex
    framework_of: dict[int, int]


def ability_candidate(
    pk: int,
    short_name: str,
    text: str,
    description: str,
    alt_labels: str,
    text_zh: str = "",
    parent_id: int | None = None,
) -> Candidate:
    """An ability as the engine sees it: its name as the label, other names, and its prose, and
    the ability it hangs from (the engine lists an ability others hang from after them).

    The statement (`text`) is the label when there is no short name or it says the same (an
    ESCO skill's label is both); otherwise it is prose and goes with the description (ESCO
    abilities imported before 0035 hold their description in both). Its Chinese statement
    translates whichever field the statement went to, for Chinese courses and adverts; one that
    is the statement itself (a framework written in Chinese, each statement typed again as its
    Chinese one) is read once, not twice with its words weighed double.
    """
    label = short_name or text
    if text.strip() == label.strip():
        label = text
    prose = [part for part in (text if label != text else "", description) if part]
    if len(prose) == 2 and prose[0].strip() == prose[1].strip():
        prose = prose[:1]
    fields = {"label": label, "alt_labels": alt_labels, "description": "\n".join(prose)}
    if text_zh and text_zh.strip() != text.strip():
        fields["label_zh" if label == text else "description_zh"] = text_zh
    return Candidate(pk, fields, parent=parent_id)


def _abilities(framework_id: int | None):
    rows = Ability.objects.filter(retired=False)
    if framework_id is not None:
        rows = rows.filter(framework_id=framework_id)
    return rows


# Squares are taken of the ids modulo this prime, so that their sum over millions of abilities
# stays within 64 bits (SQLite refuses to overflow); below it an id is its own residue.
_SQUARE_MODULUS = 1_000_003


def fingerprint(framework_id: int | None) -> tuple:
    """What changes whenever the framework's ranked abilities do: their count, last change and
    last id, and the sums of their ids and of the ids' squares.

    The sums tell which abilities are in the set: an import retires and restores abilities with
    a bulk update that leaves `updated_at` alone, and may do both at once (same count, same last
    id). With the count, two equal power sums leave no swap of one or two abilities unseen.
    """
    residue = F("id") % _SQUARE_MODULUS
    found = _abilities(framework_id).aggregate(
        n=Count("id"),
        at=Max("updated_at"),
        top=Max("id"),
        ids=Sum("id"),
        squares=Sum(residue * residue),
    )
    return (found["n"], found["at"], found["top"], found["ids"], found["squares"])


def build_framework_index(framework_id: int | None) -> FrameworkIndex:
    """Read the abilities and build their index (no cache)."""
    stamp = fingerprint(framework_id)
    framework_of: dict[int, int] = {}
    candidates = []
    for pk, fw, short_name, text, description, alt, text_zh, parent_id in (
        _abilities(framework_id).order_by("id").values_list(*_FIELDS).iterator(chunk_size=5000)
    ):
        framework_of[pk] = fw
        candidates.append(
            ability_candidate(pk, short_name, text, description, alt, text_zh, parent_id)
        )
    return FrameworkIndex(framework_id, stamp, build_index(candidates), framework_of)


_cache: OrderedDict[int | None, FrameworkIndex] = OrderedDict()
_lock = threading.Lock()


def index_for(framework_id: int | None) -> FrameworkIndex:
    """The current index of a framework's abilities (all frameworks for None), from this
    process's cache when still current, else built now (and cached)."""
    stamp = fingerprint(framework_id)
    with _lock:
        cached = _cache.get(framework_id)
        if cached is not None and cached.fingerprint == stamp:
            _cache.move_to_end(framework_id)
            return cached
    built = build_framework_index(framework_id)
    with _lock:
        _cache[framework_id] = built
        _cache.move_to_end(framework_id)
        while len(_cache) > max(1, int(getattr(settings, "SUGGESTIONS_INDEX_CACHE_SIZE", 4))):
            _cache.popitem(last=False)
    _keep_out_of_collections()
    return built


def _keep_out_of_collections() -> None:
    """Move every object the process holds now, the index just built among them, to the
    collector's permanent generation (`gc.freeze`), so that later collections walk only what is
    newer: a full collection walked the whole index each time (85 ms over 13,900 abilities in a
    web process, 35 ms in the engine alone) and fell in the middle of a course's suggestions.

    Garbage already there is collected first, not kept. The index has no reference cycles
    (tested), so one let go of (replaced, or out of the cache) is still freed at once by
    reference counting; only a reference cycle among the other objects alive at this moment (the
    request or task that asked for the build) is never collected once it becomes garbage."""
    gc.collect()
    gc.freeze()


def index_cache_clear() -> None:
    """Forget every cached index (tests; a process that wants its memory back)."""
    with _lock:
        _cache.clear()
