"""A built index is kept out of the cyclic garbage collector's walks.

Each full collection walked the whole index (a hundred thousand containers over 13,900
abilities): 85 ms in a web process, falling in the middle of whichever course's suggestions
allocated at that moment, the one course in a hundred that took four times the median.
"""

import gc

import pytest

from suggestions.engine import Candidate, Query, build_index
from suggestions.indexes import index_cache_clear, index_for
from suggestions.tests.factories import small_framework

CANDIDATES = [
    Candidate("db", {"label": "design relational databases", "description": "SQL schemas"}),
    Candidate("net", {"label": "configure networks", "alt_labels": "routing\nswitching"}),
    Candidate("test", {"label": "test software", "description": "unit and system tests"}),
]


def _tracked(obj) -> bool:
    """Whether the collector's generations hold `obj` (frozen objects are in none of them)."""
    return any(o is obj for o in gc.get_objects())


def test_an_index_holds_no_reference_cycle_so_one_let_go_of_is_freed_at_once():
    """What makes freezing it safe: frozen, a cycle would never be collected, and a rebuilt
    framework's old index would stay in memory for the process's life."""
    index = build_index(CANDIDATES)
    index.rank_many([Query({"title": "relational database design"})], k=3)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del index
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.django_db
def test_a_built_index_is_moved_out_of_the_collector_s_walks_and_a_cached_one_costs_none(
    monkeypatch,
):
    framework, _abilities = small_framework()
    index_cache_clear()
    built = index_for(framework.pk)
    assert not _tracked(built)
    assert not _tracked(built.index)

    collections = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(args) or 0)
    assert index_for(framework.pk) is built  # from the cache: no collection, no freeze
    assert collections == []
