"""Reads of the suggestions app: review queues, and the courses suggested for a programme's gaps.

Every function runs a fixed number of queries, however many suggestions it returns.
"""

from __future__ import annotations

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

# Gap report: how many suggested courses to show under one missing or partial requirement.


def suggestion_list(
    *,
    course_id: int | None = None,
    position_id: int | None = None,
    framework_id: int | None = None,
    status: str | None = None,
) -> QuerySet[Suggestion]:
    """Suggestions of one course or position (or all), best first, with what a row shows."""
    rows = Suggestion.objects.with_display()
    if course_id is not None:
        rows = rows.filter(course_id=course_id)
    if position_id is not None:
        rows = rows.filter(position_id=position_id)
    if framework_id is not None:
        rows = rows.filter(framework_id=framework_id)
    if status:
        rows = rows.filter(status=status)
    return rows.best_first()


def course_review_queue(
    *, course_ids: list[int], framework_id: int | None = None, required_by: list[int] | None = None
) -> QuerySet[Suggestion]:
    """Pending suggestions of the courses, best first; with `required_by` (position ids), only
    abilities those positions require."""
    rows = Suggestion.objects.pending().for_courses(course_ids).in_framework(framework_id)
    if required_by is not None:
        rows = rows.filter(
            Exists(
                Requirement.objects.filter(
                    position_id__in=required_by, ability_id=OuterRef("ability_id")
                )
            )
        )
    return rows.not_yet_linked().with_display().best_first()


def position_review_queue(*, position_id: int) -> QuerySet[Suggestion]:
    rows = Suggestion.objects.pending().filter(position_id=position_id)
    rows = rows.exclude(
        Exists(
            Requirement.objects.filter(
                position_id=OuterRef("position_id"), ability_id=OuterRef("ability_id")
            )
        )
    )
    return rows.with_display().best_first()


def suggestion_counts(*, course_ids: list[int]) -> dict[str, int]:
    """How many suggestions of the courses are pending, accepted and rejected."""
    counts = dict.fromkeys(SuggestionStatus.values, 0)
    for status in (
        Suggestion.objects.for_courses(course_ids).values_list("status", flat=True).iterator()
    ):
        counts[status] += 1
    return counts


def course_get(*, pk: int) -> Course | None:
    return Course.objects.select_related("stage", "module").filter(pk=pk).first()


def position_get(*, pk: int) -> Position | None:
    return Position.objects.filter(pk=pk).first()


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
