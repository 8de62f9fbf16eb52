"""Reads for one position's page: its requirements (from positions) beside the programmes that
target it or build what it requires, and how deeply each programme reaches each requirement."""

from dataclasses import dataclass

from curricula.models import CourseAbility, Programme, ProgrammeCourse, ProgrammeTarget
from positions.models import Requirement
from positions.selectors import LevelShade, PositionPage, level_scale, position_page


@dataclass
class ProgrammeColumn:
    label: str
    url: str
    targets: bool
    pk: int = 0


def position_programme_columns(*, position_id: int, requirements: list[Requirement]) -> dict:
    """For a position's page: the programmes that target it or build any ability it requires, and
    per requirement the deepest level each programme reaches. Five queries."""
    levels = {level.pk: level for level in level_scale()}
    ability_ids = {r.ability_id for r in requirements}
    links = list(
        CourseAbility.objects.filter(ability_id__in=ability_ids).values_list(
            "course_id", "ability_id", "level_id"
        )
    )
    memberships = ProgrammeCourse.objects.filter(
        course_id__in={course_id for course_id, _, _ in links}
    ).values_list("programme_id", "course_id")
    programmes_of: dict[int, list[int]] = {}
    for programme_id, course_id in memberships:
        programmes_of.setdefault(course_id, []).append(programme_id)
    best: dict[tuple[int, int], LevelShade] = {}
    for course_id, ability_id, level_id in links:
        level = levels[level_id]
        for programme_id in programmes_of.get(course_id, []):
            known = best.get((programme_id, ability_id))
            if known is None or level.rank > known.rank:
                best[programme_id, ability_id] = level
    targeting = set(
        ProgrammeTarget.objects.filter(position_id=position_id).values_list(
            "programme_id", flat=True
        )
    )
    programmes = sorted(
        Programme.objects.filter(pk__in=targeting | {programme_id for programme_id, _ in best})
        .select_related("certification", "track")
        .order_by("certification__order", "track__order", "order", "name"),
        # Programmes that prepare for this position first; sorted() keeps the order within each.
        key=lambda programme: programme.pk not in targeting,
    )
    columns = [
        ProgrammeColumn(
            label=programme.display_name,
            url=programme.get_absolute_url(),
            targets=programme.pk in targeting,
            pk=programme.pk,
        )
        for programme in programmes
    ]
    cells = {}
    for requirement in requirements:
        minimum = levels[requirement.min_level_id]
        row = []
        for programme in programmes:
            level = best.get((programme.pk, requirement.ability_id))
            row.append(
                {
                    "level": level,
                    "meets": bool(level and level.rank >= minimum.rank),
                    "programme_id": programme.pk,
                }
            )
        cells[requirement.pk] = row
    return {"columns": columns, "cells": cells}


@dataclass
class PositionProgrammeRow:
    """A requirement with one cell per programme column (None: the programme does not build
    it); each cell has `level` (a LevelShade) and `meets` (it reaches the minimum)."""

    requirement: Requirement
    cells: list[dict | None]


@dataclass
class PositionProgrammesPage:
    """A position's page: the position's own page data and the programme columns beside it."""

    page: PositionPage
    columns: list[ProgrammeColumn]
    areas: list[dict]


def position_programmes_page(*, pk: int) -> PositionProgrammesPage | None:
    """The position's requirements by competency area, each with the deepest level every
    programme targeting the position (or building one of its abilities) reaches. Eight queries:
    the position's three and the columns' five. None when no position has this id."""
    page = position_page(pk=pk)
    if page is None:
        return None
    requirements = [r for group in page.areas for r in group.requirements]
    columns = position_programme_columns(position_id=page.position.pk, requirements=requirements)
    areas = [
        {
            "area": group.area,
            "rows": [
                PositionProgrammeRow(requirement=r, cells=columns["cells"][r.pk])
                for r in group.requirements
            ],
        }
        for group in page.areas
    ]
    return PositionProgrammesPage(page=page, columns=columns["columns"], areas=areas)


def position_requirement_get(*, position_id: int, ability_id: int) -> Requirement | None:
    """The position's requirement of the ability, with its position, ability and minimum level;
    one query."""
    return (
        Requirement.objects.filter(position_id=position_id, ability_id=ability_id)
        .select_related("position", "ability", "ability__area", "min_level")
        .first()
    )
