"""The suggestion index: each candidate field as a TF-IDF vector, queries scored per field.

How a query is scored (a few sparse matrix products, so a batch of queries costs little more
than one):

- Terms are words and word-order-free phrases (see `text.py`), weighted 1 + log(tf) times IDF
  over the pool. A phrase is rarer than its words, so "software testing" counts for more than
  "software" and "testing" met apart.
- The query is one vector: each query field's terms, times that field's weight.
- Each candidate field (label, alternative labels, description) is its own unit-length vector,
  and the score is the weighted mean of the query's cosine with each field the candidate *has*.
  Per-field length normalisation keeps a long alternative-label list or description from
  drowning a short label; averaging over present fields only means an ability stated in one
  line is not ranked below one that also has a description merely for lacking it.

Every weight is an interpretable hyper-parameter in `Settings`; none is fitted to any
occupation-skill relation. The score is a sum over shared terms, so the explanation of a
suggestion (`explain.py`) is an exact breakdown of its score.

Tried on the ESCO development sample and left out because they did not improve recall there
(see PERFORMANCE.md): BM25F, latent semantic analysis of the pool, pseudo-relevance feedback,
query expansion by term co-occurrence in the pool, propagation over a nearest-neighbour graph of
candidates, generic-skill priors, and a MiniLM sentence encoder.
"""

from __future__ import annotations

import math
import pickle
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .explain import QueryTerms, explain_match
from .text import Term, analyse
from .types import Candidate, Id, Query, Ranked

# How much a match in each candidate field says: a label is what the ability is; alternative
# labels and a description restate it less exactly. Unknown field names weigh `default`.
CANDIDATE_FIELD_WEIGHTS = {"label": 2.0, "alt_labels": 1.0, "description": 1.0}


@dataclass(frozen=True)
class Settings:
    """The handful of hyper-parameters, each with the reason for its default."""

    candidate_fields: Mapping[str, float] = field(
        default_factory=lambda: dict(CANDIDATE_FIELD_WEIGHTS)
    )
    # Query fields all weigh the same by default: on the development sample, weighting a title
    # above the prose changed nothing measurable, and an unmeasured preference is a guess.
    query_fields: Mapping[str, float] = field(default_factory=dict)
    default_field_weight: float = 1.0
    # A phrase's weight relative to a word's, on top of its IDF: half, because a phrase match
    # already scores its two words as well.
    phrase_weight: float = 0.5


class SuggestionIndex:
    """Ranks candidates for queries. Build with `build_index`; pickles for a worker's cache."""

    def __init__(self, candidates: Iterable[Candidate], settings: Settings | None = None):
        self.settings = settings = settings or Settings()
        self.ids: list[Id] = []
        self.labels: list[str] = []
        vocab: dict[str, int] = {}
        surfaces: list[str] = []
        per_field: dict[str, tuple[list[int], list[int], list[float]]] = {}
        for row, cand in enumerate(candidates):
            self.ids.append(cand.id)
            self.labels.append(_first_line(cand.fields.get("label", "")))
            for name, text in cand.fields.items():
                counts: Counter[int] = Counter()
                for term in analyse(text):
                    j = vocab.get(term.key)
                    if j is None:
                        j = vocab[term.key] = len(vocab)
                        surfaces.append(term.surface)
                    counts[j] += 1
                if not counts:
                    continue
                r, c, v = per_field.setdefault(name, ([], [], []))
                r.extend([row] * len(counts))
                c.extend(counts)
                v.extend(counts.values())
        self.vocab = vocab
        self.surfaces = surfaces
        self.row_of: dict[Id, int] = {cid: i for i, cid in enumerate(self.ids)}
        if len(self.row_of) != len(self.ids):
            raise ValueError("candidate ids must be unique")
        n, nv = len(self.ids), len(vocab)
        counts_by_field = {
            name: sparse.csr_matrix((v, (r, c)), shape=(n, nv), dtype=np.float32)
            for name, (r, c, v) in per_field.items()
        }
        self.idf = self._idf(counts_by_field)
        # Term weights: IDF, and phrases scaled by phrase_weight.
        is_phrase = np.fromiter((" " in k for k in vocab), dtype=bool, count=nv)
        self.term_weight = (self.idf * np.where(is_phrase, settings.phrase_weight, 1.0)).astype(
            np.float32
        )
        # Per field: unit-length rows (log-tf times term weight) and the field's weight; and per
        # candidate, the summed weight of the fields it has, which the score is divided by.
        self.fields: dict[str, sparse.csr_matrix] = {}
        self.field_weights: dict[str, float] = {}
        present_weight = np.zeros(n, dtype=np.float32)
        for name, m in counts_by_field.items():
            m.data = 1 + np.log(m.data)
            self.fields[name] = _l2_rows(m @ sparse.diags(self.term_weight))
            w = settings.candidate_fields.get(name, settings.default_field_weight)
            self.field_weights[name] = w
            present_weight += w * (np.diff(self.fields[name].indptr) > 0)
        present_weight[present_weight == 0] = 1
        self.inverse_present_weight = (1 / present_weight).astype(np.float32)

    @staticmethod
    def _idf(counts_by_field: Mapping[str, sparse.csr_matrix]) -> np.ndarray:
        present = None
        for m in counts_by_field.values():
            b = m.copy()
            b.data[:] = 1
            present = b if present is None else present.maximum(b)
        if present is None:
            return np.zeros(0, dtype=np.float32)
        n = present.shape[0]
        df = np.bincount(present.indices, minlength=present.shape[1])
        # The probabilistic IDF of BM25, which falls to nearly nothing for a term in half the
        # pool ("ICT" in an ICT framework) where log(N/df) would still give it weight; floored
        # so that a term in most candidates counts a little rather than negatively.
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        return np.maximum(idf, 0.01).astype(np.float32)

    # -- querying -----------------------------------------------------------------------------

    def analyse_query(self, query: Query) -> dict[str, list[Term]]:
        """The query's terms by field (kept for explanations)."""
        return {name: analyse(text) for name, text in query.fields.items() if text}

    def query_vectors(self, analysed: Sequence[Mapping[str, list[Term]]]) -> sparse.csr_matrix:
        """Queries as unit-length rows: per field, (1 + log tf) x field weight, summed, x IDF.

        Terms the pool never uses are dropped: they cannot match, and they would only shrink
        every score of the query alike.
        """
        s = self.settings
        rows, cols, vals = [], [], []
        for i, fields in enumerate(analysed):
            weights: dict[int, float] = {}
            for name, terms in fields.items():
                fw = s.query_fields.get(name, s.default_field_weight)
                counts = Counter(self.vocab[t.key] for t in terms if t.key in self.vocab)
                for j, tf in counts.items():
                    weights[j] = weights.get(j, 0.0) + fw * (1 + math.log(tf))
            rows.extend([i] * len(weights))
            cols.extend(weights)
            vals.extend(weights.values())
        qm = sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(analysed), len(self.vocab)), dtype=np.float32
        )
        return _l2_rows(qm @ sparse.diags(self.term_weight))

    def scores(self, queries: Sequence[Query]) -> np.ndarray:
        """Dense (queries x candidates) scores, in pool order; the whole method, unranked."""
        return self._scores(self.query_vectors([self.analyse_query(q) for q in queries]))

    def _scores(self, qv: sparse.csr_matrix) -> np.ndarray:
        total = np.zeros((qv.shape[0], len(self.ids)), dtype=np.float32)
        for name, m in self.fields.items():
            total += self.field_weights[name] * (qv @ m.T).toarray()
        return total * self.inverse_present_weight

    def rank(
        self,
        query: Query,
        k: int = 20,
        restrict_to: set[Id] | None = None,
        exclude: set[Id] | None = None,
        *,
        explain: bool = True,
    ) -> list[Ranked]:
        """The `k` best candidates for `query`, best first, with explanations."""
        return self.rank_many([query], k, restrict_to, exclude, explain=explain)[0]

    def rank_many(
        self,
        queries: Sequence[Query],
        k: int = 20,
        restrict_to: set[Id] | None = None,
        exclude: set[Id] | None = None,
        *,
        explain: bool = True,
        batch_size: int = 128,
    ) -> list[list[Ranked]]:
        """`rank` for many queries, in batches so memory stays bounded by batch x candidates."""
        mask = self._mask(restrict_to, exclude)
        out: list[list[Ranked]] = []
        for start in range(0, len(queries), batch_size):
            batch = queries[start : start + batch_size]
            analysed = [self.analyse_query(q) for q in batch]
            vectors = self.query_vectors(analysed)
            scores = self._scores(vectors)
            if mask is not None:
                scores[:, ~mask] = -np.inf
            for i, row in enumerate(scores):
                out.append(self._top(analysed[i], vectors[i], row, k, explain))
        return out

    def _mask(self, restrict_to: set[Id] | None, exclude: set[Id] | None) -> np.ndarray | None:
        if restrict_to is None and not exclude:
            return None
        mask = np.ones(len(self.ids), dtype=bool)
        if restrict_to is not None:
            mask[:] = False
            mask[[self.row_of[c] for c in restrict_to if c in self.row_of]] = True
        if exclude:
            mask[[self.row_of[c] for c in exclude if c in self.row_of]] = False
        return mask

    def _top(
        self,
        fields: Mapping[str, list[Term]],
        vector: sparse.csr_matrix,
        row: np.ndarray,
        k: int,
        explain: bool,
    ) -> list[Ranked]:
        valid = np.flatnonzero(row > 0)
        if not len(valid) or k <= 0:
            return []
        if len(valid) > k:
            valid = valid[np.argpartition(-row[valid], k - 1)[:k]]
        # Ties broken by pool order, so the same index and query always give the same list.
        order = valid[np.lexsort((valid, -row[valid]))]
        terms = QueryTerms(self, fields, vector) if explain else None
        return [
            Ranked(
                self.ids[j],
                float(row[j]),
                r + 1,
                explain_match(terms, j) if terms else (),
            )
            for r, j in enumerate(order.tolist())
        ]

    # -- persistence --------------------------------------------------------------------------

    def dumps(self) -> bytes:
        """The index as bytes (pickle); `SuggestionIndex.loads` reverses it."""
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def loads(data: bytes) -> SuggestionIndex:
        """An index from `dumps`; only load bytes this application wrote."""
        index = pickle.loads(data)
        if not isinstance(index, SuggestionIndex):
            raise TypeError("not a SuggestionIndex")
        return index

    def __len__(self) -> int:
        return len(self.ids)


def build_index(
    candidates: Iterable[Candidate],
    *,
    language_hint: str | None = None,
    settings: Settings | None = None,
) -> SuggestionIndex:
    """Index `candidates` for ranking.

    `language_hint` is accepted for callers that know the language; the tokeniser handles
    English, Chinese and mixed text by itself, so it changes nothing today.
    """
    del language_hint
    return SuggestionIndex(candidates, settings)


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0]


def _l2_rows(m: sparse.spmatrix) -> sparse.csr_matrix:
    m = sparse.csr_matrix(m)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ m)
