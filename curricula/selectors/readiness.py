"""Certification readiness, courses alone: does a programme contain every course its
certification lists for its career direction (Table III)? Which are missing, which were added?

Section IV C's "double certificate" graduation system asks for more than the courses: students
"obtain the required credits and have an experience of professional practice which is
certificated by both schools and enterprises", and "must obtain cross-border e-commerce engineer
qualification certificate or recognized relevant professional qualification certificate". None of
that is recorded here, so none of it is checked; the pages and the API say so."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.i18n import localized
from curricula.models import (
    PAPER_LIST_ENTRY_RULE,
    CertificationCourse,
    Programme,
    ProgrammeCourse,
)


@dataclass(frozen=True)
class ListedCourse:
    id: int
    code: str
    title: str  # as the list (or the programme) names it
    display_title: str  # the same in the reader's language (its Chinese title in Chinese)


def _listed(entry: CertificationCourse | ProgrammeCourse) -> ListedCourse:
    title = entry.listed_as or entry.course.title
    return ListedCourse(
        entry.course_id, entry.course.code, title, localized(title, entry.course.title_zh)
    )


@dataclass
class CertificationReadiness:
    """`applies` is false for a programme without a certification, or without a track (a
    certification lists its courses per track); `listed` is empty when the certification lists
    no courses for the programme's track (readiness is then unknown)."""

    applies: bool
    certification: dict | None = None
    track: dict | None = None
    listed: list[ListedCourse] = field(default_factory=list)
    missing: list[ListedCourse] = field(default_factory=list)
    added: list[ListedCourse] = field(default_factory=list)
    # Whether the paper gives every entry of the list (models.PAPER_LIST_ENTRY): only then is
    # it Table III's; one staff or an import added makes it not.
    listed_from_paper: bool = False

    @property
    def ready(self) -> bool | None:
        if not self.applies or not self.listed:
            return None
        return not self.missing

    @property
    def present(self) -> int:
        return len(self.listed) - len(self.missing)


def programme_certification_readiness(
    *, programme: Programme, entries: list[ProgrammeCourse] | None = None
) -> CertificationReadiness:
    """The programme against its certification's list for its track; two queries (the
    programme's certification and track are expected loaded, as programme_get loads them), one
    when the page read the programme's courses already (`entries`: every ProgrammeCourse of it
    with its course, in the programme's order)."""
    if programme.certification_id is None or programme.track_id is None:
        return CertificationReadiness(applies=False)
    rows = list(
        CertificationCourse.objects.filter(
            certification_id=programme.certification_id, track_id=programme.track_id
        )
        .select_related("course")
        .order_by("order", "id")
    )
    listed = [_listed(row) for row in rows]
    if entries is None:
        entries = list(
            ProgrammeCourse.objects.filter(programme=programme)
            .select_related("course")
            .order_by("order", "id")
        )
    taught = [_listed(entry) for entry in entries]
    listed_ids = {course.id for course in listed}
    taught_ids = {course.id for course in taught}
    return CertificationReadiness(
        applies=True,
        certification={
            "id": programme.certification_id,
            "name": programme.certification.name,
            "display_name": programme.certification.display_name,
        },
        track={
            "id": programme.track_id,
            "name": programme.track.name,
            "display_name": programme.track.display_name,
        },
        listed=listed,
        missing=[course for course in listed if course.id not in taught_ids],
        added=[course for course in taught if course.id not in listed_ids],
        listed_from_paper=bool(rows) and all(map(PAPER_LIST_ENTRY_RULE.holds, rows)),
    )
