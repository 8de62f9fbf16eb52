"""Reads of the suggestions app: review queues, and the courses suggested for a programme's gaps.

Every function runs a fixed number of queries, however many suggestions it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.db.models import Exists, OuterRef, QuerySet

from curricula.models import (
    Course,
    Programme,
    ProgrammeCourse,
    ProgrammeTarget,
    Suggestion,
    SuggestionStatus,
)
from positions.models import Framework, Position, Requirement
from suggestions.levels import (
    ImportanceProposal,
    Segment,
    description_segments,
    propose_requirement,
)

# Gap report: how many suggested courses to show under one missing or partial requirement.


def suggestion_list(
    *,
    course_id: int | None = None,
    position_id: int | None = None,
    framework_id: int | None = None,
    status: str | None = None,
    settled_elsewhere: bool = False,
) -> QuerySet[Suggestion]:
    """Suggestions of one course or position (or all), best first, with what a row shows:
    decided ones and those still to review (so "pending" means what a review queue holds).
    With `settled_elsewhere`, also the pending ones whose pair was linked or required by hand
    since, or whose ability was retired (to name why one cannot be decided)."""
    rows = (
        Suggestion.objects.all() if settled_elsewhere else Suggestion.objects.decided_or_to_review()
    )
    if course_id is not None:
        rows = rows.filter(course_id=course_id)
    if position_id is not None:
        rows = rows.filter(position_id=position_id)
    if framework_id is not None:
        rows = rows.filter(framework_id=framework_id)
    if status:
        rows = rows.filter(status=status)
    return rows.with_display().best_first()


def _course_suggestions(
    *, course_ids: list[int], framework_id: int | None, required_by: list[int] | None
) -> QuerySet[Suggestion]:
    """The suggestions a course or programme review page is about: of the courses, from the
    framework (all when None), and with `required_by` (position ids) only for abilities those
    positions require."""
    rows = Suggestion.objects.for_courses(course_ids).in_framework(framework_id)
    if required_by is not None:
        rows = rows.filter(
            Exists(
                Requirement.objects.filter(
                    position_id__in=required_by, ability_id=OuterRef("ability_id")
                )
            )
        )
    return rows


def course_review_queue(
    *, course_ids: list[int], framework_id: int | None = None, required_by: list[int] | None = None
) -> QuerySet[Suggestion]:
    """The courses' suggestions still to review, best first; with `required_by` (position ids),
    only abilities those positions require."""
    rows = _course_suggestions(
        course_ids=course_ids, framework_id=framework_id, required_by=required_by
    )
    return rows.to_review().with_display().best_first()


def position_review_queue(
    *, position_id: int, framework_id: int | None = None
) -> QuerySet[Suggestion]:
    """The position's suggestions still to review (from the framework; all when None), best
    first."""
    rows = Suggestion.objects.filter(position_id=position_id).in_framework(framework_id)
    return rows.to_review().with_display().best_first()


def position_suggestion_counts(
    *, position_id: int, framework_id: int | None = None
) -> dict[str, int]:
    """How many of the position's suggestions are pending (exactly those its queue holds),
    accepted and rejected."""
    counts = dict.fromkeys(SuggestionStatus.values, 0)
    rows = Suggestion.objects.filter(position_id=position_id).in_framework(framework_id)
    for status in rows.decided_or_to_review().values_list("status", flat=True).iterator():
        counts[status] += 1
    return counts


def suggestion_counts(
    *, course_ids: list[int], framework_id: int | None = None, required_by: list[int] | None = None
) -> dict[str, int]:
    """How many of the suggestions `course_review_queue` draws from are pending (exactly those
    it holds), accepted and rejected."""
    counts = dict.fromkeys(SuggestionStatus.values, 0)
    rows = _course_suggestions(
        course_ids=course_ids, framework_id=framework_id, required_by=required_by
    )
    for status in rows.decided_or_to_review().values_list("status", flat=True).iterator():
        counts[status] += 1
    return counts


def course_get(*, pk: int) -> Course | None:
    return Course.objects.select_related("stage", "module").filter(pk=pk).first()


def position_get(*, pk: int) -> Position | None:
    return Position.objects.filter(pk=pk).first()


def framework_get(*, pk: int) -> Framework | None:
    return Framework.objects.filter(pk=pk).first()


def programme_get(*, pk: int) -> Programme | None:
    return Programme.objects.filter(pk=pk).first()


def programme_course_ids(*, programme: Programme) -> list[int]:
    return list(
        ProgrammeCourse.objects.filter(programme=programme)
        .order_by("order", "id")
        .values_list("course_id", flat=True)
    )


def programme_target_ids(*, programme: Programme) -> list[int]:
    return list(
        ProgrammeTarget.objects.filter(programme=programme).values_list("position_id", flat=True)
    )


def frameworks_for_choice() -> QuerySet[Framework]:
    return Framework.objects.order_by("name", "id").only("id", "name", "version")


def courses_in_order(*, ids: list[int]) -> list[Course]:
    """The courses with these ids (those still there), in the order given."""
    found = Course.objects.only("id", "code", "title", "title_zh").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def positions_in_order(*, ids: list[int]) -> list[Position]:
    """The positions with these ids (those still there), in the order given."""
    found = Position.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@lru_cache(maxsize=256)
def _description_segments(description: str) -> tuple[Segment, ...]:
    # A page or an API list shows many suggestions of one position: its description is cut
    # into sentences once. The lines are those generation reads (services.position_lines).
    return tuple(description_segments(description.splitlines()))


def proposed_importance(*, suggestion: Suggestion) -> str:
    """What a position's suggestion proposes its requirement's importance to be (what accepting
    makes it unless told): as stored, or, for one stored before importances were proposed
    (blank), as the position's description reads now for the terms it matched, without
    regenerating it. Blank for a course's. No query when the suggestion's position is loaded
    with it (with_display)."""
    if not suggestion.position_id:
        return ""
    return suggestion.proposed_importance or _read_importance(suggestion).value


def _read_importance(suggestion: Suggestion) -> ImportanceProposal:
    explanation = suggestion.explanation if isinstance(suggestion.explanation, dict) else {}
    matches = explanation.get("matches")
    terms = [
        m["term"]
        for m in (matches if isinstance(matches, list) else [])
        if isinstance(m, dict) and isinstance(m.get("term"), str)
    ]
    _level, importance = propose_requirement(
        segments=_description_segments(suggestion.position.description), matched_terms=terms
    )
    return importance


def with_importance_proposals(rows: Sequence[Suggestion]) -> Sequence[Suggestion]:
    """The rows, each position's suggestion stored before importances were proposed given (in
    memory, not saved) the importance and the reason its position's description proposes now,
    so a review page preselects what accepting it would make."""
    for row in rows:
        if row.position_id and not row.proposed_importance:
            proposal = _read_importance(row)
            row.proposed_importance = proposal.value
            explanation = row.explanation if isinstance(row.explanation, dict) else {}
            row.explanation = {**explanation, "importance": proposal.as_dict()}
    return rows
