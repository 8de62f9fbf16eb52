"""Reads of programmes: the API's list, and the programme pages (the overview, the curriculum map
with its gap report and chart). Each function runs a fixed number of queries, however many
programmes, courses, abilities or links there are, and returns plain data for the templates."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTransform

from curricula.coverage.selectors import coverage_report_detail
from curricula.models import (
    Course,
    CourseAbility,
    CoverageState,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
    ProgrammeTarget,
)
from positions.models import Ability, CompetencyArea, Level, Requirement
from positions.selectors import LevelShade, level_scale


def programme_list() -> QuerySet[Programme]:
    """Programmes with certification, track, coverage summary, course ids (in Table III order)
    and target ids, in a constant number of queries."""
    return Programme.objects.with_relations().with_member_ids()


def programme_required_abilities(*, programme: Programme) -> list[Ability]:
    """The abilities any of the programme's target positions requires, in framework order."""
    required = Requirement.objects.filter(position__programme_targets__programme=programme)
    return list(
        Ability.objects.filter(pk__in=required.values("ability_id")).order_by(
            "framework_id", "order", "code", "id"
        )
    )


def programme_curriculum_map(
    *, programme: Programme
) -> tuple[list[Ability], Iterator[tuple[ProgrammeCourse, list[str]]]]:
    """The curriculum map: the required abilities (columns), then one row per programme course in
    order with the level code each course builds for each column ("" where it builds none)."""
    abilities = programme_required_abilities(programme=programme)
    ability_ids = [ability.pk for ability in abilities]
    levels = {
        (course_id, ability_id): code
        for course_id, ability_id, code in CourseAbility.objects.filter(
            course__programme_entries__programme=programme, ability_id__in=ability_ids
        )
        .values_list("course_id", "ability_id", "level__code")
        .iterator()
    }

    def rows() -> Iterator[tuple[ProgrammeCourse, list[str]]]:
        entries = (
            ProgrammeCourse.objects.filter(programme=programme)
            .select_related("course")
            .order_by("order", "id")
        )
        for entry in entries.iterator():
            yield entry, [levels.get((entry.course_id, pk), "") for pk in ability_ids]

    return abilities, rows()


# --- The programme pages ---------------------------------------------------------------


def programme_get(*, pk: int) -> Programme | None:
    """One programme with its certification, track and coverage row; one query."""
    return Programme.objects.with_relations().filter(pk=pk).first()


def coverage_of(programme: Programme) -> ProgrammeCoverage | None:
    """The programme's coverage row if it has one (loaded by select_related: no query)."""
    try:
        return programme.coverage
    except ProgrammeCoverage.DoesNotExist:
        return None


@dataclass
class MapColumn:
    """A course of the programme, in programme order."""

    course_id: int
    code: str
    title: str
    listed_as: str
    module: str


@dataclass
class ColumnGroup:
    label: str
    span: int


@dataclass
class MapCell:
    course_id: int
    course_code: str
    ability_id: int
    level: LevelShade | None


@dataclass
class MapRow:
    """An ability required by the programme's targets, at the strictest minimum among them."""

    ability_id: int
    code: str
    text: str
    min_level: LevelShade
    essential: bool
    required_by: list[str]
    cells: list[MapCell] = field(default_factory=list)
    best: LevelShade | None = None

    @property
    def status(self) -> str:
        if self.best is None:
            return "missing"
        return "covered" if self.best.rank >= self.min_level.rank else "partial"


@dataclass
class AreaRows:
    area: CompetencyArea | None
    rows: list[MapRow]


@dataclass
class CurriculumMap:
    columns: list[MapColumn]
    column_groups: list[ColumnGroup]
    areas: list[AreaRows]
    targets: list[Any]
    levels: list[LevelShade]
    position_id: int | None

    @property
    def row_count(self) -> int:
        return sum(len(group.rows) for group in self.areas)


def curriculum_map(
    *,
    programme: Programme,
    position_id: int | None = None,
    ability_ids: list[int] | None = None,
) -> CurriculumMap:
    """The programme's courses against the abilities its targets require, grouped by area.

    With `position_id` (one of the programme's targets), only that position's requirements; with
    `ability_ids`, only those rows (an edited row). Five queries: levels, targets, courses,
    requirements, links.
    """
    levels = level_scale()
    by_level_id = _levels_by_id(levels)
    targets = [
        target.position
        for target in ProgrammeTarget.objects.filter(programme=programme)
        .select_related("position")
        .order_by("position__order", "position__name", "position_id")
    ]
    if position_id is not None and position_id not in {p.pk for p in targets}:
        position_id = None
    entries = (
        ProgrammeCourse.objects.filter(programme=programme)
        .select_related("course", "course__module")
        .order_by("order", "id")
    )
    columns = [
        MapColumn(
            course_id=entry.course_id,
            code=entry.course.code,
            title=entry.course.title,
            listed_as=entry.listed_as,
            module=entry.course.module.name if entry.course.module else "",
        )
        for entry in entries
    ]
    position_ids = [position_id] if position_id else [p.pk for p in targets]
    requirements = Requirement.objects.filter(position_id__in=position_ids)
    if ability_ids is not None:
        requirements = requirements.filter(ability_id__in=ability_ids)
    requirements = requirements.select_related("ability", "ability__area", "position").order_by(
        "ability__area__order", "ability__area__code", "ability__code", "ability_id"
    )
    rows: dict[int, MapRow] = {}
    areas: list[AreaRows] = []
    for requirement in requirements:
        ability = requirement.ability
        minimum = by_level_id[requirement.min_level_id]
        essential = requirement.importance == "essential"
        row = rows.get(ability.pk)
        if row is None:
            row = rows[ability.pk] = MapRow(
                ability_id=ability.pk,
                code=ability.code,
                text=ability.text,
                min_level=minimum,
                essential=essential,
                required_by=[],
            )
            if not areas or areas[-1].area != ability.area:
                areas.append(AreaRows(area=ability.area, rows=[]))
            areas[-1].rows.append(row)
        elif minimum.rank > row.min_level.rank:
            row.min_level = minimum
        row.essential = row.essential or essential
        row.required_by.append(requirement.position.name)
    links: dict[tuple[int, int], LevelShade] = {}
    if rows and columns:
        for course_id, ability_id, level_id in CourseAbility.objects.filter(
            course_id__in=[c.course_id for c in columns], ability_id__in=list(rows)
        ).values_list("course_id", "ability_id", "level_id"):
            links[course_id, ability_id] = by_level_id[level_id]
    for row in rows.values():
        for column in columns:
            level = links.get((column.course_id, row.ability_id))
            row.cells.append(
                MapCell(
                    course_id=column.course_id,
                    course_code=column.code,
                    ability_id=row.ability_id,
                    level=level,
                )
            )
            if level and (row.best is None or level.rank > row.best.rank):
                row.best = level
    return CurriculumMap(
        columns=columns,
        column_groups=_group_columns(columns),
        areas=areas,
        targets=targets,
        levels=levels,
        position_id=position_id,
    )


def cell_targets(
    *, course_id: int, ability_id: int, level_code: str
) -> tuple[CourseAbility | None, Course, Ability, Level | None]:
    """What a cell edit works on: the existing link (or None), the course, the ability and the
    level named by its code (None when empty or unknown). Four queries."""
    link = CourseAbility.objects.filter(course_id=course_id, ability_id=ability_id).first()
    level = Level.objects.filter(code=level_code).first() if level_code else None
    return (
        link,
        Course.objects.get(pk=course_id),
        Ability.objects.get(pk=ability_id),
        level,
    )


def map_contains(*, programme: Programme, course_id: int, ability_id: int) -> bool:
    """Whether (course, ability) is a cell of the programme's map: the course is one of its
    courses and the ability is required by one of its targets. Two queries."""
    in_programme = ProgrammeCourse.objects.filter(programme=programme, course_id=course_id)
    required = Requirement.objects.filter(
        Q(position__programme_targets__programme=programme), ability_id=ability_id
    )
    return in_programme.exists() and required.exists()


def _levels_by_id(levels: list[LevelShade]) -> dict[int, LevelShade]:
    return {level.pk: level for level in levels}


def _group_columns(columns: list[MapColumn]) -> list[ColumnGroup]:
    groups: list[ColumnGroup] = []
    for column in columns:
        if groups and groups[-1].label == column.module:
            groups[-1].span += 1
        else:
            groups.append(ColumnGroup(label=column.module, span=1))
    return groups


# --- Coverage reports, as the engine stores them in ProgrammeCoverage.report -------------------


@dataclass
class GapRequirement:
    ability_id: int
    code: str
    text: str
    min_level: str
    best_level: str | None
    essential: bool
    courses: list[dict]
    # The programme's courses proposed for this ability, filled by an annotator (below).
    suggested: list[dict] = field(default_factory=list)


@dataclass
class PositionGaps:
    position_id: int
    name: str
    figures: dict
    missing: list[GapRequirement]
    partial: list[GapRequirement]
    covered: list[GapRequirement]


@dataclass
class GapReport:
    """The stored report, resolved to names for display; empty when never computed."""

    state: str
    computed_at: Any
    figures: dict
    positions: list[PositionGaps]
    areas: list[dict]
    unused_courses: list[dict]

    @property
    def computed(self) -> bool:
        return bool(self.positions or self.areas or self.figures)

    @property
    def chart_bars(self) -> list["ChartBar"]:
        return chart_bars(self)[0]

    @property
    def chart_height(self) -> int:
        return chart_bars(self)[1]


# Apps above curricula add to a gap report without curricula importing them: each annotator is
# called as annotator(programme=..., report=...) and may fill fields such as
# GapRequirement.suggested (the suggestions app registers one in its AppConfig.ready).
gap_report_annotators: list[Callable[..., None]] = []


def gap_report(*, programme: Programme, position_id: int | None = None) -> GapReport:
    """The programme's gap report as the coverage API serves it (names attached), grouped by
    status for display. With `position_id`, only that target position. Five queries, and one per
    annotator that needs one."""
    served = coverage_report_detail(programme=programme)

    def requirement(row: dict) -> GapRequirement:
        ability = row.get("ability") or {}
        return GapRequirement(
            ability_id=ability.get("id"),
            code=ability.get("code", ""),
            text=ability.get("text", ""),
            min_level=row.get("min_level"),
            best_level=row.get("best_level"),
            essential=row.get("importance") == "essential",
            courses=[
                {
                    "code": (entry.get("course") or {}).get("code", ""),
                    "title": (entry.get("course") or {}).get("title", ""),
                    "level": entry.get("level"),
                }
                for entry in row.get("courses", [])
            ],
        )

    positions = []
    for block in served["positions"]:
        position = block.get("position") or {}
        if position_id is not None and position.get("id") != position_id:
            continue
        grouped: dict[str, list[GapRequirement]] = {"missing": [], "partial": [], "covered": []}
        for row in block.get("requirements", []):
            grouped.setdefault(row.get("status"), []).append(requirement(row))
        positions.append(
            PositionGaps(
                position_id=position.get("id"),
                name=position.get("name", ""),
                figures=_figures(block),
                missing=grouped["missing"],
                partial=grouped["partial"],
                covered=grouped["covered"],
            )
        )
    computed = bool(served["positions"] or served["areas"])
    report = GapReport(
        state=served["state"],
        computed_at=served["computed_at"],
        figures=_figures(served) if computed else {},
        positions=positions,
        areas=[_area(block) for block in served["areas"]],
        unused_courses=served["unused_courses"],
    )
    for annotate in gap_report_annotators:
        annotate(programme=programme, report=report)
    return report


_FIGURES = ("percent", "score", "total", "essential", "covered", "partial", "missing")


def _figures(block: dict) -> dict:
    figures = {key: block.get(key) for key in _FIGURES}
    essential = figures["essential"] or 0
    # Widths of the stacked bar, in percent of the essential requirements.
    for key in ("covered", "partial", "missing"):
        figures[f"{key}_share"] = 100.0 * (figures[key] or 0) / essential if essential else 0.0
    return figures


def _area(block: dict) -> dict:
    # Served reports carry the area as {id, code, name}; abilities without an area have None.
    area = block.get("area") or {}
    return {"code": area.get("code", ""), "name": area.get("name", ""), **_figures(block)}


@dataclass
class ProgrammeSummary:
    """A programme for the overview: its coverage figures and its weakest areas."""

    programme: Programme
    state: str
    computed_at: Any
    figures: dict
    weakest_areas: list[dict]


def programme_summaries() -> list[ProgrammeSummary]:
    """Every programme with its coverage figures and the areas with the most missing essential
    requirements. Two queries: the reports' summaries are read out of the stored JSON in the
    database, without loading the (large) per-requirement part."""
    area_names = {
        area.pk: {"code": area.code, "name": area.name} for area in CompetencyArea.objects.all()
    }
    programmes = (
        Programme.objects.with_relations()
        .with_counts()
        .in_catalogue_order()
        .defer("coverage__report")
        .annotate(
            **{f"report_{key}": KeyTransform(key, "coverage__report") for key in _SUMMARY_KEYS}
        )
    )
    summaries = []
    for programme in programmes:
        coverage = coverage_of(programme)
        figures = {}
        if coverage is not None and programme.report_essential is not None:
            figures = _figures(
                {
                    "percent": coverage.percent,
                    "score": coverage.score,
                    **{key: getattr(programme, f"report_{key}") for key in _SUMMARY_KEYS},
                }
            )
        areas = []
        for block in programme.report_areas or []:
            name = area_names.get(block.get("area"), {"code": "", "name": ""})
            areas.append({**name, **_figures(block)})
        gaps = [area for area in areas if area["missing"] or area["partial"]]
        gaps.sort(key=lambda area: (-(area["missing"] or 0), -(area["partial"] or 0)))
        summaries.append(
            ProgrammeSummary(
                programme=programme,
                state=coverage.state if coverage else CoverageState.STALE,
                computed_at=coverage.computed_at if coverage else None,
                figures=figures,
                weakest_areas=gaps[:3],
            )
        )
    return summaries


_SUMMARY_KEYS = ("total", "essential", "covered", "partial", "missing", "areas")


@dataclass
class ChartBar:
    label: str
    y: int
    figures: dict
    covered_width: float
    partial_x: float
    partial_width: float
    missing_x: float
    missing_width: float


CHART_LABEL_WIDTH = 220
CHART_BAR_WIDTH = 330
CHART_ROW = 34
CHART_TOP = 40


def chart_bars(report: GapReport) -> tuple[list[ChartBar], int]:
    """Layout of the coverage-by-area chart: one stacked bar per area (covered, partial, missing
    shares of its essential requirements), and the chart's height."""
    bars = []
    for index, area in enumerate(report.areas):
        scale = CHART_BAR_WIDTH / 100.0
        covered = area["covered_share"] * scale
        partial = area["partial_share"] * scale
        missing = area["missing_share"] * scale
        bars.append(
            ChartBar(
                label=area["name"],
                y=CHART_TOP + index * CHART_ROW,
                figures=area,
                covered_width=covered,
                partial_x=CHART_LABEL_WIDTH + covered,
                partial_width=partial,
                missing_x=CHART_LABEL_WIDTH + covered + partial,
                missing_width=missing,
            )
        )
    return bars, CHART_TOP + max(len(bars), 1) * CHART_ROW + 30
