"""The progression engine: plain inputs in, a progression out. No Django here, on purpose.

Section IV A calls the paper's training plan progressive ("theory teaching---cognitive
demonstration---simulation-actual operation---certification assessment") and names no levels.
That a well-built programme introduces an ability before it reinforces it, and reinforces it
before it asks for mastery, is this project's reading of that plan, not the paper's. Given a
programme's courses, each with its term (None when the course has no place in time), the level
each builds each ability to, and the strictest level its targets require, this module lays out
every ability the programme builds by term and reports what breaks the progression.

Levels are data: the lowest rank is "introduced", the highest "mastered", whatever their codes.
The findings, one kind per rule:

- `mastered_first` (high): a course brings the ability to the top level and no course at a lower
  level comes in an earlier term (or at all). When a lower-level course has no term, its place is
  unknown and nothing is claimed; on a scale of one level, which has no lower level, neither.
- `never_built_on` (medium; high when a target requires more than an introduction): every course
  building the ability does so at the lowest level only.
- `level_falls` (low for one step, medium for more): a course in a later term builds the ability
  to a lower level than a course in an earlier term did (M in term 2, I in term 5).
- `single_point` (high): a target requires the ability at the top level, exactly one course
  reaches that level, and that course is in the programme's final term: if it slips, nothing is
  left to make up for it.

Findings name courses and abilities by id; the adapter words the one-line reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MASTERED_FIRST = "mastered_first"
NEVER_BUILT_ON = "never_built_on"
LEVEL_FALLS = "level_falls"
SINGLE_POINT = "single_point"
KINDS = (MASTERED_FIRST, NEVER_BUILT_ON, LEVEL_FALLS, SINGLE_POINT)

HIGH = "high"
MEDIUM = "medium"
LOW = "low"
SEVERITIES = (HIGH, MEDIUM, LOW)
_SEVERITY_ORDER = {HIGH: 0, MEDIUM: 1, LOW: 2}


@dataclass(frozen=True, slots=True)
class LevelIn:
    id: int
    code: str
    rank: int


@dataclass(frozen=True, slots=True)
class CourseIn:
    """A programme course: its term (None: no place in time yet) and its (ability id, level id)
    links."""

    id: int
    term: int | None
    links: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class ProgressionIn:
    courses: tuple[CourseIn, ...]
    levels: Mapping[int, LevelIn]
    # Ability id -> level id: the strictest minimum any target position requires.
    required: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Step:
    """One course building one ability: where (term) and how far (level)."""

    course_id: int
    term: int | None
    level_id: int
    code: str
    rank: int


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    severity: str
    ability_id: int
    # The courses involved, in the order the reason names them.
    course_ids: tuple[int, ...]
    # What the reason is worded from: terms and level codes (course ids are in course_ids).
    detail: Mapping[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class AbilityProgression:
    ability_id: int
    # Term -> the steps in that term, in programme order; None collects the unscheduled.
    by_term: dict[int | None, list[Step]]
    required_level_id: int | None
    findings: list[Finding]


@dataclass(slots=True)
class Progression:
    terms: list[int]  # every term a course of the programme is in, ascending
    has_unscheduled: bool
    final_term: int | None
    abilities: list[AbilityProgression]  # in first-appearance order; the adapter sorts by name
    findings: list[Finding]  # all of them, most severe first

    def counts(self) -> dict[str, int]:
        """Findings per severity."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


def compute_progression(programme: ProgressionIn) -> Progression:
    """Every ability the programme builds, by term, with the findings (see the module docstring)."""
    levels = programme.levels
    ranks = sorted({level.rank for level in levels.values()})
    lowest, top = (ranks[0], ranks[-1]) if ranks else (0, 0)
    terms = sorted({c.term for c in programme.courses if c.term is not None})
    final_term = terms[-1] if terms else None

    steps: dict[int, list[Step]] = {}
    for course in programme.courses:
        for ability_id, level_id in course.links:
            level = levels[level_id]
            steps.setdefault(ability_id, []).append(
                Step(course.id, course.term, level_id, level.code, level.rank)
            )

    abilities, findings = [], []
    for ability_id, ability_steps in steps.items():
        by_term: dict[int | None, list[Step]] = {}
        for step in ability_steps:
            by_term.setdefault(step.term, []).append(step)
        required_id = programme.required.get(ability_id)
        required_rank = levels[required_id].rank if required_id in levels else None
        found = [
            *_mastered_first(ability_id, ability_steps, lowest, top),
            *_never_built_on(ability_id, ability_steps, lowest, top, required_rank),
            *_level_falls(ability_id, ability_steps, ranks),
            *_single_point(ability_id, ability_steps, top, required_rank, final_term),
        ]
        abilities.append(AbilityProgression(ability_id, by_term, required_id, found))
        findings.extend(found)
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], KINDS.index(f.kind)))
    return Progression(
        terms=terms,
        has_unscheduled=any(c.term is None for c in programme.courses),
        final_term=final_term,
        abilities=abilities,
        findings=findings,
    )


def _mastered_first(ability_id: int, steps: list[Step], lowest: int, top: int) -> Iterable[Finding]:
    masters = [s for s in steps if s.rank == top]
    if lowest == top or not masters:
        # On a scale of one level no course could build the ability lower first.
        return
    groundwork = [s for s in steps if s.rank < top]
    if not groundwork:
        yield Finding(
            MASTERED_FIRST,
            HIGH,
            ability_id,
            tuple(s.course_id for s in masters),
            {"term": None, "level": masters[0].code},
        )
        return
    scheduled = [s for s in masters if s.term is not None]
    if not scheduled or any(s.term is None for s in groundwork):
        return  # where the mastery or the groundwork sits is unknown: claim nothing
    first = min(s.term for s in scheduled)
    if all(s.term >= first for s in groundwork):
        earliest = min(groundwork, key=lambda s: (s.term, s.rank))
        yield Finding(
            MASTERED_FIRST,
            HIGH,
            ability_id,
            (*[s.course_id for s in scheduled if s.term == first], earliest.course_id),
            {
                "term": first,
                "level": scheduled[0].code,
                "groundwork_term": earliest.term,
                "groundwork_level": earliest.code,
            },
        )


def _never_built_on(
    ability_id: int, steps: list[Step], lowest: int, top: int, required_rank: int | None
) -> Iterable[Finding]:
    if lowest == top or any(s.rank > lowest for s in steps):
        return
    required_more = required_rank is not None and required_rank > lowest
    yield Finding(
        NEVER_BUILT_ON,
        HIGH if required_more else MEDIUM,
        ability_id,
        tuple(s.course_id for s in steps),
        {"level": steps[0].code, "required_more": required_more},
    )


def _level_falls(ability_id: int, steps: list[Step], ranks: list[int]) -> Iterable[Finding]:
    scheduled = sorted((s for s in steps if s.term is not None), key=lambda s: s.term)
    for step in scheduled:
        earlier = [s for s in scheduled if s.term < step.term]
        if not earlier:
            continue
        # The deepest earlier course, the latest of them when several share that level.
        peak = max(earlier, key=lambda s: (s.rank, s.term))
        if step.rank < peak.rank:
            # Steps down the scale, not the rank difference: ranks need not be consecutive.
            fall = ranks.index(peak.rank) - ranks.index(step.rank)
            yield Finding(
                LEVEL_FALLS,
                MEDIUM if fall > 1 else LOW,
                ability_id,
                (peak.course_id, step.course_id),
                {
                    "from_term": peak.term,
                    "from_level": peak.code,
                    "to_term": step.term,
                    "to_level": step.code,
                },
            )


def _single_point(
    ability_id: int,
    steps: list[Step],
    top: int,
    required_rank: int | None,
    final_term: int | None,
) -> Iterable[Finding]:
    if required_rank is None or required_rank < top or final_term is None:
        return
    reaching = [s for s in steps if s.rank >= required_rank]
    if len(reaching) == 1 and reaching[0].term == final_term:
        yield Finding(
            SINGLE_POINT,
            HIGH,
            ability_id,
            (reaching[0].course_id,),
            {"term": final_term, "level": reaching[0].code},
        )
