"""A plain TF-IDF cosine ranker: the yardstick the engine is measured against.

All fields of a candidate in one bag of words, all fields of the query in another, the same
tokeniser as the engine but no phrases, no field weights, no smoothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse

from .text import analyse, read_part
from .types import Candidate, Query, Ranked


class TfidfRanker:
    """Cosine similarity of l2-normalised, log-tf times IDF vectors."""

    def __init__(self, candidates: Iterable[Candidate]):
        self.ids = []
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for i, c in enumerate(candidates):
            self.ids.append(c.id)
            counts: dict[int, int] = {}
            for text in c.fields.values():
                for t in analyse(read_part(text), phrases=False):
                    j = vocab.setdefault(t.key, len(vocab))
                    counts[j] = counts.get(j, 0) + 1
            rows.extend([i] * len(counts))
            cols.extend(counts)
            vals.extend(counts.values())
        n = len(self.ids)
        tf = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)
        df = np.bincount(tf.indices, minlength=len(vocab))
        self.vocab = vocab
        self.idf = np.log((1 + n) / (1 + df)) + 1
        self.matrix = _l2_rows(_log_tf(tf) @ sparse.diags(self.idf))

    def rank_many(self, queries: Sequence[Query], k: int = 20) -> list[list[Ranked]]:
        """Top `k` candidates for each query, by cosine."""
        rows, cols, vals = [], [], []
        for i, q in enumerate(queries):
            counts: dict[int, int] = {}
            for text in q.fields.values():
                for t in analyse(read_part(text), phrases=False):
                    j = self.vocab.get(t.key)
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
            rows.extend([i] * len(counts))
            cols.extend(counts)
            vals.extend(counts.values())
        qm = sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(queries), len(self.vocab)), dtype=np.float64
        )
        scores = (_l2_rows(_log_tf(qm) @ sparse.diags(self.idf)) @ self.matrix.T).toarray()
        out = []
        for row in scores:
            top = np.argsort(-row, kind="stable")[:k]
            out.append(
                [Ranked(self.ids[j], float(row[j]), r + 1) for r, j in enumerate(top) if row[j] > 0]
            )
        return out


def _log_tf(m: sparse.csr_matrix) -> sparse.csr_matrix:
    m = m.copy()
    m.data = 1 + np.log(m.data)
    return m


def _l2_rows(m: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ m)


def build_tfidf(candidates: Iterable[Candidate]) -> TfidfRanker:
    """The baseline ranker over `candidates`."""
    return TfidfRanker(candidates)
