"""Reads for one position's page: its requirements (from positions) beside the programmes that
target it or build what it requires, and how deeply each programme reaches each requirement.

The programmes are columns, paged POSITION_PAGE_COLUMNS at a time (those targeting the position
first): at ESCO scale a position's abilities are built somewhere by every one of 300 programmes,
and only the shown page's cells are computed and rendered."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from curricula.models import CourseAbility, Programme, ProgrammeCourse, ProgrammeTarget
from positions.models import Requirement
from positions.selectors import LevelShade, PositionPage, level_scale, position_page

# Programme columns per page of a position's page (`?cols=` picks the page): 60 requirements by
# 20 programmes is 1,200 cells, about what the programme map shows on one page.
POSITION_PAGE_COLUMNS = 20
# `?cols=all`: every programme column at once.
ALL_COLUMNS = "all"


@dataclass
class ProgrammeColumn:
    label: str
    url: str
    targets: bool
    pk: int = 0


def position_programmes(*, position_id: int) -> QuerySet[Programme]:
    """The programmes that target the position or have a course building one of the abilities it
    requires, those targeting it first, each part in catalogue order; `targets_position` says
    which. Decided in the database: the page reads one page of them."""
    required = Requirement.objects.filter(position_id=position_id).values("ability_id")
    building = ProgrammeCourse.objects.filter(
        course_id__in=CourseAbility.objects.filter(ability_id__in=required).values("course_id")
    ).values("programme_id")
    targeting = ProgrammeTarget.objects.filter(programme=OuterRef("pk"), position_id=position_id)
    return (
        Programme.objects.annotate(targets_position=Exists(targeting))
        .filter(Q(targets_position=True) | Q(pk__in=building))
        .order_by(
            "-targets_position", "certification__order", "track__order", "order", "name", "pk"
        )
        .only("pk", "name", "name_zh")
    )


def _deepest_levels(
    *, programme_ids: list[int], ability_ids: set[int], levels: dict[int, LevelShade]
) -> dict[tuple[int, int], LevelShade]:
    """(programme id, ability id): the deepest level the programme's courses reach; one query
    over the shown programmes' links only."""
    best: dict[tuple[int, int], LevelShade] = {}
    if not programme_ids or not ability_ids:
        return best
    rows = ProgrammeCourse.objects.filter(
        programme_id__in=programme_ids, course__ability_links__ability_id__in=ability_ids
    ).values_list(
        "programme_id", "course__ability_links__ability_id", "course__ability_links__level_id"
    )
    for programme_id, ability_id, level_id in rows:
        level = levels[level_id]
        known = best.get((programme_id, ability_id))
        if known is None or level.rank > known.rank:
            best[programme_id, ability_id] = level
    return best


def position_programme_columns(
    *, position_id: int, requirements: list[Requirement], column_page: str | int | None = 1
) -> dict:
    """For a position's page: one page of the programmes (all of them for ALL_COLUMNS) that target
    it or build any ability it requires (`page`, a Paginator page; out-of-range and junk
    numbers give the nearest page), their columns, and per requirement the deepest level
    each shown programme reaches, with the cell's detail URL. Four queries: levels, the
    programmes' count and page, their links."""
    levels = {level.pk: level for level in level_scale()}
    paginator = Paginator(position_programmes(position_id=position_id), POSITION_PAGE_COLUMNS)
    if column_page == ALL_COLUMNS:
        # Every programme on one page (to print or read the whole comparison), same queries.
        paginator.per_page = max(paginator.count, 1)
        column_page = 1
    page = paginator.get_page(column_page)
    programmes = list(page.object_list)
    columns = [
        ProgrammeColumn(
            label=programme.display_name,
            url=programme.get_absolute_url(),
            targets=programme.targets_position,
            pk=programme.pk,
        )
        for programme in programmes
    ]
    best = _deepest_levels(
        programme_ids=[programme.pk for programme in programmes],
        ability_ids={r.ability_id for r in requirements},
        levels=levels,
    )
    # Every cell links to its details: the URL is built once and completed per cell (a reverse()
    # for each of 1,200 cells cost more than the rest of the row).
    cell_prefix = reverse("positions:cell", args=[position_id, 0, 0]).removesuffix("0/0/")
    cells = {}
    for requirement in requirements:
        minimum = levels[requirement.min_level_id]
        ability_id = requirement.ability_id
        row = []
        for programme in programmes:
            level = best.get((programme.pk, ability_id))
            row.append(
                {
                    "level": level,
                    "meets": bool(level and level.rank >= minimum.rank),
                    "programme_id": programme.pk,
                    "url": f"{cell_prefix}{programme.pk}/{ability_id}/",
                }
            )
        cells[requirement.pk] = row
    return {"columns": columns, "cells": cells, "page": page, "levels": list(levels.values())}


@dataclass
class PositionProgrammeRow:
    """A requirement with one cell per shown programme column; each cell has `level` (a
    LevelShade, None: the programme does not build it), `meets` (it reaches the minimum) and
    `url` (the cell's details)."""

    requirement: Requirement
    cells: list[dict]


@dataclass
class PositionProgrammesPage:
    """A position's page: the position's own page data and one page of programme columns
    beside it (`column_page`: a Paginator page of programmes)."""

    page: PositionPage
    columns: list[ProgrammeColumn]
    areas: list[dict]
    column_page: Page
    levels: list[LevelShade]


def position_programmes_page(
    *, pk: int, column_page: str | int | None = 1
) -> PositionProgrammesPage | None:
    """The position's requirements by competency area, each with the deepest level reached by
    each programme on the given page of those targeting the position (or building one of its
    abilities). Seven queries whatever the catalogue's size: the position's three and the
    columns' four. None when no position has this id."""
    page = position_page(pk=pk)
    if page is None:
        return None
    requirements = [r for group in page.areas for r in group.requirements]
    columns = position_programme_columns(
        position_id=page.position.pk, requirements=requirements, column_page=column_page
    )
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
    return PositionProgrammesPage(
        page=page,
        columns=columns["columns"],
        areas=areas,
        column_page=columns["page"],
        levels=columns["levels"],
    )


def position_requirement_get(*, position_id: int, ability_id: int) -> Requirement | None:
    """The position's requirement of the ability, with its position, ability and minimum level;
    one query."""
    return (
        Requirement.objects.filter(position_id=position_id, ability_id=ability_id)
        .select_related("position", "ability", "ability__area", "min_level")
        .first()
    )
