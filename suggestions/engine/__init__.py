"""Link suggestions: rank a framework's abilities for a course or a position.

Plain Python, no Django: the `suggestions` app wraps it. Typical use::

    index = build_index(Candidate(a.pk, {"label": a.name, "description": a.text}) for a in ...)
    for hit in index.rank(Query({"title": ..., "description": ..., "outcomes": ...}), k=20):
        hit.id, hit.score, hit.rank, hit.explanation

An index pickles (`index.dumps()`, `SuggestionIndex.loads(...)`), so a worker can cache it.
"""

from .index import Settings, SuggestionIndex, build_index
from .types import Candidate, Id, Match, Query, Ranked

__all__ = [
    "Candidate",
    "Id",
    "Match",
    "Query",
    "Ranked",
    "Settings",
    "SuggestionIndex",
    "build_index",
]
