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


class QueryTerms:
    """What every explanation of one query needs, computed once per query, not once per hit.

    For each query field, the weight it put on each term before the query vector was
    normalised; a term found in two query fields has its match weight shared between them in
    that proportion, so no reason is counted twice.
    """

    def __init__(
        self,
        index: SuggestionIndex,
        query_fields: Mapping[str, list[Term]],
        query_vector: sparse.csr_matrix,
    ):
        s = index.settings
        self.index = index
        self.vector = dict(
            zip(query_vector.indices.tolist(), query_vector.data.tolist(), strict=True)
        )
        self.surface: dict[int, str] = {}
        shares: dict[str, dict[int, float]] = {}
        total: Counter[int] = Counter()
        for qname, terms in query_fields.items():
            fw = s.query_fields.get(qname, s.default_field_weight)
            counts = Counter(index.vocab[t.key] for t in terms if t.key in index.vocab)
            shares[qname] = {j: fw * (1 + math.log(tf)) for j, tf in counts.items()}
            total.update(shares[qname])
            for t in terms:
                j = index.vocab.get(t.key)
                if j is not None:
                    self.surface.setdefault(j, t.surface)
        # term -> [(query field, share of the term's query weight)]
        self.fields_of: dict[int, list[tuple[str, float]]] = {}
        for qname, weights in shares.items():
            for j, w in weights.items():
                self.fields_of.setdefault(j, []).append((qname, w / total[j]))


def explain_match(terms: QueryTerms, row: int) -> tuple[Match, ...]:
    """The shared terms of the query and candidate `row`, heaviest first."""
    index = terms.index
    q = terms.vector
    scale = float(index.inverse_present_weight[row])
    matches: list[Match] = []
    for cname, m in index.fields.items():
        start, end = m.indptr[row], m.indptr[row + 1]
        cw = index.field_weights[cname] * scale
        for j, value in zip(m.indices[start:end].tolist(), m.data[start:end].tolist(), strict=True):
            qj = q.get(j)
            if qj is None:
                continue
            base = qj * value * cw
            for qname, share in terms.fields_of[j]:
                matches.append(Match(qname, cname, terms.surface[j], base * share))
    matches.sort(key=lambda m: (-m.weight, m.query_field, m.candidate_field, m.term_or_phrase))
    return tuple(matches[:MAX_MATCHES])
