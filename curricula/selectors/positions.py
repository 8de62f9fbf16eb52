"""Reads for one position's page: its requirements (from positions) beside the programmes that
target it or build what it requires, and how deeply each programme reaches each requirement: as
the coverage engine finds it under the programme's crosswalk rules, so that a cell agrees with the
programme's map and stored report.

The programmes are columns, paged POSITION_PAGE_COLUMNS at a time (those targeting the position
first): at ESCO scale a position's abilities are built somewhere by every one of 300 programmes,
and only the shown page's cells are computed and rendered."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from core.api.filters import MAX_ID
from curricula.coverage.engine import (
    COVERED,
    AbilityIn,
    Catalogue,
    CourseIn,
    LevelIn,
    PositionIn,
    ProgrammeIn,
    RequirementIn,
    iter_reports,
)
from curricula.coverage.selectors import ability_crosswalks, programme_rules
from curricula.models import (
    CourseAbility,
    CrosswalkChildren,
    Programme,
    ProgrammeCourse,
    ProgrammeTarget,
    catalogue_order,
)
from positions.models import RelationType, Requirement
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


def position_crosswalks(*, required: Collection[int]) -> tuple[dict[int, tuple], dict[int, tuple]]:
    """The crosswalks (matches, children) of the required abilities that some programme's rule
    set counts, as the coverage engine takes them (each programme then keeps to its own rules).
    One query for the rule sets in use, and those of ability_crosswalks (at most two)."""
    rule_sets = {
        programme_rules(exact, related, children)
        for exact, related, children in Programme.objects.order_by()
        .values_list("crosswalk_exact_match", "crosswalk_related", "crosswalk_children")
        .distinct()
    }
    return ability_crosswalks(required=required, rule_sets=rule_sets)


def position_programmes(
    *,
    position_id: int,
    required: Collection[int] = (),
    matches: Mapping[int, tuple] | None = None,
    children: Mapping[int, tuple] | None = None,
) -> QuerySet[Programme]:
    """The programmes that target the position or have a course building one of the abilities it
    requires, directly or through a crosswalk their own rule set counts (`matches` and
    `children` of the `required` abilities, from position_crosswalks), those targeting it first,
    each part in catalogue order; `targets_position` says which. Decided in the database: the
    page reads one page of them."""
    matches, children = matches or {}, children or {}

    def building(ability_ids) -> QuerySet:
        return ProgrammeCourse.objects.filter(
            course_id__in=CourseAbility.objects.filter(ability_id__in=ability_ids).values(
                "course_id"
            )
        ).values("programme_id")

    direct = Requirement.objects.filter(position_id=position_id).values("ability_id")
    reach = Q(targets_position=True) | Q(pk__in=building(direct))
    by_relation: dict[str, set[int]] = {}
    for ability_id in required:
        for other_id, relation in matches.get(ability_id, ()):
            by_relation.setdefault(relation, set()).add(other_id)
    counted_by = {
        RelationType.EXACT_MATCH_OF.value: "crosswalk_exact_match",
        RelationType.IS_RELATED_TO.value: "crosswalk_related",
    }
    for relation, others in sorted(by_relation.items()):
        if relation in counted_by:
            reach |= Q(**{counted_by[relation]: True}) & Q(pk__in=building(sorted(others)))
    kids = {kid for ability_id in required for kid in children.get(ability_id, ())}
    if kids:
        reach |= ~Q(crosswalk_children=CrosswalkChildren.OFF) & Q(pk__in=building(sorted(kids)))
    targeting = ProgrammeTarget.objects.filter(programme=OuterRef("pk"), position_id=position_id)
    return (
        Programme.objects.annotate(targets_position=Exists(targeting))
        .filter(reach)
        .order_by("-targets_position", *catalogue_order(), "pk")
        .only(
            "pk",
            "name",
            "name_zh",
            "crosswalk_exact_match",
            "crosswalk_related",
            "crosswalk_children",
        )
    )


@dataclass(frozen=True)
class Reached:
    """How deeply a programme reaches a requirement, as the coverage engine finds it under the
    programme's crosswalk rules: the level, its status against the requirement's minimum, and
    whether that level comes through a crosswalk (no direct link reaches it)."""

    level: LevelShade
    status: str
    via_crosswalk: bool


def _reached_levels(
    *,
    programmes: list[Programme],
    position_id: int,
    requirements: list[Requirement],
    levels: dict[int, LevelShade],
    matches: Mapping[int, tuple],
    children: Mapping[int, tuple],
) -> dict[tuple[int, int], Reached]:
    """(programme id, ability id): what each shown programme reaches each requirement of the
    position to, computed by the coverage engine (direct links and the crosswalks each
    programme's rule set counts), as the programme's map and stored report count it. Two
    queries over the shown programmes only: their courses, and those courses' links to the
    required abilities and to what stands in for them."""
    reached: dict[tuple[int, int], Reached] = {}
    required = {r.ability_id for r in requirements}
    if not programmes or not required:
        return reached
    programme_ids = [programme.pk for programme in programmes]
    course_ids: dict[int, list[int]] = {pk: [] for pk in programme_ids}
    entries = ProgrammeCourse.objects.filter(programme_id__in=programme_ids)
    for programme_id, course_id in entries.order_by("programme_id", "order", "id").values_list(
        "programme_id", "course_id"
    ):
        course_ids[programme_id].append(course_id)
    stand_ins = {other for a in required for other, _relation in matches.get(a, ())}
    stand_ins.update(kid for a in required for kid in children.get(a, ()))
    links: dict[int, list[tuple[int, int]]] = {}
    for course_id, ability_id, level_id in (
        CourseAbility.objects.filter(
            course_id__in=entries.values("course_id"),
            ability_id__in=sorted(required | stand_ins),
        )
        .order_by("course_id", "ability_id")
        .values_list("course_id", "ability_id", "level_id")
    ):
        links.setdefault(course_id, []).append((ability_id, level_id))
    catalogue = Catalogue(
        levels={pk: LevelIn(pk, level.code, level.rank) for pk, level in levels.items()},
        abilities={pk: AbilityIn(pk) for pk in required},
        courses={
            course_id: CourseIn(course_id, tuple(links.get(course_id, ())))
            for ids in course_ids.values()
            for course_id in ids
        },
        positions={
            position_id: PositionIn(
                position_id,
                tuple(
                    RequirementIn(r.ability_id, r.min_level_id, r.importance) for r in requirements
                ),
            )
        },
        matches=matches,
        children=children,
    )
    programme_inputs = [
        ProgrammeIn(
            programme.pk,
            tuple(course_ids[programme.pk]),
            (position_id,),
            programme_rules(
                programme.crosswalk_exact_match,
                programme.crosswalk_related,
                programme.crosswalk_children,
            ),
        )
        for programme in programmes
    ]
    by_code = {level.code: level for level in levels.values()}
    for programme_id, report in iter_reports(programme_inputs, catalogue):
        index = report["requirement_fields"].index
        ability_at, best_at, status_at = index("ability"), index("best_level"), index("status")
        courses_at = index("courses")
        for block in report["positions"]:
            for values in block["requirements"]:
                if not values[best_at]:
                    continue
                level = by_code[values[best_at]]
                direct = [by_code[entry[1]].rank for entry in values[courses_at] if len(entry) == 2]
                reached[programme_id, values[ability_at]] = Reached(
                    level=level,
                    status=values[status_at],
                    via_crosswalk=max(direct, default=0) < level.rank,
                )
    return reached


def position_programme_columns(
    *, position_id: int, requirements: list[Requirement], column_page: str | int | None = 1
) -> dict:
    """For a position's page: one page of the programmes (all of them for ALL_COLUMNS) that target
    it or build any ability it requires, directly or through a crosswalk they count (`page`, a
    Paginator page; out-of-range and junk numbers give the nearest page), their columns, and per
    requirement the level each shown programme reaches under its crosswalk rules, with the
    cell's detail URL. At most eight queries whatever the number of programmes: levels, the
    rule sets in use and the crosswalks they count (two at most), the programmes' count and
    page, their courses and links."""
    levels = {level.pk: level for level in level_scale()}
    required = {r.ability_id for r in requirements}
    matches, children = position_crosswalks(required=required)
    paginator = Paginator(
        position_programmes(
            position_id=position_id, required=required, matches=matches, children=children
        ),
        POSITION_PAGE_COLUMNS,
    )
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
    reached = _reached_levels(
        programmes=programmes,
        position_id=position_id,
        requirements=requirements,
        levels=levels,
        matches=matches,
        children=children,
    )
    # Every cell links to its details: the URL is built once and completed per cell (a reverse()
    # for each of 1,200 cells cost more than the rest of the row).
    cell_prefix = reverse("positions:cell", args=[position_id, 0, 0]).removesuffix("0/0/")
    cells = {}
    for requirement in requirements:
        ability_id = requirement.ability_id
        row = []
        for programme in programmes:
            found = reached.get((programme.pk, ability_id))
            row.append(
                {
                    "level": found.level if found else None,
                    "meets": bool(found and found.status == COVERED),
                    "via_crosswalk": bool(found and found.via_crosswalk),
                    "programme_id": programme.pk,
                    "url": f"{cell_prefix}{programme.pk}/{ability_id}/",
                }
            )
        cells[requirement.pk] = row
    return {"columns": columns, "cells": cells, "page": page, "levels": list(levels.values())}


@dataclass
class PositionProgrammeRow:
    """A requirement with one cell per shown programme column; each cell has `level` (a
    LevelShade, None: the programme does not build it), `meets` (it reaches the minimum),
    `via_crosswalk` (the level comes through a crosswalk the programme counts) and `url` (the
    cell's details)."""

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
    # Some shown cell's level comes through a crosswalk (the page then explains its mark).
    has_crosswalked: bool = False


def position_programmes_page(
    *, pk: int, column_page: str | int | None = 1
) -> PositionProgrammesPage | None:
    """The position's requirements by competency area, each with the level reached by each
    programme on the given page of those targeting the position (or building one of its
    abilities, directly or through a crosswalk they count). At most eleven queries whatever the
    catalogue's size: the position's three and the columns' (position_programme_columns). None
    when no position has this id."""
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
        has_crosswalked=any(
            cell["via_crosswalk"] for row in columns["cells"].values() for cell in row
        ),
    )


def position_requirement_get(*, position_id: int, ability_id: int) -> Requirement | None:
    """The position's requirement of the ability, with its position, ability and minimum level;
    one query. None, without one, for an id past the database's integers (a hand-edited address:
    a foreign key's lookup hands it to the database as it is, which SQLite's driver refuses)."""
    if not (0 < position_id <= MAX_ID and 0 < ability_id <= MAX_ID):
        return None
    return (
        Requirement.objects.filter(position_id=position_id, ability_id=ability_id)
        .select_related("position", "ability", "ability__area", "min_level")
        .first()
    )
