"""Reads for Table III: each certification's career directions (programmes) and their courses,
for the certifications page and the certifications API."""

from django.db.models import Prefetch, QuerySet

from certifications.models import Certification
from certifications.selectors import certification_list, training_stage_list
from curricula.models import CertificationCourse, Programme, ProgrammeCourse


def certification_list_with_directions() -> QuerySet[Certification]:
    """Certifications with their directions (programmes, with track) and each direction's courses
    in Table III order, in a constant number of queries (for the API)."""
    return certification_list().prefetch_related(
        Prefetch(
            "programmes",
            queryset=Programme.objects.select_related("track").prefetch_related(
                Prefetch(
                    "programme_courses",
                    queryset=ProgrammeCourse.objects.select_related("course").order_by(
                        "order", "id"
                    ),
                )
            ),
        )
    )


def certification_directions(*, certification_ids: list[int]) -> dict[int, list[dict]]:
    """For the certifications page (Table III): each certification's career directions (one per
    track), each with the courses the certification lists for it (its CertificationCourse rows;
    without any, the courses of its first programme, as listed) and every programme taking it.
    Four queries."""
    programmes = (
        Programme.objects.filter(certification_id__in=certification_ids)
        .select_related("track")
        .prefetch_related(
            "track__aliases",
            Prefetch(
                "programme_courses",
                queryset=ProgrammeCourse.objects.select_related("course").order_by("order", "id"),
            ),
        )
        .order_by("track__order", "track__name", "order", "name")
    )
    listed: dict[tuple[int, int], list[dict]] = {}
    for row in (
        CertificationCourse.objects.filter(certification_id__in=certification_ids)
        .select_related("course")
        .order_by("order", "id")
    ):
        listed.setdefault((row.certification_id, row.track_id), []).append(
            _listed_course(row.course, row.listed_as)
        )
    directions: dict[int, list[dict]] = {}
    by_key: dict[tuple[int, int], dict] = {}
    for programme in programmes:
        key = (programme.certification_id, programme.track_id)
        entry = {"name": programme.display_name, "url": programme.get_absolute_url()}
        direction = by_key.get(key)
        if direction is not None:
            direction["programmes"].append(entry)
            continue
        courses = listed.get(key) or [
            _listed_course(e.course, e.listed_as) for e in programme.programme_courses.all()
        ]
        by_key[key] = direction = {
            "label": programme.track.display_name,
            "aliases": [alias.name for alias in programme.track.aliases.all()],
            "name": programme.display_name,
            "url": programme.get_absolute_url(),
            "courses": courses,
            "programmes": [entry],
        }
        directions.setdefault(programme.certification_id, []).append(direction)
    return directions


def _listed_course(course, listed_as: str) -> dict:
    return {
        "code": course.code,
        "title": course.title,
        "display_title": course.display_title,
        "listed_as": listed_as,
        # The paper lists a course in the case of its sentence; only other words are worth
        # showing beside the title.
        "listed_differently": bool(listed_as) and listed_as.casefold() != course.title.casefold(),
    }


def certification_page() -> dict:
    """The certifications page: every certification with its directions, and the five-in-one
    stages. Five queries."""
    certifications = list(certification_list())
    directions = certification_directions(certification_ids=[c.pk for c in certifications])
    return {
        "certifications": [
            {"certification": c, "directions": directions.get(c.pk, [])} for c in certifications
        ],
        "stages": list(training_stage_list()),
    }
