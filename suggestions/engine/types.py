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
    """

    id: Id
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Query:
    """What suggestions are wanted for: a course or a position, as named text fields.

    E.g. {"title": ..., "description": ..., "outcomes": ...} for a course, or {"title": ...,
    "alt_labels": ..., "description": ...} for a position.
    """

    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """One reason for a suggestion, checkable by a person.

    A lexical match names the query field and the candidate field in which the same term or
    phrase occurs. A suggestion that also owes its score to a closely related candidate that did
    match says so with `candidate_field="related"` and that candidate's label as the term.
    `weight` is this reason's share of the score, on the score's scale.
    """

    query_field: str
    candidate_field: str
    term_or_phrase: str
    weight: float


@dataclass(frozen=True)
class Ranked:
    """One suggestion: higher `score` is better; scores compare only within one query."""

    id: Id
    score: float
    rank: int
    explanation: tuple[Match, ...] = ()
