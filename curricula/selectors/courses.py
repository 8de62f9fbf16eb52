"""Reads for a course's own page: what it is (code, title, credits, module, stage, language,
description, learning outcomes), the abilities it builds grouped by level, and the programmes
that teach it. A fixed number of queries however many links or programmes it has."""

from dataclasses import dataclass

from core.i18n import language_name
from core.outcomes import outcome_items
from curricula.models import (
    Course,
    CourseAbility,
    Programme,
    ProgrammeCourse,
    catalogue_order,
)
from positions.selectors import LevelShade, level_scale


@dataclass
class CourseLevelGroup:
    """The abilities a course builds to one level, by framework then code."""

    level: LevelShade
    links: list[CourseAbility]


@dataclass
class CourseProgramme:
    """A programme teaching the course: under which name, and in which term (`term_from_stage`:
    none is set, so the course's training stage gives it)."""

    programme: Programme
    listed_as: str
    term: int | None
    term_from_stage: bool


@dataclass
class CoursePage:
    course: Course
    outcomes: list[str]
    language: str
    groups: list[CourseLevelGroup]
    link_count: int
    programmes: list[CourseProgramme]


def course_page(*, pk: int) -> CoursePage | None:
    """The course with its module and stage, its learning outcomes (one per non-blank line),
    its language by name, its ability links grouped by level (shallowest first, empty levels
    left out), each with its ability and framework, and the programmes teaching it in catalogue
    order. Four queries: the course, the levels, its links, its programmes. None when no course
    has this id."""
    course = Course.objects.select_related("module", "stage").filter(pk=pk).first()
    if course is None:
        return None
    levels = level_scale()
    links = list(
        CourseAbility.objects.filter(course=course)
        .select_related("ability__framework")
        .only(
            "id",
            "course_id",
            "level_id",
            "note",
            "note_zh",
            "ability__code",
            "ability__text",
            "ability__text_zh",
            "ability__language",
            "ability__retired",
            "ability__framework__name",
            "ability__framework__name_zh",
            "ability__framework__language",
        )
        .order_by("ability__framework__name", "ability__code", "ability_id")
    )
    by_level: dict[int, list[CourseAbility]] = {}
    for link in links:
        by_level.setdefault(link.level_id, []).append(link)
    groups = [
        CourseLevelGroup(level=level, links=by_level[level.pk])
        for level in levels
        if level.pk in by_level
    ]
    stage_order = course.stage.order if course.stage is not None else None
    programmes = [
        CourseProgramme(
            programme=entry.programme,
            listed_as=entry.listed_as if entry.listed_as != course.title else "",
            term=entry.term if entry.term is not None else stage_order,
            term_from_stage=entry.term is None and stage_order is not None,
        )
        for entry in ProgrammeCourse.objects.filter(course=course)
        .select_related("programme")
        .only(
            "id",
            "listed_as",
            "term",
            "programme__id",
            "programme__name",
            "programme__name_zh",
        )
        .order_by(*catalogue_order("programme__"))
    ]
    return CoursePage(
        course=course,
        outcomes=outcome_items(course.outcomes),
        language=language_name(course.language),
        groups=groups,
        link_count=len(links),
        programmes=programmes,
    )
