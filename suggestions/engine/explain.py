"""Why a candidate was suggested, in terms a person can check against the two texts.

A lexical score is a sum over terms shared by the query and the candidate's fields (see
`index.py`), so it splits exactly into one `Match` per (query field, candidate field, term).
When the lexical ranking is fused with the ranking by meaning, the candidate's lexical share of
the fused score is split among its term matches in the same proportions, and its share from
meaning is one `Match` of kind "meaning", naming the query's line closest in meaning to it. Either
way the weights of all matches of a suggestion add up to its score (only the heaviest few are
returned), but for one thing: where even the closest line is not close (its cosine is below
`Settings.semantic_floor`), no line is named, and the share from meaning is left unexplained
rather than quoting an unrelated line as the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from scipy import sparse

from .text import Term, has_cjk, term_frequencies
from .types import GOOD, STRONG, WEAK, Match

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
        # Per query field, each term as first written there: a match names its query field, so
        # it quotes the term as that field writes it ("IT" in one, "it" in another).
        self.surface: dict[tuple[str, int], str] = {}
        self.key_of: dict[int, str] = {}
        shares: dict[str, dict[int, float]] = {}
        total: Counter[int] = Counter()
        for qname, terms in query_fields.items():
            fw = s.query_fields.get(qname, s.default_field_weight)
            weights = term_frequencies(terms, index.vocab, s.compound_part_weight, index.idf)
            shares[qname] = {j: fw * tf for j, tf in weights.items()}
            total.update(shares[qname])
            for t in terms:
                j = index.vocab.get(t.key)
                if j is not None:
                    self.surface.setdefault((qname, j), t.surface)
                    self.key_of[j] = t.key
        # term -> [(query field, share of the term's query weight)]
        self.fields_of: dict[int, list[tuple[str, float]]] = {}
        for qname, weights in shares.items():
            for j, w in weights.items():
                self.fields_of.setdefault(j, []).append((qname, w / total[j]))


def explain_match(
    terms: QueryTerms | None, row: int, scale: float = 1.0, extra: tuple[Match, ...] = ()
) -> tuple[Match, ...]:
    """The shared terms of the query and candidate `row`, and `extra` reasons, heaviest first:
    all of them (`MAX_MATCHES` are shown).

    `scale` multiplies the term matches' weights: 1 for a lexical score, the candidate's lexical
    share of the fused score over its lexical score when fused.
    """
    matches: list[Match] = list(extra)
    if terms is not None and scale > 0:
        matches.extend(_term_matches(terms, row, scale))
    matches.sort(key=lambda m: (-m.weight, m.query_field, m.candidate_field, m.term_or_phrase))
    return tuple(matches)


def _term_matches(terms: QueryTerms, row: int, scale: float) -> list[Match]:
    index = terms.index
    q = terms.vector
    scale *= index.inverse_weight(row, q)
    matches: list[Match] = []
    for cname, m in index.fields.items():
        start, end = m.indptr[row], m.indptr[row + 1]
        cw = index.field_weights[cname] * scale
        by_query_field: dict[str, dict[int, float]] = {}
        for j, value in zip(m.indices[start:end].tolist(), m.data[start:end].tolist(), strict=True):
            qj = q.get(j)
            if qj is None:
                continue
            base = qj * value * cw
            for qname, share in terms.fields_of[j]:
                by_query_field.setdefault(qname, {})[j] = base * share
        for qname, weights in by_query_field.items():
            for j, weight in _with_their_words(weights, terms.key_of).items():
                matches.append(Match(qname, cname, terms.surface[qname, j], weight))
    return matches


def _with_their_words(weights: dict[int, float], key_of: Mapping[int, str]) -> dict[int, float]:
    """`weights` by term, each Chinese word met inside a longer one also met (数据 and 分析 of
    数据分析, which jieba's search mode yields beside it) counted with the longest such one:
    a reader sees the word once, not its parts as reasons of their own. The sum is kept."""
    words = [j for j in weights if " " not in key_of[j] and has_cjk(key_of[j])]
    if len(words) < 2:
        return weights
    out = dict(weights)
    for j in words:
        key = key_of[j]
        longer = [w for w in words if len(key_of[w]) > len(key) and key in key_of[w]]
        if longer:
            whole = max(longer, key=lambda w: (len(key_of[w]), key_of[w]))
            out[whole] += out.pop(j)
    return out


def agreement_depth(depth: int, pool_size: int) -> int:
    """How far down a ranking "places" a candidate: `depth`, or the first tenth of a pool of
    fewer than ten times `depth` candidates, so that two rankings agreeing still says something
    in a framework of a few dozen abilities; but at least the first three where they are no more
    than a fifth of the pool (a course builds a few of a small framework's abilities, not only
    the first), and at least the first."""
    return max(1, min(depth, max(pool_size // 10, min(3, pool_size // 5))))


# What a suggestion ranked on words alone must show of its own text to be rated strong or good,
# whatever its place (`word_evidence`, `strength`). Chosen by reading hand-made Chinese syllabi
# against the paper's abilities, not fitted: a suggestion resting on one word that is a small part
# of its statement ("Listing" in an ESCO skill's description of to-do lists, 国际 in a long
# statement on 企业国际化) covers under a fifth of it; one a designer would link shares two or
# more terms covering a third or more of a short statement, or a tenth or more of a long one.
STRONG_COVERAGE = 0.3
GOOD_COVERAGE = 0.1
# One term alone rates good only where it is at least this much of the suggestion's own text
# (an ESCO skill labelled "Python", 具有数据分析能力 for 数据分析).
ONE_TERM_COVERAGE = 0.5


def word_evidence(index: SuggestionIndex, query_columns: set[int], row: int) -> tuple[float, int]:
    """How much of candidate `row`'s own text the query's terms match, and how many of them.

    Coverage: in the candidate field most matched, the share of the field's (squared, unit
    length) term weights held by terms the query has: IDF-weighted, so a rare word counts for
    more than a common one, and it does not grow with the length of the query. Terms: the
    distinct words shared, a Chinese word met inside a longer one also met counted with it
    (数据 and 分析 of 数据分析), plus one for each phrase (two words met together) and each
    Chinese compound met whole (数据分析 with its parts): a compound is more evidence than its
    parts met apart."""
    coverage = 0.0
    matched: set[int] = set()
    for m in index.fields.values():
        start, end = m.indptr[row], m.indptr[row + 1]
        covered = 0.0
        for j, value in zip(m.indices[start:end].tolist(), m.data[start:end].tolist(), strict=True):
            if j in query_columns:
                covered += value * value
                matched.add(j)
        coverage = max(coverage, covered)
    keys = [index.vocab_keys[j] for j in matched]
    words = [k for k in keys if " " not in k]
    chinese = [k for k in words if has_cjk(k)]
    parts = {k for k in chinese for other in chinese if other != k and k in other}
    wholes = {other for k in parts for other in chinese if other != k and k in other}
    terms = len(words) - len(parts) + len(wholes) + (len(keys) - len(words))
    return min(coverage, 1.0), terms


def agreement_selective(depth: int, ranked_by_words: int) -> bool:
    """Whether two rankings agreeing within their first `depth` is evidence of its own: only
    where `depth` is at most the first tenth of the candidates the ranking by words ranks at all
    (those sharing a term with the query), as `agreement_depth` reads a tenth of a pool.

    Where fewer share a term, the first few by words are whatever shares any word (a college
    English course and a small accounting framework's ethics ability, on "ethics" alone), and
    the ranking by meaning, reading a pool of one field, puts most of its abilities close to
    any course: two such rankings agree by chance (in a framework of 19 abilities, both place a
    given one in their first 3 with chance (3/19)^2, about 0.5 of an ability per course), and
    the band is read from what the suggestion shares as well (`strength`). In ESCO's pools an
    occupation shares a term with hundreds of skills (389 to 915 of the development sample's
    1,264), so its first 20 are a selective reading and the band is read from places alone."""
    return depth <= ranked_by_words // 10


def _by_evidence(coverage: float, terms: int) -> int:
    if terms >= 2 and coverage >= STRONG_COVERAGE:
        return 2
    if (terms >= 2 and coverage >= GOOD_COVERAGE) or coverage >= ONE_TERM_COVERAGE:
        return 1
    return 0


def strength(
    *,
    lexical_rank: int | None,
    meaning_rank: int | None,
    lexical_share: float,
    two_rankings: bool,
    depth: int,
    coverage: float | None = None,
    terms: int | None = None,
    selective: bool = True,
) -> str:
    """How strongly the engine stands by a suggestion, in words a reviewer reads: STRONG, GOOD or
    WEAK. What a band means: *strong*, two readings of the course each find the ability among
    the few it names first, and (where that can happen by chance) it shares enough of its own
    text; *good*, one reading does, or both do but it shares only a little; *weak*, it came up,
    but neither reading puts it among the first, or it rests on a word or two that are a small
    part of its text.

    Where the query was ranked both by shared words and by meaning (`two_rankings`), by how
    many of the two rankings place the candidate within their first `depth`, as each would have
    suggested it on its own: both (two independent readings agree) strong, one good, neither
    weak (it came up on middling ranks in both, or close in meaning while sharing no word and
    ranked low by meaning). Where that agreement is not `selective` (`agreement_selective`: a
    small framework, or a query sharing words with few candidates), it says little, and the
    band is at most what the suggestion shares, read as below; one sharing no word, suggested
    for a line close in meaning (`Settings.semantic_floor`), is at most good.

    Ranked on words alone (a Chinese query, or no model), there is no second ranking, and a
    place says nothing where the best suggestion is itself weak: the lower of two readings
    decides. Its place, by its lexical score against the query's best (`lexical_share`): at
    least half strong, at least a quarter good, else weak. And what it shares, read on its own
    (`word_evidence`): two or more `terms` covering `STRONG_COVERAGE` of its own text strong;
    two or more covering `GOOD_COVERAGE`, or one covering `ONE_TERM_COVERAGE`, good; else weak.
    """
    coverage, terms = coverage or 0.0, terms or 0
    if two_rankings:
        placed = sum(r is not None and r <= depth for r in (lexical_rank, meaning_rank))
        if not selective:
            placed = min(placed, _by_evidence(coverage, terms) if lexical_rank else 1)
        return (WEAK, GOOD, STRONG)[placed]
    by_place = 2 if lexical_share >= 0.5 else 1 if lexical_share >= 0.25 else 0
    return (WEAK, GOOD, STRONG)[min(by_place, _by_evidence(coverage, terms))]
