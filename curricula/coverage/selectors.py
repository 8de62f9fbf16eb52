"""Reads for coverage: the engine's inputs, stale programmes, and reports dressed with names.

`coverage_inputs` loads everything any number of programmes needs in a constant number of queries
(seven), as plain tuples through `values_list`: model instances would cost more than the engine.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from core.i18n import localized
from curricula.coverage.engine import (
    REQUIREMENT_FIELDS,
    AbilityIn,
    AreaIn,
    Catalogue,
    CourseIn,
    LevelIn,
    PositionIn,
    ProgrammeIn,
    RequirementIn,
)
from curricula.models import (
    Course,
    CourseAbility,
    CoverageState,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
    ProgrammeTarget,
)
from positions.models import Ability, CompetencyArea, Level, Position, Requirement

# A programme left `computing` this long lost its worker (a crash past acks_late's redelivery, or
# an inline run killed with its process): the sweep takes it back.
STUCK_AFTER = timedelta(minutes=15)


def coverage_inputs(
    *, programme_ids: Collection[int] | None = None
) -> tuple[list[ProgrammeIn], Catalogue]:
    """The engine's inputs for the given programmes (all when None), in seven queries."""
    programmes = Programme.objects.all()
    entries = ProgrammeCourse.objects.all()
    targets = ProgrammeTarget.objects.all()
    if programme_ids is not None:
        programmes = programmes.filter(id__in=programme_ids)
        entries = entries.filter(programme_id__in=programme_ids)
        targets = targets.filter(programme_id__in=programme_ids)

    programme_order = list(programmes.order_by("order", "name", "id").values_list("id", flat=True))
    course_ids: dict[int, list[int]] = {pid: [] for pid in programme_order}
    for programme_id, course_id in entries.order_by("programme_id", "order", "id").values_list(
        "programme_id", "course_id"
    ):
        course_ids[programme_id].append(course_id)
    target_ids: dict[int, list[int]] = {pid: [] for pid in programme_order}
    for programme_id, position_id in targets.order_by(
        "programme_id", "position__order", "position__name", "position_id"
    ).values_list("programme_id", "position_id"):
        target_ids[programme_id].append(position_id)

    # The rest is keyed by what the programmes reference, through subqueries rather than id lists,
    # so the query count stays constant however many programmes there are.
    requirements: dict[int, list[RequirementIn]] = {}
    abilities: dict[int, AbilityIn] = {}
    for position_id, ability_id, min_level_id, importance, area_id in (
        Requirement.objects.filter(position_id__in=targets.values("position_id"))
        .order_by("position_id", "order", "id")
        .values_list("position_id", "ability_id", "min_level_id", "importance", "ability__area_id")
    ):
        requirements.setdefault(position_id, []).append(
            RequirementIn(ability_id, min_level_id, importance)
        )
        if ability_id not in abilities:
            abilities[ability_id] = AbilityIn(ability_id, area_id)
    positions = {
        position_id: PositionIn(position_id, tuple(requirements.get(position_id, ())))
        for ids in target_ids.values()
        for position_id in ids
    }

    links: dict[int, list[tuple[int, int]]] = {}
    for course_id, ability_id, level_id in CourseAbility.objects.filter(
        course_id__in=entries.values("course_id")
    ).values_list("course_id", "ability_id", "level_id"):
        links.setdefault(course_id, []).append((ability_id, level_id))
    courses = {
        course_id: CourseIn(course_id, tuple(links.get(course_id, ())))
        for ids in course_ids.values()
        for course_id in ids
    }

    levels = {
        level_id: LevelIn(level_id, code, rank)
        for level_id, code, rank in Level.objects.values_list("id", "code", "rank")
    }
    areas = {
        area_id: AreaIn(area_id, order, code)
        for area_id, order, code in CompetencyArea.objects.values_list("id", "order", "code")
    }
    programme_inputs = [
        ProgrammeIn(pid, tuple(course_ids[pid]), tuple(target_ids[pid])) for pid in programme_order
    ]
    catalogue = Catalogue(
        levels=levels, abilities=abilities, courses=courses, positions=positions, areas=areas
    )
    return programme_inputs, catalogue


def coverage_stale_programme_ids() -> list[int]:
    """Programmes whose report is stale, or stuck computing: what the sweep recomputes."""
    stuck = timezone.now() - STUCK_AFTER
    return list(
        ProgrammeCoverage.objects.filter(
            Q(state=CoverageState.STALE)
            | Q(state=CoverageState.COMPUTING, stale_since__lt=stuck)
            | Q(state=CoverageState.COMPUTING, stale_since__isnull=True)
        )
        .order_by("programme_id")
        .values_list("programme_id", flat=True)
    )


def coverage_report_detail(*, programme: Programme) -> dict[str, Any]:
    """The programme's stored report with every id dressed with its current names, plus the live
    state: the shape GET /api/v1/programs/{id}/coverage/ serves. Five queries."""
    coverage = ProgrammeCoverage.objects.filter(programme=programme).first()
    report: dict[str, Any] = (coverage.report if coverage else None) or {}
    positions_in = report.get("positions", [])
    fields = report.get("requirement_fields", list(REQUIREMENT_FIELDS))

    position_ids, ability_ids, course_ids = set(), set(), set(report.get("unused_courses", []))
    for position in positions_in:
        position_ids.add(position["position"])
        for row in position["requirements"]:
            ability_ids.add(row[0])
            course_ids.update(course_id for course_id, _ in row[5])

    # Names in the reader's language (core.i18n): the report stores ids only.
    position_names = {
        position_id: localized(name, name_zh)
        for position_id, name, name_zh in Position.objects.filter(id__in=position_ids).values_list(
            "id", "name", "name_zh"
        )
    }
    ability_names = {
        ability_id: {"id": ability_id, "code": code, "text": localized(text, text_zh)}
        for ability_id, code, text, text_zh in Ability.objects.filter(
            id__in=ability_ids
        ).values_list("id", "code", "text", "text_zh")
    }
    course_names = {
        course_id: {"id": course_id, "code": code, "title": localized(title, title_zh)}
        for course_id, code, title, title_zh in Course.objects.filter(
            id__in=course_ids
        ).values_list("id", "code", "title", "title_zh")
    }
    area_names = {
        area_id: {"id": area_id, "code": code, "name": localized(name, name_zh)}
        for area_id, code, name, name_zh in CompetencyArea.objects.values_list(
            "id", "code", "name", "name_zh"
        )
    }

    def ability(ability_id: int) -> dict:
        # Deleted since the report was computed: the report is stale and says so; keep the id.
        return ability_names.get(ability_id) or {"id": ability_id, "code": "", "text": ""}

    def course(course_id: int) -> dict:
        return course_names.get(course_id) or {"id": course_id, "code": "", "title": ""}

    positions = []
    for position in positions_in:
        requirements = []
        for row in position["requirements"]:
            item = dict(zip(fields, row, strict=True))
            item["ability"] = ability(item["ability"])
            item["courses"] = [
                {"course": course(course_id), "level": level}
                for course_id, level in item["courses"]
            ]
            requirements.append(item)
        positions.append(
            {
                **position,
                "position": {
                    "id": position["position"],
                    "name": position_names.get(position["position"], ""),
                },
                "requirements": requirements,
            }
        )
    areas = [
        {**area, "area": area_names.get(area["area"]) if area["area"] is not None else None}
        for area in report.get("areas", [])
    ]
    return {
        "program": {"id": programme.pk, "name": programme.display_name},
        "state": coverage.state if coverage else CoverageState.STALE,
        "computed_at": coverage.computed_at if coverage else None,
        "stale_since": coverage.stale_since if coverage else None,
        "percent": coverage.percent if coverage else None,
        "score": coverage.score if coverage else None,
        "total": report.get("total", 0),
        "essential": report.get("essential", 0),
        "covered": report.get("covered", 0),
        "partial": report.get("partial", 0),
        "missing": report.get("missing", 0),
        "positions": positions,
        "areas": areas,
        "unused_courses": [course(course_id) for course_id in report.get("unused_courses", [])],
    }
