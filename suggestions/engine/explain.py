"""Why a candidate was suggested, in terms a person can check against the two texts.

A score is a sum over terms shared by the query and the candidate's fields (see `index.py`),
so it splits exactly into one `Match` per (query field, candidate field, term): the weights of
all matches of a suggestion add up to its score. Only the heaviest few are returned.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from scipy import sparse

from .text import Term
from .types import Match

if TYPE_CHECKING:
    from .index import SuggestionIndex

MAX_MATCHES = 8


def explain_match(
    index: SuggestionIndex,
    query_fields: Mapping[str, list[Term]],
    query_vector: sparse.csr_matrix,
    row: int,
) -> tuple[Match, ...]:
    """The shared terms of the query and candidate `row`, heaviest first.

    A term found in two query fields has its weight shared between them in proportion to what
    each field put into the query vector, so no reason is counted twice.
    """
    s = index.settings
    q = dict(zip(query_vector.indices.tolist(), query_vector.data.tolist(), strict=True))
    raw: dict[str, dict[int, float]] = {}
    surface: dict[int, str] = {}
    for qname, terms in query_fields.items():
        fw = s.query_fields.get(qname, s.default_field_weight)
        counts = Counter(index.vocab[t.key] for t in terms if t.key in index.vocab)
        raw[qname] = {j: fw * (1 + math.log(tf)) for j, tf in counts.items()}
        for t in terms:
            j = index.vocab.get(t.key)
            if j is not None:
                surface.setdefault(j, t.surface)
    total: Counter[int] = Counter()
    for weights in raw.values():
        total.update(weights)
    scale = float(index.inverse_present_weight[row])
    matches: list[Match] = []
    for cname, m in index.fields.items():
        start, end = m.indptr[row], m.indptr[row + 1]
        cw = index.field_weights[cname] * scale
        for j, value in zip(m.indices[start:end].tolist(), m.data[start:end].tolist(), strict=True):
            if j not in q:
                continue
            for qname, weights in raw.items():
                if j in weights:
                    share = weights[j] / total[j]
                    matches.append(Match(qname, cname, surface[j], q[j] * share * value * cw))
    matches.sort(key=lambda m: (-m.weight, m.query_field, m.candidate_field, m.term_or_phrase))
    return tuple(matches[:MAX_MATCHES])
