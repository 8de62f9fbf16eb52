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

Then, where the static embedding model of `semantic.py` is installed, a second ranking by
meaning (each candidate's best cosine with any line or sentence of the query) is fused with the
lexical ranking by reciprocal rank fusion: a candidate's score is 1 / (k + its lexical rank)
plus 1 / (k + its rank by meaning), k = 60 (Cormack, Clarke and Buettcher, 2009; the usual
constant, not tuned here). Rank fusion needs no calibration between a cosine of term weights and
a cosine of embeddings. A candidate is suggested only if it shares a term with the query or is
close to it in meaning (`Settings.semantic_floor`). Without the model, or for a query or pool
the model cannot read (Chinese), the score is the lexical rank term alone: 1 / (k + lexical
rank). That keeps every query an index with the model answers on one scale, so a programme's
review queue can order a Chinese course's suggestions among an English course's by score.

Where the pool is a tree (`Candidate.parent`), a grouping, i.e. a candidate others in the pool
hang from ("Engineering knowledge" over its indicators), is placed after every specific one:
in each ranking before fusion, so its score (rank terms) stays below theirs, and in the list
returned (a pool ranked on words alone scores by cosine). Its short, generic name shares the
field's most common word ("engineering", "工程") with nearly every course and position, and
ranked first for them, above the precise abilities a person would link. It stays a candidate:
a requirement may name it, and unless a programme counts children it is covered only by a link
to it. A flat pool (ESCO) is ranked as before.

Every weight is an interpretable hyper-parameter in `Settings`; none is fitted to any
occupation-skill relation. The lexical score is a sum over shared terms and the fused score a
sum of two rank terms, so the explanation of a suggestion (`explain.py`) is an exact breakdown
of its score.

Tried on the ESCO development sample and left out because they did not improve recall there
(see PERFORMANCE.md): BM25F, latent semantic analysis of the pool, pseudo-relevance feedback,
query expansion by term co-occurrence in the pool, propagation over a nearest-neighbour graph of
candidates, generic-skill priors, query decomposition with lexical rank fusion, diversification
(MMR), and the heavier MiniLM and multilingual-E5 sentence encoders.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .explain import (
    MAX_MATCHES,
    QueryTerms,
    agreement_depth,
    agreement_selective,
    explain_match,
    strength,
    word_evidence,
)
from .outcomes import subject_text
from .semantic import (
    WORDLLAMA,
    Segment,
    SemanticVectors,
    StaticEncoder,
    candidate_text,
    load_encoder,
    segments,
)
from .text import (
    Term,
    analyse,
    compound_factor,
    count_terms,
    has_cjk,
    read_part,
    term_frequencies,
)
from .types import Candidate, Id, Match, Query, Ranked

# How much a match in each candidate field says: a label is what the ability is; alternative
# labels and a description restate it less exactly. Unknown field names weigh `default`.
CANDIDATE_FIELD_WEIGHTS = {"label": 2.0, "alt_labels": 1.0, "description": 1.0}
# Fields holding a Chinese translation of the fields above (an ability's `text_zh`), weighing
# what the field they translate weighs.
CHINESE_FIELD_WEIGHTS = {"label_zh": 2.0, "description_zh": 1.0}


@dataclass(frozen=True)
class Settings:
    """The handful of hyper-parameters, each with the reason for its default."""

    candidate_fields: Mapping[str, float] = field(
        default_factory=lambda: dict(CANDIDATE_FIELD_WEIGHTS) | CHINESE_FIELD_WEIGHTS
    )
    # Candidate fields that translate others into Chinese: only their Chinese words are indexed
    # (the Latin ones, "Photoshop", restate the original's), the model (English) never reads
    # them, and they count in a candidate's share of fields only for a query with Chinese words,
    # so that an English query ranks a bilingual pool exactly as it would the English alone.
    chinese_fields: frozenset[str] = frozenset(CHINESE_FIELD_WEIGHTS)
    # Query fields all weigh the same by default: on the development sample, weighting a title
    # above the prose changed nothing measurable, and an unmeasured preference is a guess.
    query_fields: Mapping[str, float] = field(default_factory=dict)
    default_field_weight: float = 1.0
    # A phrase's weight relative to a word's, on top of its IDF: half, because a phrase match
    # already scores its two words as well.
    phrase_weight: float = 0.5
    # A Chinese word a field writes only as a part of a longer one (国际 of 国际物流 or of
    # 国际化, 关系 of 公共关系: `text.compound_factor`) weighs this much of a word written alone
    # there, so a course on 国际物流 and an ability on 企业国际化 or 国际政治 do not meet on 国际
    # as if it were their subject; the compound, matched whole, keeps its weight. Half, as a
    # phrase is weighed, chosen before measuring. On the hand-made Chinese syllabi of
    # `suggestions/tests/fixtures/chinese_gold.json` (precision at 3, MRR): 1.0 (as before)
    # 0.733, 0.944; 0.7 0.756, 0.950; 0.5 0.800, 0.967; 0.3 0.822, 0.967. English has no parts.
    compound_part_weight: float = 0.5
    # The model for matching by meaning (`semantic.py`), or None for words and phrases only.
    # Used where its package is installed; otherwise the engine ranks on words alone.
    semantic_model: str | None = WORDLLAMA
    # Reciprocal rank fusion's k: the usual 60. Larger flattens the difference between ranks.
    fusion_k: float = 60.0
    # A candidate that shares no term with the query is suggested only if some segment of the
    # query has at least this cosine with it. Chosen on hand-made pairs, not on the evaluation's
    # relations: paraphrases that share no word score 0.30 to 0.45 ("keep hackers out of the
    # company network" and "cyber security" 0.43, "handle money and bookkeeping" and
    # "accounting" 0.34), unrelated pairs 0.15 or less ("software testing" and "bake bread"
    # 0.01). On the ESCO sample any floor from -1 to 0.5 gives the same figures: half the pool
    # shares some term with a query, and those candidates fill the top 20.
    # It is also the floor below which an explanation names no line as close in meaning (any
    # candidate has a closest line, however far): among every pair of an ESCO sample query's
    # line and a skill of the full pool (nearly all unrelated; cosine mean 0.07, sd 0.09) about
    # 1 in 100 reaches 0.3 (0.32 is the 99th percentile), and 1 in 20 of the pairs with the
    # ICT pool's skills (mean 0.10, sd 0.11). One floor for both, so a candidate suggested for
    # its meaning alone always has its line named.
    semantic_floor: float = 0.3
    # A suggestion's strength (`explain.strength`) counts the rankings that place it within
    # their first `agreement_depth`: the number of suggestions a subject keeps by default, i.e.
    # what each ranking would have suggested on its own; in a pool of fewer than ten times as
    # many, its first tenth (`explain.agreement_depth`), where the first 20 would be most of it.
    # Two rankings agreeing that deep is evidence only where it is at most a tenth of the
    # candidates sharing a word with the query (`explain.agreement_selective`); elsewhere, as
    # in a small framework, the band is also capped by what the suggestion shares.
    agreement_depth: int = 20
    # Query fields written as learning outcomes: their template ("Students will be able to") and
    # each outcome's leading Bloom verb ("identify", "了解") say how deep, not what about, and
    # are not matched (`outcomes.subject_text`); the level proposal still reads them.
    outcome_fields: frozenset[str] = frozenset({"outcomes"})


# The ranking on words and phrases alone: per-field TF-IDF cosines.
LEXICAL_METHOD = "lexical-fields"


class SuggestionIndex:
    """Ranks candidates for queries. Build with `build_index`; pickles for a worker's cache."""

    # Per candidate, whether others in the pool hang from it; None for a flat pool (and an
    # index pickled before trees were read).
    grouping: np.ndarray | None = None

    def __init__(self, candidates: Iterable[Candidate], settings: Settings | None = None):
        self.settings = settings = settings or Settings()
        self.ids: list[Id] = []
        self.labels: list[str] = []
        vocab: dict[str, int] = {}
        surfaces: list[str] = []
        per_field: dict[str, tuple[list[int], list[int], list[float]]] = {}
        model_texts: list[tuple[int, str, str]] = []  # (row, field, text) for the model
        parents: set[Id] = set()
        parts: list[tuple[str, int, int, float, frozenset[str]]] = []
        for row, cand in enumerate(candidates):
            self.ids.append(cand.id)
            if cand.parent is not None:
                parents.add(cand.parent)
            self.labels.append(_first_line(cand.fields.get("label", "")))
            for name, whole in cand.fields.items():
                text = read_part(whole)  # an imported description may be a megabyte
                translation = name in settings.chinese_fields
                if settings.semantic_model and not translation:
                    model_texts.append((row, name, text))
                terms = analyse(text)
                for term in terms:
                    if translation and not has_cjk(term.key):
                        continue
                    if term.key not in vocab:
                        vocab[term.key] = len(vocab)
                        surfaces.append(term.surface)
                counts = count_terms((t for t in terms if not translation or has_cjk(t.key)), vocab)
                if not counts:
                    continue
                r, c, v = per_field.setdefault(name, ([], [], []))
                r.extend([row] * len(counts))
                c.extend(counts)
                v.extend(tf for tf, _ in counts.values())
                # Compound parts are weighed once the pool's IDF is known.
                parts.extend(
                    (name, row, j, tf, narrows)
                    for j, (tf, narrows) in counts.items()
                    if narrows is not None
                )
        self.vocab = vocab
        self.surfaces = surfaces
        self.row_of: dict[Id, int] = {cid: i for i, cid in enumerate(self.ids)}
        if len(self.row_of) != len(self.ids):
            raise ValueError("candidate ids must be unique")
        n, nv = len(self.ids), len(vocab)
        if parents & self.row_of.keys():
            self.grouping = np.fromiter((c in parents for c in self.ids), dtype=bool, count=n)
        counts_by_field = {
            name: sparse.csr_matrix((v, (r, c)), shape=(n, nv), dtype=np.float32)
            for name, (r, c, v) in per_field.items()
        }
        self.idf = self._idf(counts_by_field)
        self._weigh_compound_parts(counts_by_field, parts)
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
        translations_weight = np.zeros(n, dtype=np.float32)
        for name, m in counts_by_field.items():
            self.fields[name] = _l2_rows(m @ sparse.diags(self.term_weight))
            w = settings.candidate_fields.get(name, settings.default_field_weight)
            self.field_weights[name] = w
            has = w * (np.diff(self.fields[name].indptr) > 0)
            if name in settings.chinese_fields:
                translations_weight += has
            else:
                present_weight += has
        self.inverse_present_weight = _inverse(present_weight)
        # For queries with Chinese words, where a pool has translations: the share of every field.
        self.chinese_terms: np.ndarray | None = None
        self.inverse_present_weight_chinese: np.ndarray | None = None
        if translations_weight.any():
            self.chinese_terms = np.fromiter(
                (has_cjk(key) for key in vocab), dtype=np.float32, count=nv
            )
            self.inverse_present_weight_chinese = _inverse(present_weight + translations_weight)
        self.semantic = self._semantic_vectors(model_texts, n)
        # Whether scores are on the fused scale (rank terms): wherever the model was available
        # when the index was built, even for a pool or a query it cannot read.
        self.fused = bool(settings.semantic_model and n and load_encoder(settings.semantic_model))

    @property
    def reads_chinese(self) -> bool:
        """Whether some candidate has a Chinese word to meet: a statement written in Chinese or a
        Chinese translation of one. Without, a course written only in Chinese meets nothing."""
        reads = self.__dict__.get("_reads_chinese")
        if reads is None:
            reads = self.__dict__["_reads_chinese"] = any(map(has_cjk, self.vocab))
        return reads

    @property
    def vocab_keys(self) -> list[str]:
        """Each term's key by column (made on first use: an index pickled before had none)."""
        keys = self.__dict__.get("_vocab_keys")
        if keys is None or len(keys) != len(self.vocab):
            keys = self.__dict__["_vocab_keys"] = list(self.vocab)  # columns in insertion order
        return keys

    @property
    def method(self) -> str:
        """Names the ranking, as stored with each suggestion: words and phrases alone (round 1's
        ranking, and the fallback without the model), or fused with the ranking by meaning."""
        return f"{LEXICAL_METHOD}+meaning" if self.fused else LEXICAL_METHOD

    def _semantic_vectors(
        self, model_texts: list[tuple[int, str, str]], n: int
    ) -> SemanticVectors | None:
        s = self.settings
        encoder = load_encoder(s.semantic_model) if s.semantic_model and n else None
        if encoder is None:
            return None
        field_texts: dict[str, list[str]] = {}
        for row, name, text in model_texts:
            texts = field_texts.get(name)
            if texts is None:
                texts = field_texts[name] = [""] * n
            texts[row] = candidate_text(text)
        weights = {
            name: s.candidate_fields.get(name, s.default_field_weight) for name in field_texts
        }
        vectors = SemanticVectors(s.semantic_model, field_texts, weights, encoder)
        return vectors if vectors.has_vector.any() else None

    def _weigh_compound_parts(
        self,
        counts_by_field: dict[str, sparse.csr_matrix],
        parts: list[tuple[str, int, int, float, frozenset[str]]],
    ) -> None:
        """Each field's weight on a Chinese word it writes only as a part of a longer one,
        times its `text.compound_factor`: added as a correction, the rest left as counted."""
        n, nv = len(self.ids), len(self.vocab)
        corrections: dict[str, tuple[list[int], list[int], list[float]]] = {}
        for name, row, j, tf, narrows in parts:
            factor = compound_factor(
                j, narrows, self.vocab, self.idf, self.settings.compound_part_weight
            )
            if factor != 1.0:
                r, c, v = corrections.setdefault(name, ([], [], []))
                r.append(row)
                c.append(j)
                v.append(tf * (factor - 1.0))
        for name, (r, c, v) in corrections.items():
            delta = sparse.csr_matrix((v, (r, c)), shape=(n, nv), dtype=np.float32)
            counts_by_field[name] = sparse.csr_matrix(counts_by_field[name] + delta)

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
        """The query's terms by field (kept for explanations); `_score_batch` gives it each
        field's read part (`text.read_part`)."""
        return {
            name: analyse(self._matched_text(name, text), as_written=True)
            for name, text in query.fields.items()
            if text
        }

    def _matched_text(self, name: str, text: str) -> str:
        """What of a query field is matched: an outcome field's subject (see `Settings`)."""
        return subject_text(text) if name in self.settings.outcome_fields else text

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
                for j, tf in term_frequencies(
                    terms, self.vocab, s.compound_part_weight, self.idf
                ).items():
                    weights[j] = weights.get(j, 0.0) + fw * tf
            rows.extend([i] * len(weights))
            cols.extend(weights)
            vals.extend(weights.values())
        qm = sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(analysed), len(self.vocab)), dtype=np.float32
        )
        return _l2_rows(qm @ sparse.diags(self.term_weight))

    def scores(self, queries: Sequence[Query]) -> np.ndarray:
        """Dense (queries x candidates) scores, in pool order; the whole method, unranked.

        0 for a candidate that would not be suggested.
        """
        out = np.zeros((len(queries), len(self.ids)), dtype=np.float64)
        for i, scored in enumerate(self._score_batch(queries, None)):
            out[i] = scored.score
        return out

    def _scores(self, qv: sparse.csr_matrix) -> np.ndarray:
        total = np.zeros((qv.shape[0], len(self.ids)), dtype=np.float32)
        for name, m in self.fields.items():
            # (pool x queries), transposed: multiplying the other way round would have scipy
            # convert the whole pool matrix on every call, where this converts the few queries.
            total += self.field_weights[name] * (m @ qv.T).T.toarray()
        if self.chinese_terms is None:
            return total * self.inverse_present_weight
        reads = (qv @ self.chinese_terms) > 0
        return np.where(
            reads[:, None],
            total * self.inverse_present_weight_chinese,
            total * self.inverse_present_weight,
        )

    def inverse_weight(self, row: int, query_terms: Iterable[int]) -> float:
        """1 / the weight of candidate `row`'s fields that a query of these term columns reads."""
        if self.chinese_terms is not None and any(self.chinese_terms[j] for j in query_terms):
            return float(self.inverse_present_weight_chinese[row])
        return float(self.inverse_present_weight[row])

    def _encoder(self) -> StaticEncoder | None:
        # Also None where the index was built with the model and loaded where it is missing:
        # the index then ranks on words alone.
        if self.semantic is None:
            return None
        return load_encoder(self.semantic.model)

    def _score_batch(self, queries: Sequence[Query], mask: np.ndarray | None) -> Iterator[_Scored]:
        """Each query's lexical and (where there is a model) fused scores, masked.

        A generator: a query's fused arrays are made only when it is ranked, so a batch holds
        one query's, not all of them.
        """
        # Each field's read part only (`text.read_part`): matched, read by the model, quoted.
        queries = [Query({n: read_part(t) for n, t in q.fields.items() if t}) for q in queries]
        analysed = [self.analyse_query(q) for q in queries]
        vectors = self.query_vectors(analysed)
        lexical = self._scores(vectors)
        if mask is not None:
            lexical[:, ~mask] = 0
        pool_size = len(self.ids) if mask is None else int(np.count_nonzero(mask))
        encoder = self._encoder()
        segs = (
            [segments(q.fields, self._matched_text, self.settings.outcome_fields) for q in queries]
            if encoder
            else [[] for _ in queries]
        )
        flat = [seg.text for query_segs in segs for seg in query_segs]
        seg_vectors = encoder.encode(flat) if flat else np.zeros((0, 0), dtype=np.float32)
        meaning = self.semantic.best_scores(seg_vectors, [len(x) for x in segs]) if flat else None
        start = 0
        for i, query_segs in enumerate(segs):
            scored = _Scored(analysed[i], vectors[i], lexical[i])
            scored.pool_size = pool_size
            if query_segs:
                scored.segments = query_segs
                scored.segment_vectors = seg_vectors[start : start + len(query_segs)]
                start += len(query_segs)
                self._fuse(scored, meaning[i], mask)
            elif self.fused:
                self._lexical_rank_terms(scored)
            yield scored

    def _fuse(self, scored: _Scored, meaning: np.ndarray, mask: np.ndarray | None) -> None:
        """Reciprocal rank fusion of the lexical ranking and the ranking by meaning."""
        s = self.settings
        sem = self.semantic
        lexical = scored.lexical
        allowed = sem.has_vector if mask is None else sem.has_vector & mask
        lex_part = _rank_terms(lexical, lexical > 0, s.fusion_k, self.grouping)
        sem_part = _rank_terms(meaning, allowed, s.fusion_k, self.grouping)
        eligible = (lex_part > 0) | ((sem_part > 0) & (meaning >= s.semantic_floor))
        scored.score = np.where(eligible, lex_part + sem_part, 0.0)
        scored.lex_part = lex_part
        scored.sem_part = sem_part
        scored.meaning = meaning

    def _lexical_rank_terms(self, scored: _Scored) -> None:
        """The fused scale with no ranking by meaning: 1 / (k + lexical rank)."""
        lexical = scored.lexical
        scored.score = scored.lex_part = _rank_terms(
            lexical, lexical > 0, self.settings.fusion_k, self.grouping
        )
        scored.sem_part = np.zeros_like(scored.score)

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
        exclude_each: Sequence[set[Id]] | None = None,
    ) -> list[list[Ranked]]:
        """`rank` for many queries, in batches so memory stays bounded by batch x candidates.

        `exclude_each`, one set per query: candidates that query leaves out of its `k` (those
        it is linked to already, say). Unlike `exclude`, they still count in its ranking (a
        fused score is a rank among the whole pool), as if ranked and then filtered out.
        """
        mask = self._mask(restrict_to, exclude)
        if exclude_each is not None and len(exclude_each) != len(queries):
            raise ValueError("exclude_each needs one set per query")
        out: list[list[Ranked]] = []
        for start in range(0, len(queries), batch_size):
            batch = self._score_batch(queries[start : start + batch_size], mask)
            for i, scored in enumerate(batch, start=start):
                out.append(self._top(scored, k, explain, exclude_each[i] if exclude_each else ()))
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

    def _top(self, scored: _Scored, k: int, explain: bool, left_out=()) -> list[Ranked]:
        row = scored.score
        valid = np.flatnonzero(row > 0)
        if left_out:
            rows = [self.row_of[c] for c in left_out if c in self.row_of]
            valid = np.setdiff1d(valid, rows, assume_unique=True)
        if not len(valid) or k <= 0:
            return []
        if self.grouping is None:
            order = _best(valid, row, k)
        else:  # the specific candidates, then the groupings
            specific = _best(valid[~self.grouping[valid]], row, k)
            order = np.concatenate(
                [specific, _best(valid[self.grouping[valid]], row, k - len(specific))]
            )
        terms = QueryTerms(self, scored.fields, scored.vector) if explain else None
        lexical_ranks, meaning_ranks = self._ranking_places(scored, order)
        best = float(scored.lexical.max()) if len(scored.lexical) else 0.0
        two_rankings = bool(scored.segments) and scored.sem_part is not None
        depth = agreement_depth(self.settings.agreement_depth, scored.pool_size)
        # What a suggestion shares is read where it rates it: on words alone, and where two
        # rankings agreeing is not selective (`explain.agreement_selective`).
        selective = agreement_selective(depth, int(np.count_nonzero(scored.lexical > 0)))
        read_evidence = not two_rankings or not selective
        out = []
        query_columns = set(scored.vector.indices.tolist())
        for r, j in enumerate(order.tolist()):
            share = float(scored.lexical[j]) / best if best > 0 else 0.0
            reasons = self._explain(scored, terms, j) if explain else ()
            coverage, shared = (
                word_evidence(self, query_columns, j) if read_evidence else (None, None)
            )
            out.append(
                Ranked(
                    self.ids[j],
                    float(row[j]),
                    r + 1,
                    reasons[:MAX_MATCHES],
                    lexical_rank=lexical_ranks[r],
                    meaning_rank=meaning_ranks[r],
                    lexical_share=round(share, 4),
                    strength=strength(
                        lexical_rank=lexical_ranks[r],
                        meaning_rank=meaning_ranks[r],
                        lexical_share=share,
                        two_rankings=two_rankings,
                        depth=depth,
                        coverage=coverage,
                        terms=shared,
                        selective=selective,
                    ),
                    coverage=None if coverage is None else round(coverage, 4),
                    terms=shared,
                    matched=tuple(dict.fromkeys(m.term_or_phrase for m in reasons)),
                )
            )
        return out

    def _ranking_places(
        self, scored: _Scored, rows: np.ndarray
    ) -> tuple[list[int | None], list[int | None]]:
        """Where the lexical ranking and the ranking by meaning place each of `rows` among the
        pool (None: not ranked there). A fused part is 1 / (k + rank), which gives the rank
        back; without fusion, the lexical rank is counted (ties in pool order)."""
        k = self.settings.fusion_k

        def places(parts: np.ndarray | None) -> list[int | None]:
            if parts is None:
                return [None] * len(rows)
            return [round(1 / p - k) if p > 0 else None for p in parts[rows].tolist()]

        if scored.lex_part is not None:
            return places(scored.lex_part), places(scored.sem_part)
        lexical = scored.lexical
        ranked = np.sort(lexical[lexical > 0])
        out: list[int | None] = []
        for j in rows.tolist():
            value = lexical[j]
            if value <= 0:
                out.append(None)
                continue
            above = len(ranked) - int(np.searchsorted(ranked, value, side="right"))
            tied_before = int(np.count_nonzero(lexical[:j] == value))
            out.append(above + tied_before + 1)
        return out, [None] * len(rows)

    def _explain(self, scored: _Scored, terms: QueryTerms | None, j: int) -> tuple[Match, ...]:
        if scored.sem_part is None:
            return explain_match(terms, j)
        lexical = float(scored.lexical[j])
        scale = float(scored.lex_part[j]) / lexical if lexical > 0 else 0.0
        extra: tuple[Match, ...] = ()
        if scored.sem_part[j] > 0:
            sims = scored.segment_vectors @ self.semantic.combined[j]
            best = int(np.argmax(sims))
            # Every candidate has a closest line; below the floor it is not close, and quoting
            # it as the reason (and reading its Bloom verb or cue for the level and importance
            # proposed) would be wrong. Its share of the score then goes unexplained.
            if sims[best] < self.settings.semantic_floor:
                return explain_match(terms, j, scale)
            segment = scored.segments[best]
            field = self.semantic.closest_field(j, scored.segment_vectors[best])
            extra = (
                Match(
                    segment.field,
                    field,
                    segment.written,
                    float(scored.sem_part[j]),
                    kind="meaning",
                    similarity=round(float(sims[best]), 4),
                ),
            )
        return explain_match(terms, j, scale, extra)

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


def _inverse(weights: np.ndarray) -> np.ndarray:
    return (1 / np.where(weights == 0, 1, weights)).astype(np.float32)


def _l2_rows(m: sparse.spmatrix) -> sparse.csr_matrix:
    m = sparse.csr_matrix(m)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ m)


class _Scored:
    """One query's scores while it is ranked: lexical, and the fused parts where there are any."""

    __slots__ = (
        "fields",
        "lex_part",
        "lexical",
        "meaning",
        "pool_size",
        "score",
        "segment_vectors",
        "segments",
        "sem_part",
        "vector",
    )

    def __init__(self, fields: Mapping[str, list[Term]], vector, lexical: np.ndarray):
        self.fields = fields
        self.vector = vector
        self.lexical = lexical
        self.score: np.ndarray = lexical
        self.segments: list[Segment] = []
        self.segment_vectors: np.ndarray | None = None
        self.lex_part: np.ndarray | None = None
        self.sem_part: np.ndarray | None = None
        self.meaning: np.ndarray | None = None
        self.pool_size = len(lexical)


def _best(valid: np.ndarray, row: np.ndarray, k: int) -> np.ndarray:
    """The `k` best of the rows `valid` by score `row`, best first."""
    if not len(valid) or k <= 0:
        return valid[:0]
    if len(valid) > k:
        # The k best; of those tied with the k-th, the first in pool order (argpartition
        # chose among them at random, so leaving other candidates out changed which).
        scores = row[valid]
        kth = np.partition(scores, len(valid) - k)[len(valid) - k]
        above = valid[scores > kth]
        valid = np.concatenate([above, valid[scores == kth][: k - len(above)]])
    # Ties broken by pool order, so the same index and query always give the same list.
    return valid[np.lexsort((valid, -row[valid]))]


def _rank_terms(
    values: np.ndarray, allowed: np.ndarray, k: float, last: np.ndarray | None = None
) -> np.ndarray:
    """1 / (k + rank) for the allowed entries ranked by value (ties in pool order), else 0;
    the entries `last` marks (groupings) ranked after all the others."""
    idx = np.flatnonzero(allowed)
    if last is None:
        order = idx[np.argsort(-values[idx], kind="stable")]  # stable: ties stay in pool order
    else:
        order = idx[np.lexsort((-values[idx], last[idx]))]  # lexsort is stable too
    out = np.zeros(len(values), dtype=np.float64)
    out[order] = 1.0 / (k + np.arange(1, len(order) + 1))
    return out
