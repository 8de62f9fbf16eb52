"""The progression engine's Django adapter: its inputs read from the database, its findings
dressed with names and worded, for the programme page, the report and the API.

The progression is computed on read, not stored with the coverage report: its inputs are one
programme's courses, their links, its targets' requirements and the crosswalks its rule set
counts (six queries, however large the programme), and the engine is linear in the links, so it
is always current and has nothing to mark stale. The coverage jobs therefore need not carry it,
and a term edit shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.i18n import join_list, localized
from curricula.coverage.selectors import (
    RELATION_LABELS,
    CrosswalkRelations,
    ProgrammeAbilities,
    crosswalk_stand_ins,
)
from curricula.models import CourseAbility, Programme, ProgrammeCourse
from curricula.progression.engine import (
    HIGH,
    LEVEL_FALLS,
    LOW,
    MASTERED_FIRST,
    MEDIUM,
    NEVER_BUILT_ON,
    SINGLE_POINT,
    CourseIn,
    Finding,
    LevelIn,
    ProgressionIn,
    compute_progression,
)
from positions.levels import LEVEL_NAMES
from positions.models import Ability, Requirement, ability_language
from positions.selectors import LevelShade, level_scale

# The findings' names on the default scale (Introduced < Reinforced < Mastered), as they have
# always read; a site's own scale has them worded from its levels' names (kind_labels).
KIND_LABELS = {
    MASTERED_FIRST: gettext_lazy("Mastered with no earlier introduction or reinforcement"),
    NEVER_BUILT_ON: gettext_lazy("Introduced, never reinforced or mastered"),
    LEVEL_FALLS: gettext_lazy("Level falls after a later course"),
    SINGLE_POINT: gettext_lazy("Mastery rests on one final-term course"),
}
SEVERITY_LABELS = {
    HIGH: gettext_lazy("High"),
    MEDIUM: gettext_lazy("Medium"),
    LOW: gettext_lazy("Low"),
}


@dataclass(frozen=True)
class TermCourse:
    """A programme course with its place in time and where that place comes from."""

    id: int
    code: str
    title: str
    term: int | None  # set on the programme course
    effective_term: int | None  # the term, else the training stage's place
    stage: str  # the training stage's name, "" without one
    language: str = ""  # the course's: the page marks its title's language by it

    @property
    def term_source(self) -> str:
        if self.term is not None:
            return "term"
        return "stage" if self.effective_term is not None else "none"


@dataclass(frozen=True)
class CellStep:
    course: TermCourse
    level: LevelShade


@dataclass
class FindingView:
    kind: str
    severity: str
    ability: dict
    courses: list[TermCourse]
    reason: str
    kind_label: str  # the finding's name, by the site's scale (kind_labels)

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS[self.severity])


@dataclass
class ProgressionRow:
    ability: dict  # id, code, text
    required: LevelShade | None
    cells: list[list[CellStep]]  # one list per column of ProgrammeProgression.columns
    findings: list[FindingView] = field(default_factory=list)
    # When the required level is another ability's, reached through a crosswalk: that ability
    # (id, code, text) and the relation's label.
    required_via: dict | None = None


@dataclass
class ProgrammeProgression:
    programme: Programme
    columns: list[int | None]  # terms ascending, then None for the courses with no term
    courses: list[TermCourse]
    rows: list[ProgressionRow]
    findings: list[FindingView]
    counts: dict[str, int]
    final_term: int | None
    levels: list[LevelShade]

    @property
    def unscheduled(self) -> list[TermCourse]:
        return [c for c in self.courses if c.effective_term is None]


def programme_progression(
    *,
    programme: Programme,
    term_plan: dict[int, int | None] | None = None,
    levels: list[LevelShade] | None = None,
    relations: CrosswalkRelations | None = None,
    entries: list[ProgrammeCourse] | None = None,
    abilities: ProgrammeAbilities | None = None,
) -> ProgrammeProgression:
    """The programme's abilities by term with the findings, worded; six queries (five when its
    crosswalk rules count no relation). A page that read the level scale, the programme's
    relations or its courses (`entries`: every ProgrammeCourse of it with its course and stage,
    in the programme's order) already passes them: one query fewer each. So does one that read
    the links of the programme's courses and the names of their abilities (`abilities`): two
    fewer.

    `term_plan` (course id -> term) tries terms without saving them: a planned term replaces
    the course's own for this computation only."""
    plan = term_plan or {}
    if entries is None:
        entries = list(
            ProgrammeCourse.objects.filter(programme=programme)
            .select_related("course__stage")
            .only(
                "id",
                "course_id",
                "listed_as",
                "term",
                "course__code",
                "course__title",
                "course__title_zh",
                "course__language",
                "course__stage__name",
                "course__stage__name_zh",
                "course__stage__order",
            )
            .order_by("order", "id")
        )
    courses = [
        TermCourse(
            id=entry.course_id,
            code=entry.course.code,
            title=localized(entry.listed_as or entry.course.title, entry.course.title_zh),
            term=plan.get(entry.course_id, entry.term),
            effective_term=plan[entry.course_id]
            if plan.get(entry.course_id) is not None
            else entry.effective_term,
            stage=entry.course.stage.display_name if entry.course.stage else "",
            language=entry.course.language,
        )
        for entry in entries
    ]
    course_of = {course.id: course for course in courses}
    links: dict[int, list[tuple[int, int]]] = {}
    for course_id, ability_id, level_id in (
        abilities.links()
        if abilities is not None
        else CourseAbility.objects.filter(course_id__in=list(course_of)).values_list(
            "course_id", "ability_id", "level_id"
        )
    ):
        links.setdefault(course_id, []).append((ability_id, level_id))
    scale = levels if levels is not None else level_scale()
    level_of = {level.pk: level for level in scale}
    required: dict[int, int] = {}

    def hold_to(ability_id: int, level_id: int) -> bool:
        """Require `ability_id` at `level_id` if that is stricter than what it has; whether so."""
        current = required.get(ability_id)
        if current is None or level_of[level_id].rank > level_of[current].rank:
            required[ability_id] = level_id
            return True
        return False

    targets_require = (
        abilities.requirements()
        if abilities is not None
        else Requirement.objects.filter(
            position__programme_targets__programme=programme
        ).values_list("ability_id", "min_level_id")
    )
    for ability_id, level_id in targets_require:
        hold_to(ability_id, level_id)
    # Under the programme's crosswalk rules a link to an ability that stands in for a required
    # one serves that requirement, as in the coverage report: the stand-in is held to the
    # required level (when stricter than its own), so a single point of failure or a requirement
    # left at an introduction shows on the ability the courses build.
    direct = dict(required)
    via: dict[int, tuple[int, str]] = {}
    for other_id, pairs in crosswalk_stand_ins(
        programme=programme, required=direct, relations=relations
    ).items():
        for ability_id, relation in pairs:
            if hold_to(other_id, direct[ability_id]):
                via[other_id] = (ability_id, relation)

    progression = compute_progression(
        ProgressionIn(
            courses=tuple(
                CourseIn(c.id, c.effective_term, tuple(links.get(c.id, ()))) for c in courses
            ),
            levels={lv.pk: LevelIn(lv.pk, lv.code, lv.rank) for lv in scale},
            required=required,
        )
    )
    named = [a.ability_id for a in progression.abilities] + [
        ability_id for ability_id, _ in via.values()
    ]
    if abilities is not None:
        names = {
            pk: (code, text, text_zh, language)
            for pk, (code, text, text_zh, _framework, language) in abilities.names(named).items()
        }
    else:
        names = {
            pk: tuple(row)
            for pk, *row in Ability.objects.filter(pk__in=named).values_list(
                "id", "code", "text", "text_zh", ability_language()
            )
        }
    ability_of = {
        pk: {"id": pk, "code": code, "text": localized(text, text_zh), "language": language}
        for pk, (code, text, text_zh, language) in names.items()
    }
    columns: list[int | None] = [*progression.terms]
    if progression.has_unscheduled:
        columns.append(None)
    labels = kind_labels(scale)
    default_scale = is_default_scale(scale)

    def word(finding: Finding) -> FindingView:
        return FindingView(
            kind=finding.kind,
            severity=finding.severity,
            ability=ability_of[finding.ability_id],
            courses=[course_of[pk] for pk in finding.course_ids],
            reason=finding_reason(
                finding,
                codes=[course_of[pk].code for pk in finding.course_ids],
                required=level_of[required[finding.ability_id]].code
                if finding.ability_id in required
                else "",
                default_scale=default_scale,
            ),
            kind_label=labels[finding.kind],
        )

    views = {id(f): word(f) for f in progression.findings}
    rows = [
        ProgressionRow(
            ability=ability_of[item.ability_id],
            required=level_of.get(item.required_level_id),
            required_via=(
                {
                    "ability": ability_of[via[item.ability_id][0]],
                    "relation": str(RELATION_LABELS[via[item.ability_id][1]]),
                }
                if item.ability_id in via
                else None
            ),
            cells=[
                [
                    CellStep(course_of[s.course_id], level_of[s.level_id])
                    for s in item.by_term.get(t, [])
                ]
                for t in columns
            ],
            findings=[views[id(f)] for f in item.findings],
        )
        for item in progression.abilities
    ]
    rows.sort(key=lambda row: (row.ability["code"], row.ability["text"], row.ability["id"]))
    return ProgrammeProgression(
        programme=programme,
        columns=columns,
        courses=courses,
        rows=rows,
        findings=[views[id(f)] for f in progression.findings],
        counts=progression.counts(),
        final_term=progression.final_term,
        levels=scale,
    )


def is_default_scale(scale: list[LevelShade]) -> bool:
    """Whether `scale` (shallowest first) is the default one, Introduced < Reinforced <
    Mastered, named in the reader's language as the catalogue names it: the findings then read
    as they always have. A scale with another level, or a level renamed, is worded from its
    own names."""
    return tuple(level.name for level in scale) == LEVEL_NAMES and all(
        level.display_name == _(level.name) for level in scale
    )


def kind_labels(scale: list[LevelShade]) -> dict[str, str]:
    """The findings' names (kind -> label) in the current language. The engine works by rank
    (the lowest level, the higher ones, the highest), so on a site's own scale (a fourth level,
    E, Expert; codes 1 to 4) they are worded from its levels' names; the default scale's
    read as they always have (KIND_LABELS)."""
    if not scale or is_default_scale(scale):
        return {kind: str(label) for kind, label in KIND_LABELS.items()}
    lowest, highest = scale[0].display_name, scale[-1].display_name
    return {
        MASTERED_FIRST: _(
            "Built to %(highest)s with no earlier course at a lower level (%(lower)s)"
        )
        % {"highest": highest, "lower": join_list(lv.display_name for lv in scale[:-1])},
        NEVER_BUILT_ON: _("Built to %(lowest)s only, never to a higher level (%(higher)s)")
        % {"lowest": lowest, "higher": join_list(lv.display_name for lv in scale[1:])},
        LEVEL_FALLS: str(KIND_LABELS[LEVEL_FALLS]),
        SINGLE_POINT: _("Reaching %(highest)s rests on one final-term course")
        % {"highest": highest},
    }


def _listing(codes: list[str]) -> str:
    return join_list(codes)


def finding_reason(
    finding: Finding, *, codes: list[str], required: str = "", default_scale: bool = True
) -> str:
    """The finding's one-line reason, in the current language: on a scale other than the
    default one (`default_scale` False), without its words (introduces, reinforces, masters)."""
    detail = finding.detail
    if finding.kind == MASTERED_FIRST:
        if detail.get("term") is None and not default_scale:
            return ngettext(
                "%(courses)s brings it to %(level)s, and no course of the programme builds it "
                "to a lower level.",
                "%(courses)s bring it to %(level)s, and no course of the programme builds it "
                "to a lower level.",
                len(codes),
            ) % {"courses": _listing(codes), "level": detail["level"]}
        if detail.get("term") is None:
            return ngettext(
                "%(courses)s brings it to %(level)s, and no course of the programme introduces "
                "or reinforces it.",
                "%(courses)s bring it to %(level)s, and no course of the programme introduces "
                "or reinforces it.",
                len(codes),
            ) % {"courses": _listing(codes), "level": detail["level"]}
        masters = codes[:-1]
        return ngettext(
            "%(courses)s brings it to %(level)s in term %(term)s; the first groundwork, "
            "%(groundwork)s at %(groundwork_level)s, only comes in term %(groundwork_term)s.",
            "%(courses)s bring it to %(level)s in term %(term)s; the first groundwork, "
            "%(groundwork)s at %(groundwork_level)s, only comes in term %(groundwork_term)s.",
            len(masters),
        ) % {
            "courses": _listing(masters),
            "level": detail["level"],
            "term": detail["term"],
            "groundwork": codes[-1],
            "groundwork_level": detail["groundwork_level"],
            "groundwork_term": detail["groundwork_term"],
        }
    if finding.kind == NEVER_BUILT_ON:
        if detail.get("required_more"):
            return ngettext(
                "Only %(courses)s builds it, to %(level)s, while a target position requires "
                "%(required)s.",
                "Only %(courses)s build it, to %(level)s, while a target position requires "
                "%(required)s.",
                len(codes),
            ) % {"courses": _listing(codes), "level": detail["level"], "required": required}
        if not default_scale:
            return ngettext(
                "Only %(courses)s builds it, to %(level)s; no course builds it further.",
                "Only %(courses)s build it, to %(level)s; no course builds it further.",
                len(codes),
            ) % {"courses": _listing(codes), "level": detail["level"]}
        return ngettext(
            "Only %(courses)s builds it, to %(level)s; no course reinforces or masters it.",
            "Only %(courses)s build it, to %(level)s; no course reinforces or masters it.",
            len(codes),
        ) % {"courses": _listing(codes), "level": detail["level"]}
    if finding.kind == LEVEL_FALLS:
        return _(
            "%(peak)s builds it to %(from_level)s in term %(from_term)s, then %(later)s only to "
            "%(to_level)s in term %(to_term)s."
        ) % {"peak": codes[0], "later": codes[1], **detail}
    if finding.kind == SINGLE_POINT:
        return _(
            "Required at %(level)s and reached only by %(course)s, in the final term "
            "(%(term)s): nothing makes up for it if that course slips."
        ) % {"course": codes[0], "level": detail["level"], "term": detail["term"]}
    raise ValueError(finding.kind)
