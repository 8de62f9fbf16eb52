"""Reads for Table III: each certification's career directions (tracks) with the courses it
lists for each and the programmes taking it, for the certifications page and the API."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from certifications.models import PAPER_CERTIFICATION, Certification
from certifications.selectors import certification_list, training_stage_list
from core.history import ChangedAt
from core.i18n import localized
from curricula.models import (
    PAPER_LIST_ENTRY,
    PAPER_PROGRAMME,
    CertificationCourse,
    Programme,
    ProgrammeCourse,
)


def certification_directions(*, certification_ids: list[int]) -> dict[int, list[dict]]:
    """Each certification's career directions (Table III), in track order, for the
    certifications page and API. A direction is a track the certification lists courses for (its
    CertificationCourse rows) or that a programme takes it in; it holds those listed courses
    (without any, the courses of its first programme, as listed) and every programme taking it,
    so a second programme on a track, or one that has dropped a listed course, changes neither
    the directions nor their lists. A programme taking it without a track is a direction of its
    own, named after it, after the tracks. Five queries at most.

    The courses of a direction's first programme are read as rows, and only for the directions
    showing them: prefetched for every programme, a page of 30 certifications built 24,000
    instances (each course of 300 programmes) to show none of most of them."""
    programmes = (
        Programme.objects.filter(certification_id__in=certification_ids)
        .select_related("track")
        .prefetch_related("track__aliases")
        .order_by("track__order", "track__name", "order", "name", "pk")
    )
    # Keyed by certification and track; a programme without a track by itself (its id third).
    listed: dict[tuple[int, int], list[dict]] = {}
    listed_tracks: dict[tuple[int, int], object] = {}
    for row in (
        CertificationCourse.objects.filter(certification_id__in=certification_ids)
        .select_related("course", "track")
        .prefetch_related("track__aliases")
        .order_by("order", "id")
    ):
        key = (row.certification_id, row.track_id)
        course = row.course
        listed.setdefault(key, []).append(
            _listed_course(course.pk, course.code, course.title, course.title_zh, row.listed_as)
        )
        listed_tracks[key] = row.track
    by_key: dict[tuple, dict] = {}
    # The directions listing no course, by the programme whose courses they show.
    unlisted: dict[int, dict] = {}
    for programme in programmes:
        key = (programme.certification_id, programme.track_id)
        if programme.track_id is None:
            key += (programme.pk,)
        entry = {
            "id": programme.pk,
            "name": programme.display_name,
            "url": programme.get_absolute_url(),
        }
        direction = by_key.get(key)
        if direction is None:
            courses = listed.get(key)
            by_key[key] = direction = _direction(programme.track, courses or [])
            if not courses:
                unlisted[programme.pk] = direction
            direction.update(name=programme.display_name, url=programme.get_absolute_url())
            direction["programme_name"] = programme.name
            if programme.track_id is None:
                direction["label"] = programme.display_name
        direction["programmes"].append(entry)
    if unlisted:
        for programme_id, course_id, code, title, title_zh, listed_as in (
            ProgrammeCourse.objects.filter(programme_id__in=unlisted)
            .order_by("order", "id")
            .values_list(
                "programme_id",
                "course_id",
                "course__code",
                "course__title",
                "course__title_zh",
                "listed_as",
            )
        ):
            unlisted[programme_id]["courses"].append(
                _listed_course(course_id, code, title, title_zh, listed_as)
            )
    for key, track in listed_tracks.items():
        if key not in by_key:  # listed by the certification, taken by no programme yet
            by_key[key] = _direction(track, listed[key])
    directions: dict[int, list[dict]] = {}
    # Stable: the directions without a track stay in the programmes' order.
    for key, direction in sorted(by_key.items(), key=lambda item: _track_order(item[1]["track"])):
        directions.setdefault(key[0], []).append(direction)
    return directions


def _track_order(track) -> tuple:
    return (0, track.order, track.name) if track is not None else (1, 0, "")


def _direction(track, courses: list[dict]) -> dict:
    """A direction named after its track; one without (a programme taking the certification
    without a track) is named after its programme by the caller."""
    return {
        "track": track,
        "label": track.display_name if track is not None else "",
        "aliases": track.display_aliases if track is not None else [],
        "name": track.display_name if track is not None else "",
        "programme_name": track.name if track is not None else "",
        "url": "",
        "courses": courses,
        "programmes": [],
    }


# When a certification last changed, as a sync sees it: its directions are read from its courses
# lists and programmes (a programme's courses where the list has none), and name their tracks
# and courses, so a change to any of those is a change of the certification.
CERTIFICATION_CHANGED = ChangedAt(
    Certification,
    embedded=(
        (CertificationCourse, "certification"),
        (Programme, "certification"),
        (ProgrammeCourse, "programme__certification"),
    ),
    shown=(
        "listed_courses__track__updated_at",
        "listed_courses__course__updated_at",
        "programmes__track__updated_at",
        "programmes__programme_courses__course__updated_at",
    ),
    per_page=(
        "listed_courses__course__updated_at",
        "programmes__programme_courses__course__updated_at",
    ),
)


def certifications_with_directions(certifications: list[Certification]) -> list[Certification]:
    """The certifications, each given `directions` (see certification_directions), for the API:
    five queries for any number of them."""
    directions = certification_directions(certification_ids=[c.pk for c in certifications])
    for certification in certifications:
        certification.directions = directions.get(certification.pk, [])
    return certifications


def _listed_course(pk: int, code: str, title: str, title_zh: str, listed_as: str) -> dict:
    """A course as a direction lists it, from its row (Course.display_title's words)."""
    return {
        "id": pk,
        "code": code,
        "title": title,
        "display_title": localized(title, title_zh),
        "listed_as": listed_as,
        # The paper lists a course in the case of its sentence; only other words are worth
        # showing beside the title.
        "listed_differently": bool(listed_as) and listed_as.casefold() != title.casefold(),
    }


@dataclass
class TableThreeShare:
    """How much of the certifications page Table III lists: how many certifications there are,
    how many of them are the paper's, and whether anything staff or an import added lies under
    them (a course in a list, a programme taking one)."""

    total: int
    paper: int
    added_under: int

    @property
    def from_paper(self) -> bool:
        """Whether the paper lists every certification (at least one), their courses and the
        programmes taking them: only then is the page Table III."""
        return 0 < self.total == self.paper and not self.added_under


def certification_table_three_share() -> TableThreeShare:
    """One query."""
    added_entries = CertificationCourse.objects.filter(certification=OuterRef("pk")).exclude(
        PAPER_LIST_ENTRY
    )
    added_programmes = Programme.objects.filter(certification=OuterRef("pk")).exclude(
        PAPER_PROGRAMME
    )
    counts = Certification.objects.aggregate(
        total=Count("id"),
        paper=Count("id", filter=PAPER_CERTIFICATION),
        added_under=Count("id", filter=Q(Exists(added_entries)) | Q(Exists(added_programmes))),
    )
    return TableThreeShare(**counts)


def certification_page() -> dict:
    """The certifications page: every certification with its directions, the training
    stages (and whether they are the paper's five-in-one steps), and how much of it Table III
    lists. Six queries."""
    certifications = list(certification_list())
    stages = list(training_stage_list())
    directions = certification_directions(certification_ids=[c.pk for c in certifications])
    return {
        "certifications": [
            {"certification": c, "directions": directions.get(c.pk, [])} for c in certifications
        ],
        "stages": stages,
        # Section IV A's name is the paper's five steps', not a university's own stages.
        "stages_from_paper": bool(stages) and all(stage.from_paper for stage in stages),
        "table_three": certification_table_three_share(),
    }
