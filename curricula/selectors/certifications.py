"""Reads for Table III: each certification's career directions (programmes) and their courses,
for the certifications page and the certifications API."""

from django.db.models import Prefetch, QuerySet

from certifications.models import Certification
from certifications.selectors import certification_list, training_stage_list
from curricula.models import Programme, ProgrammeCourse


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
    """For the certifications page (Table III): each certification's programmes, one per career
    direction, with their courses as listed. Three queries."""
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
    directions: dict[int, list[dict]] = {}
    for programme in programmes:
        directions.setdefault(programme.certification_id, []).append(
            {
                "label": programme.track.display_name,
                "aliases": [alias.name for alias in programme.track.aliases.all()],
                "name": programme.display_name,
                "url": programme.get_absolute_url(),
                "courses": [
                    {
                        "code": entry.course.code,
                        "title": entry.course.title,
                        "display_title": entry.course.display_title,
                        "listed_as": entry.listed_as,
                        # The paper lists a course in the case of its sentence; only other
                        # words are worth showing beside the title.
                        "listed_differently": bool(entry.listed_as)
                        and entry.listed_as.casefold() != entry.course.title.casefold(),
                    }
                    for entry in programme.programme_courses.all()
                ],
            }
        )
    return directions


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
