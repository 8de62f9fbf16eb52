"""The values that go in and out of the engine: plain frozen dataclasses, no behaviour."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Id = int | str


@dataclass(frozen=True)
class Candidate:
    """Something that can be suggested: an ability or skill of a framework.

    `fields` maps a field name to its text, e.g. {"label": ..., "alt_labels": ..., "description":
    ...}. Field names are free; the index weights the ones it knows (see `FieldWeights`) and gives
    any other the weight of a description.

    `parent`: the id of the candidate it hangs from in its framework's tree, if any. A candidate
    that others in the pool hang from is a grouping ("Engineering knowledge" over its
    indicators), ranked after the specific ones (see `SuggestionIndex`).
    """

    id: Id
    fields: Mapping[str, str] = field(default_factory=dict)
    parent: Id | None = None


@dataclass(frozen=True)
class Query:
    """What suggestions are wanted for: a course or a position, as named text fields.

    E.g. {"title": ..., "description": ..., "outcomes": ...} for a course, or {"title": ...,
    "alt_labels": ..., "description": ...} for a position.
    """

    fields: Mapping[str, str] = field(default_factory=dict)


# Slots: a batch of 5,000 queries returns 100,000 suggestions with up to 8 matches each, and a
# slotted instance is less than half the size of one with a __dict__.
@dataclass(frozen=True, slots=True)
class Match:
    """One reason for a suggestion, checkable by a person.

    A lexical match (`kind="term"`) names the query field and the candidate field in which the
    same term or phrase occurs. A match by meaning (`kind="meaning"`) names the query segment
    (a line or sentence of `query_field`, in `term_or_phrase`) that is closest in meaning to
    the candidate, the candidate field closest to that segment, and the cosine `similarity`
    of the segment with the candidate, at least `Settings.semantic_floor` (a farther line is
    not named). `weight` is this reason's share of the score, on the score's scale.
    """

    query_field: str
    candidate_field: str
    term_or_phrase: str
    weight: float
    kind: str = "term"
    similarity: float | None = None


STRONG, GOOD, WEAK = "strong", "good", "weak"


@dataclass(frozen=True, slots=True)
class Ranked:
    """One suggestion: higher `score` is better; scores compare only within one query.

    A fused score (1 / (k + rank) per ranking) says little to a person, so each suggestion also
    says where each ranking placed it among the pool: `lexical_rank` by shared words (None when
    it shares none), `meaning_rank` by meaning (None when the query was ranked on words alone,
    or the candidate has no text the model reads); `lexical_share`, its lexical score over the
    query's best one; where they rate it (ranked on words alone, or where two rankings agreeing
    is not selective: `explain.agreement_selective`), `coverage`, the share of its own text the
    query's terms match, and `terms`, how many distinct terms they are (`explain.word_evidence`;
    None otherwise); and `strength`, STRONG, GOOD or WEAK, read from those (see
    `explain.strength`).

    `explanation` holds the heaviest few reasons, those a person is shown; `matched` every term
    (and line close in meaning) the suggestion matched on, heaviest first, each once: what a
    level or importance is read from, as an outcome may name words that weigh too little to be
    shown.
    """

    id: Id
    score: float
    rank: int
    explanation: tuple[Match, ...] = ()
    lexical_rank: int | None = None
    meaning_rank: int | None = None
    lexical_share: float = 0.0
    strength: str = ""
    matched: tuple[str, ...] = ()
    coverage: float | None = None
    terms: int | None = None
