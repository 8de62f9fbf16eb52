"""Reads of programmes: the API's list, and the programme pages (the overview, the curriculum map
with its gap report and chart). Each function runs a fixed number of queries, however many
programmes, courses, abilities or links there are, and returns plain data for the templates."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from operator import itemgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.filters import MAX_ID
from core.history import ChangedAt
from core.i18n import bracketed, cut_to_width, join_list, localized
from curricula.coverage.selectors import (
    RELATION_LABELS,
    CrosswalkRelations,
    ProgrammeAbilities,
    coverage_report_detail,
    crosswalk_stand_ins,
)
from curricula.models import (
    PAPER_PROGRAMME,
    SUGGESTION_STRENGTHS,
    CourseAbility,
    CoverageState,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
    ProgrammeTarget,
    Suggestion,
    catalogue_order,
)
from positions.models import Ability, CompetencyArea, Level, Requirement
from positions.selectors import leaves_partial


def programme_list() -> QuerySet[Programme]:
    """Programmes with certification, track, coverage summary, course ids (in Table III order)
    and target ids, in a constant number of queries; their update time is PROGRAMME_CHANGED.
    The coverage row without its report and summary: the API shows its state, time and percent,
    and decoding 300 reports was most of a page's time (BENCHMARKS.md)."""
    return (
        Programme.objects.with_relations()
        .with_member_ids()
        .defer("coverage__report", "coverage__summary")
    )


# When a programme last changed, as a sync sees it: its courses and targets are part of it, its
# degree level is its certification's, and its courses' terms fall back to their training
# stages' places.
PROGRAMME_CHANGED = ChangedAt(
    Programme,
    embedded=((ProgrammeCourse, "programme"), (ProgrammeTarget, "programme")),
    shown=(
        "certification__updated_at",
        "programme_courses__course__updated_at",
        "programme_courses__course__stage__updated_at",
    ),
    per_page=(
        "programme_courses__course__updated_at",
        "programme_courses__course__stage__updated_at",
    ),
)


def programme_required_abilities(*, programme: Programme) -> list[Ability]:
    """The abilities any of the programme's target positions requires, in framework order."""
    required = Requirement.objects.filter(position__programme_targets__programme=programme)
    return list(
        Ability.objects.filter(pk__in=required.values("ability_id")).order_by(
            "framework_id", "order", "code", "id"
        )
    )


@dataclass(frozen=True)
class ProgrammeMapAxes:
    """Whether a programme has what its map's cells lie between: courses (the columns), and
    target positions requiring abilities (the rows)."""

    courses: bool
    targets: bool
    required: bool


def programme_map_axes(*, programme: Programme) -> ProgrammeMapAxes:
    """What the programme's map has of its columns and rows, for a page that can do nothing
    without them (a map import) to say so. Three queries."""
    return ProgrammeMapAxes(
        courses=ProgrammeCourse.objects.filter(programme=programme).exists(),
        targets=ProgrammeTarget.objects.filter(programme=programme).exists(),
        required=Requirement.objects.filter(
            position__programme_targets__programme=programme
        ).exists(),
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


def programme_rows_permissions(
    *,
    programme: Programme | None,
    course_ids: Iterable[int] | None = None,
    target_position_ids: Iterable[int] | None = None,
    course_terms: Iterable[tuple[int, int | None]] | None = None,
) -> set[str]:
    """The permissions a write of a programme's courses, targets and terms (as
    curricula.services.programme_update takes them; a new programme when `programme` is None)
    needs beyond the programme's own: each course or target it would add or remove is a
    ProgrammeCourse or ProgrammeTarget row of its own, added or deleted, and a term it would
    change changes one, as the admin's inlines and the what-if's apply count them. What would
    stay as it is needs nothing. Two queries at most."""
    needed: set[str] = set()
    courses: dict[int, int | None] = {}
    if programme is not None and (course_ids is not None or course_terms is not None):
        courses = dict(programme.programme_courses.values_list("course_id", "term"))
    if course_ids is not None:
        wanted = set(course_ids)
        if wanted - set(courses):
            needed.add("curricula.add_programmecourse")
        if set(courses) - wanted:
            needed.add("curricula.delete_programmecourse")
    if target_position_ids is not None:
        targets = set()
        if programme is not None:
            targets = set(programme.targets.values_list("position_id", flat=True))
        wanted = set(target_position_ids)
        if wanted - targets:
            needed.add("curricula.add_programmetarget")
        if targets - wanted:
            needed.add("curricula.delete_programmetarget")
    # A term given for a course this write adds is part of adding it.
    if any(
        course_id in courses and courses[course_id] != term
        for course_id, term in course_terms or ()
    ):
        needed.add("curricula.change_programmecourse")
    return needed


# --- The programme pages ---------------------------------------------------------------


def programme_exists() -> bool:
    """Whether there is any programme at all; one query."""
    return Programme.objects.exists()


def programme_get(*, pk: int) -> Programme | None:
    """One programme with its certification, track and coverage row; one query."""
    return Programme.objects.with_relations().filter(pk=pk).first()


def programme_named(text: str) -> Programme | None:
    """The programme a command's argument names: by its id where the text is digits and one
    has it, else by its exact English name, else by its exact Chinese name; None for none.
    Raises ValidationError naming them where several programmes share that Chinese name."""
    # An id no record could have (past the database's integers) names none, as a name.
    is_id = text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID
    found = Programme.objects.filter(pk=int(text)).first() if is_id else None
    # The English name is unique; the Chinese one a Chinese reader gives need not be.
    found = found or Programme.objects.filter(name=text).first()
    if found is not None or not text:
        return found
    sharing = list(Programme.objects.filter(name_zh=text).order_by("pk"))
    if len(sharing) > 1:
        named = join_list(
            bracketed(f"“{programme.name}”", _("id %(id)d") % {"id": programme.pk})
            for programme in sharing
        )
        raise ValidationError(
            _("Several programmes are named “%(name)s”: %(programmes)s. Give its id.")
            % {"name": text, "programmes": named}
        )
    return sharing[0] if sharing else None


def coverage_of(programme: Programme) -> ProgrammeCoverage | None:
    """The programme's coverage row if it has one (loaded by select_related: no query)."""
    try:
        return programme.coverage
    except ProgrammeCoverage.DoesNotExist:
        return None


def report_version(state: str, computed_at) -> str:
    """The stored report's state and when it was computed, as a token: the gap report's content
    changes only when one of them does (a recompute ends, an edit makes it stale), so a page
    polling for it is told "nothing new" while the token is the one it shows."""
    return f"{state}-{computed_at.timestamp():.6f}" if computed_at else state


def programme_report_version(*, programme: Programme) -> str:
    """The report_version of the programme's stored report, from its coverage row (loaded with
    programme_get: no query). As coverage_report_detail, a programme without one is stale."""
    coverage = coverage_of(programme)
    if coverage is None:
        return report_version(CoverageState.STALE, None)
    return report_version(coverage.state, coverage.computed_at)


# How often a page polls a stored report that is out of date, in seconds: every second at first,
# so that a recompute done within seconds shows within one; then about a tenth of how long the
# report has been waiting (REPORT_POLL_SHARE), so that a page left open while no worker runs
# (an outage of hours) asks at most twice a minute (REPORT_POLL_CEILING), not every second.
REPORT_POLL_FIRST = 1
REPORT_POLL_CEILING = 30
REPORT_POLL_SHARE = 10


def report_poll_seconds(waited: timedelta | None) -> int:
    """The polling interval for a report that has been waiting `waited` (None: not known, as
    just now) for its recompute: REPORT_POLL_FIRST, growing with the wait to
    REPORT_POLL_CEILING."""
    if waited is None:
        return REPORT_POLL_FIRST
    seconds = int(waited.total_seconds() // REPORT_POLL_SHARE)
    return max(REPORT_POLL_FIRST, min(REPORT_POLL_CEILING, seconds))


def programme_report_waited(*, programme: Programme) -> timedelta | None:
    """How long the programme's stored report has been out of date, from its coverage row
    (loaded with programme_get: no query): since it went stale, or, being recomputed, since its
    recompute claimed it (a worker back after an outage computes it now: a short wait again).
    None when not known: no coverage row, or none of those times (a row from before
    `stale_since`, a recompute claimed without a time)."""
    coverage = coverage_of(programme)
    if coverage is None:
        return None
    since = coverage.stale_since
    if coverage.state == CoverageState.COMPUTING and coverage.claimed_at is not None:
        since = coverage.claimed_at
    return timezone.now() - since if since is not None else None


def programme_report_poll_seconds(*, programme: Programme, watched: timedelta | None = None) -> int:
    """How often a page showing the programme's stored report polls it while it is out of
    date (report_poll_seconds): by how long it has waited (programme_report_waited), or, not
    known, by how long the page has been watching it (`watched`, which the page's poll says:
    at most the report's wait), so that such a report backs off too. No query."""
    waited = programme_report_waited(programme=programme)
    return report_poll_seconds(waited if waited is not None else watched)


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
    language: str = ""  # the ability's: the page marks its statement's language by it
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
    table_i_title: str = ""  # what Table I calls the position, when other words (MapView sets it)
    table_i_from_paper: bool = False  # whether the paper lists that title (MapView sets it)
    # How many requirements of each status a page lists (None: all); the others are counted and
    # a link lists them (MapView sets it).
    list_limit: int | None = None

    def _shown(self, requirements: list[GapRequirement]) -> list[GapRequirement]:
        return requirements if self.list_limit is None else requirements[: self.list_limit]

    @property
    def missing_shown(self) -> list[GapRequirement]:
        return self._shown(self.missing)

    @property
    def partial_shown(self) -> list[GapRequirement]:
        return self._shown(self.partial)

    @property
    def covered_shown(self) -> list[GapRequirement]:
        return self._shown(self.covered)

    @property
    def optional(self) -> int:
        """The optional requirements: listed with the others, left out of the figures."""
        return self.figures["total"] - self.figures["essential"]

    @property
    def not_listed(self) -> int:
        """The requirements the page leaves out of the position's lists."""
        if self.list_limit is None:
            return 0
        return sum(
            max(0, len(found) - self.list_limit)
            for found in (self.missing, self.partial, self.covered)
        )


# The state of a report computed for a filtered view of the map (see map_gap_report): its figures
# are as of the request, from the map as it is, and owe nothing to the stored report's state.
FILTERED_STATE = "filtered"


@dataclass
class GapReport:
    """The stored report, resolved to names for display; empty when never computed. A filtered
    view's report has the state FILTERED_STATE."""

    state: str
    computed_at: Any
    figures: dict
    positions: list[PositionGaps]
    areas: list[dict]
    unused_courses: list[dict]
    # The programme's crosswalk rule set (crosswalk_rules_detail), shown beside the report.
    crosswalk_rules: dict | None = None
    # While it is updating, how often the page polls it (programme_report_poll_seconds), and,
    # its wait not known, when the page began watching it (a Unix time its poll carries).
    poll_seconds: int = REPORT_POLL_FIRST
    poll_since: int | None = None

    @property
    def computed(self) -> bool:
        return bool(self.positions or self.areas or self.figures)

    @property
    def updating(self) -> bool:
        """The stored report is out of date or being recomputed: the page polls until it is
        not. Never so for a filtered view's report, computed when asked."""
        return self.state in (CoverageState.STALE, CoverageState.COMPUTING)

    @property
    def version(self) -> str:
        """What the page shows of the stored report's life (see report_version)."""
        return report_version(self.state, self.computed_at)

    @property
    def without_targets(self) -> bool:
        """Computed, and empty: the programme has no target position to measure (a report with
        targets has a block for each, even one requiring nothing)."""
        return not self.computed and self.computed_at is not None

    @property
    def chart_bars(self) -> list["ChartBar"]:
        return chart_bars(self)[0]

    @property
    def chart_height(self) -> int:
        return chart_bars(self)[1]


def gap_report(
    *,
    programme: Programme,
    position_id: int | None = None,
    suggest: bool = True,
    relations: CrosswalkRelations | None = None,
    abilities: ProgrammeAbilities | None = None,
    levels: Iterable[Any] | None = None,
) -> GapReport:
    """The programme's gap report as the coverage API serves it (names attached), grouped by
    status for display, with the programme's courses suggested for each gap (not with
    `suggest=False`: for a reader or a download not shown them). With `position_id`, only that
    target position. Eight queries (seven when the rule set counts no relation; five without
    suggestions; one fewer when `relations`, the programme's, were read already; one more when
    some gap has a suggestion and `levels`, the page's level scale, are not given). The
    abilities' names are taken from `abilities`, the page's, when given."""
    report = gap_report_build(
        served=coverage_report_detail(programme=programme, abilities=abilities),
        position_id=position_id,
    )
    if suggest:
        gap_report_suggest(programme=programme, report=report, relations=relations, levels=levels)
    waited = programme_report_waited(programme=programme)
    report.poll_seconds = report_poll_seconds(waited)
    if report.updating and waited is None:
        report.poll_since = int(timezone.now().timestamp())
    return report


def gap_report_build(*, served: dict, position_id: int | None = None) -> GapReport:
    """A report in the coverage API's shape (stored, or computed for a filtered view) grouped by
    status for display. No queries."""

    def requirement(row: dict) -> GapRequirement:
        ability = row.get("ability") or {}
        return GapRequirement(
            ability_id=ability.get("id"),
            code=ability.get("code", ""),
            text=ability.get("text", ""),
            min_level=row.get("min_level"),
            best_level=row.get("best_level"),
            essential=row.get("importance") == "essential",
            language=ability.get("language", ""),
            courses=[
                {
                    "code": (entry.get("course") or {}).get("code", ""),
                    "title": (entry.get("course") or {}).get("title", ""),
                    "language": (entry.get("course") or {}).get("language", ""),
                    "level": entry.get("level"),
                    "via": _via(entry.get("via")),
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
        crosswalk_rules=served.get("crosswalk_rules"),
    )
    return report


def _via(via: dict | None) -> dict | None:
    """The ability (and framework) a crosswalked course went through, and the relation."""
    if not via:
        return None
    ability = via.get("ability") or {}
    return {
        "code": ability.get("code", ""),
        "text": ability.get("text", ""),
        "framework": ability.get("framework", ""),
        "relation": via.get("relation_label") or via.get("relation", ""),
    }


# How many suggested courses the gap report names under one gap.
GAP_SUGGESTIONS_SHOWN = 3


def gap_report_suggest(
    *,
    programme: Programme,
    report: GapReport,
    relations: CrosswalkRelations | None = None,
    levels: Iterable[Any] | None = None,
) -> None:
    """Fill each missing or partial requirement of `report` with the programme's courses
    suggested for it (see programme_suggested_courses), each saying whether its proposed level
    is below the requirement's minimum (see suggested_for_requirement; `levels`: the level
    scale, codes and ranks, when the page read it). Two queries, one more when the rule set
    counts a relation, one more without `levels`; none when nothing is missing or partial."""
    gaps = [
        req
        for position in report.positions
        for req in (*position.missing, *position.partial)
        if req.ability_id
    ]
    if not gaps:
        return
    suggested = programme_suggested_courses(
        programme=programme, required={req.ability_id for req in gaps}, relations=relations
    )
    if not suggested:
        return
    ranks = level_ranks(levels)
    for req in gaps:
        req.suggested = suggested_for_requirement(
            suggested.get(req.ability_id, []), min_level=req.min_level, ranks=ranks
        )


def level_ranks(levels: Iterable[Any] | None = None) -> dict[str, int]:
    """Each level's rank by its code: of `levels` (anything with `code` and `rank`, as a page
    read them), else read (one query)."""
    if levels is None:
        return dict(Level.objects.values_list("code", "rank"))
    return {level.code: level.rank for level in levels}


def suggested_for_requirement(
    courses: Iterable[dict], *, min_level: str | None, ranks: Mapping[str, int]
) -> list[dict]:
    """The courses suggested for a requirement needing `min_level` (a code), each with `needs`:
    that code when the course's proposed level ranks below it (accepted at its proposed level,
    the link would leave the requirement partial), else None. A course proposing no level, or a
    level no longer on the scale, is not judged."""
    needed = ranks.get(min_level or "")
    return [
        {
            **course,
            "needs": min_level
            if leaves_partial(ranks.get(course.get("level") or ""), needed)
            else None,
        }
        for course in courses
    ]


def programme_suggested_courses(
    *, programme: Programme, required: set[int], relations: CrosswalkRelations | None = None
) -> dict[int, list]:
    """Per required ability id, the programme's courses that have a pending suggestion for it
    (see Suggestion), then those suggested an ability standing in for it through a crosswalk the
    programme's rule set counts (each with `via`: the stand-in's code and the relation, as the
    programme's review counts them; not children), each group best first, a course once, at
    most GAP_SUGGESTIONS_SHOWN each. Two queries, one more when the rule set counts a relation,
    none for no ability."""
    if not required:
        return {}
    stand_ins = crosswalk_stand_ins(programme=programme, required=required, relations=relations)
    course_ids = list(
        ProgrammeCourse.objects.filter(programme=programme).values_list("course_id", flat=True)
    )
    rows = (
        Suggestion.objects.to_review()
        .for_courses(course_ids)
        .filter(ability_id__in=required | set(stand_ins))
        .order_by("ability_id", "-score", "id")
        .annotate(band=KeyTransform("band", KeyTransform("strength", "explanation")))
        .values_list(
            "ability_id",
            "ability__code",
            "ability__text",
            "course_id",
            "course__code",
            "course__title",
            "course__title_zh",
            "proposed_level__code",
            "score",
            "band",
        )
    )
    direct: dict[int, list[dict]] = {}
    through: dict[int, list[tuple[float, dict]]] = {}
    for row in rows:
        (ability_id, ability_code, ability_text, course_id, code, title, title_zh, level) = row[:8]
        score, band = row[8:]
        entry = {
            "course_id": course_id,
            "code": code,
            "title": localized(title, title_zh),
            "level": level,
            # How strongly it is suggested, as the review page says it (a band; its score).
            "score": score,
            "band": band if band in SUGGESTION_STRENGTHS else None,
            "via": None,
        }
        if ability_id in required:
            direct.setdefault(ability_id, []).append(entry)
        for required_id, relation in stand_ins.get(ability_id, ()):
            via = {
                "code": ability_code or ability_text,
                "relation": str(RELATION_LABELS.get(relation, relation)),
            }
            through.setdefault(required_id, []).append((-score, {**entry, "via": via}))
    suggested: dict[int, list[dict]] = {}
    for ability_id in required:
        # Several stand-ins of one requirement: theirs merged best first (a stable sort).
        stand_in = [entry for _, entry in sorted(through.get(ability_id, ()), key=itemgetter(0))]
        shown: list[dict] = []
        for entry in (*direct.get(ability_id, ()), *stand_in):
            if len(shown) == GAP_SUGGESTIONS_SHOWN:
                break
            if all(entry["course_id"] != seen["course_id"] for seen in shown):
                shown.append(entry)
        if shown:
            suggested[ability_id] = shown
    return suggested


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
    """A programme for the overview: its coverage figures, its weakest areas (most missing,
    then most partly covered) and the areas its missing essential abilities are in (most first;
    `missing_leader`: whether the first holds more of them than any other)."""

    programme: Programme
    state: str
    computed_at: Any
    figures: dict
    weakest_areas: list[dict]
    missing_areas: list[dict] = field(default_factory=list)

    @property
    def missing_leader(self) -> bool:
        areas = self.missing_areas
        return len(areas) == 1 or (len(areas) > 1 and areas[0]["missing"] > areas[1]["missing"])


def programme_summary_list() -> QuerySet[Programme]:
    """Programmes in catalogue order, annotated with what their summaries read (counts and the
    stored report's figures, `report_<key>`): page it, then pass the page to
    programme_summaries."""
    return (
        Programme.objects.with_relations()
        .with_counts()
        .in_catalogue_order()
        .defer("coverage__report", "coverage__summary")
        .annotate(
            **{f"report_{key}": KeyTransform(key, "coverage__summary") for key in _SUMMARY_KEYS}
        )
    )


@dataclass
class ProgrammeTableThreeShare:
    """How many programmes there are and how many of them are Table III's career directions
    (the paper's, models.PAPER_PROGRAMME): the rest are staff's or imported. And how many have
    a track: a field that uses none (nursing) is not shown a column of dashes."""

    total: int
    paper: int
    with_track: int = 0

    @property
    def from_paper(self) -> bool:
        """Whether every programme (at least one) is the paper's: only then are they Table
        III's."""
        return 0 < self.total == self.paper


def programme_table_three_share() -> ProgrammeTableThreeShare:
    """One query."""
    return ProgrammeTableThreeShare(
        **Programme.objects.aggregate(
            total=Count("id"),
            paper=Count("id", filter=PAPER_PROGRAMME),
            with_track=Count("id", filter=Q(track__isnull=False)),
        )
    )


def programme_look_first(*, limit: int = 3) -> list[ProgrammeSummary]:
    """What to look at first: the programmes leaving the most essential requirements missing
    (then the lowest share covered, then catalogue order), chosen in the database. Two queries."""
    programmes = (
        programme_summary_list()
        .filter(coverage__isnull=False, coverage__summary__missing__gt=0)
        .order_by(
            F("report_missing").desc(),
            Coalesce("coverage__percent", Value(0.0)),
            *catalogue_order(),
        )
    )
    return programme_summaries(programmes[:limit])


def programme_summaries(programmes: Iterable[Programme]) -> list[ProgrammeSummary]:
    """The programmes (rows of programme_summary_list(), a page of them) with their
    coverage figures and the areas with the most missing essential requirements. Two queries:
    the reports' summaries are read out of the stored JSON in the database, without loading the
    (large) per-requirement part."""
    programmes = list(programmes)
    area_ids = {block.get("area") for p in programmes for block in p.report_areas or []}
    # In the areas' display order, which breaks ties between equally weak areas: the stored
    # reports may have been computed before an area was renumbered (see coverage_report_detail).
    area_names = {
        area.pk: {"code": area.code, "name": area.display_name}
        for area in CompetencyArea.objects.filter(pk__in=area_ids - {None})
    }
    area_rank = {area_id: rank for rank, area_id in enumerate(area_names)}
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
        for block in sorted(
            programme.report_areas or [],
            key=lambda block: area_rank.get(block.get("area"), len(area_rank)),
        ):
            name = area_names.get(block.get("area"), {"code": "", "name": ""})
            areas.append({**name, **_figures(block)})
        gaps = [area for area in areas if area["missing"] or area["partial"]]
        gaps.sort(key=lambda area: (-(area["missing"] or 0), -(area["partial"] or 0)))
        missing = [area for area in gaps if area["missing"]]
        summaries.append(
            ProgrammeSummary(
                programme=programme,
                state=coverage.state if coverage else CoverageState.STALE,
                computed_at=coverage.computed_at if coverage else None,
                figures=figures,
                weakest_areas=gaps[:3],
                missing_areas=missing,
            )
        )
    return summaries


_SUMMARY_KEYS = ("total", "essential", "covered", "partial", "missing", "areas")


@dataclass
class ChartBar:
    label: str  # the area's whole name (the bar's tooltip)
    short_label: str  # cut to fit the labels' column (CHART_LABEL_LETTERS)
    y: int
    figures: dict
    covered_width: float
    partial_x: float
    partial_width: float
    missing_x: float
    missing_width: float


CHART_LABEL_WIDTH = 220
# What the labels' column holds at the chart's 12px, in Latin letters: a Chinese character, about
# twice as wide, counts as two (core.i18n.display_width).
CHART_LABEL_LETTERS = 34
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
                short_label=cut_to_width(area["name"], CHART_LABEL_LETTERS),
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
