"""The coverage engine: plain inputs in, a report out. No Django here, on purpose.

Keeping the core free of the ORM lets it be unit-tested on hand-made cases, benchmarked alone, and
called from a task, a view or a command alike; `selectors.py` builds its inputs and `services.py`
persists what it returns.

The rules, for programme P with courses C and target positions T:

- for each requirement (ability a, minimum level m, importance) of each target t, the best level is
  the highest-ranked level among the links (c, a) with c in C;
- status is `covered` if best >= m, `partial` if a link exists but below m, `missing` if none;
- a position's percent is covered essential requirements / essential requirements x 100 (None when
  it has none); its score gives partial credit: the mean over essential requirements of
  min(1, rank(best) / rank(m)), a missing requirement counting 0, also x 100;
- crosswalks (see `CrosswalkRules`): a requirement is also reached through the abilities the
  programme's rule set lets stand for it: an ability related to it by a counted relation type
  (exactMatchOf by default; isRelatedTo only when chosen) covers it at the link's level, and with
  the children rule its child abilities (tree children and isPartOf) cover it together (`all`:
  each child must be reached, at the lowest of their levels) or alone (`any`: the deepest). The
  best level is the deepest of the direct and crosswalked ones; the explanation lists the direct
  courses first, then each crosswalked one as [course id, level code, via ability id, relation];
- the programme summary counts each ability once across all targets, at its strictest minimum, and
  as essential if any target requires it as essential; the same figures are given per competency
  area, and the courses that build nothing any target requires are listed as unused.

The report refers to programmes, positions, abilities, courses and areas by id, and keeps each
requirement as a short list (see REQUIREMENT_FIELDS): names are attached when a report is served
(`selectors.coverage_report_detail`), so they are always current, and renaming a course never makes
a report stale. The inputs fingerprint therefore covers structure only: ids, links, requirements,
levels and each required ability's area.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

# Bump when the rules or the report's shape change: stored fingerprints then no longer match, so
# the next recompute rebuilds every report instead of skipping it as unchanged.
# Crosswalks did not bump it: without crosswalks the rules count, reports and fingerprints are
# bit-identical to version 1 (a property test holds them to a frozen copy), and with them the
# fingerprint changes by itself.
ENGINE_VERSION = 1

COVERED = "covered"
PARTIAL = "partial"
MISSING = "missing"
ESSENTIAL = "essential"
OPTIONAL = "optional"

EXACT_MATCH = "exactMatchOf"
RELATED = "isRelatedTo"
CHILD = "child"  # the relation named in an explanation reached through the children rule
CHILDREN_OFF, CHILDREN_ALL, CHILDREN_ANY = "off", "all", "any"


@dataclass(frozen=True, slots=True)
class LevelIn:
    id: int
    code: str
    rank: int


@dataclass(frozen=True, slots=True)
class AreaIn:
    """Only what orders the per-area figures; names are attached when the report is served."""

    id: int
    order: int = 0
    code: str = ""
    framework: int | None = None

    @property
    def sort_key(self) -> tuple:
        """positions.models.area_ordering in plain Python: the paper's areas (of no framework)
        first, then each framework's together, each by order and code."""
        return (self.framework is not None, self.framework or 0, self.order, self.code, self.id)


@dataclass(frozen=True, slots=True)
class AbilityIn:
    id: int
    area_id: int | None = None


@dataclass(frozen=True, slots=True)
class CourseIn:
    """A course and every ability it builds, as (ability id, level id) pairs, each ability once
    (as the database's unique link per course and ability has it)."""

    id: int
    links: tuple[tuple[int, int], ...] = ()


class RequirementIn(NamedTuple):
    """A requirement's fields in the order the engine reads them. A tuple, not a dataclass like
    the others: a full recompute reads ~80k of them, and the selectors pass plain
    (ability id, min level id, importance) tuples, made in C (`itemgetter`) without a Python
    call per row; the engine and its callers read them by position, never by name."""

    ability_id: int
    min_level_id: int
    importance: str = ESSENTIAL


@dataclass(frozen=True, slots=True)
class PositionIn:
    id: int
    requirements: tuple[RequirementIn, ...] = ()


@dataclass(frozen=True, slots=True)
class CrosswalkRules:
    """Which ability relations stand in for a required ability (the programme's rule set).

    `relation_types`: the symmetric relations through which a link counts at its own level
    (exactMatchOf, isRelatedTo); `children`: whether a parent is covered by its children, `off`,
    `all` of them (at the lowest of their levels) or `any` (the deepest).
    """

    relation_types: frozenset[str] = frozenset({EXACT_MATCH})
    children: str = CHILDREN_OFF

    def key(self) -> tuple:
        return (tuple(sorted(self.relation_types)), self.children)


DEFAULT_RULES = CrosswalkRules()


@dataclass(frozen=True, slots=True)
class ProgrammeIn:
    """A programme: its courses in programme order, its target positions in display order, and
    the crosswalk rules its coverage follows."""

    id: int
    course_ids: tuple[int, ...] = ()
    target_ids: tuple[int, ...] = ()
    rules: CrosswalkRules = DEFAULT_RULES


@dataclass(slots=True)
class Catalogue:
    """Everything the programmes being computed refer to, keyed by id."""

    levels: Mapping[int, LevelIn]
    abilities: Mapping[int, AbilityIn]
    courses: Mapping[int, CourseIn]
    positions: Mapping[int, PositionIn]
    areas: Mapping[int, AreaIn] = field(default_factory=dict)
    # Per required ability: (other ability id, relation type) for each symmetric relation
    # (exactMatchOf, isRelatedTo) it has, whichever end it is; and its child abilities.
    matches: Mapping[int, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    children: Mapping[int, tuple[int, ...]] = field(default_factory=dict)


# The stored report keeps each requirement as a list in this order (a list, not a dict: a report
# of 300 programmes holds ~126k of them, and dicts would double the time to build and store it).
REQUIREMENT_FIELDS = ("ability", "min_level", "best_level", "status", "importance", "courses")


def figures(*, essential: int, covered: int, partial: int, credit: float, total: int) -> dict:
    """Percent and score of a set of requirements; None (not 0 or 100) when none is essential."""
    if essential:
        percent = 100.0 * covered / essential
        score = 100.0 * credit / essential
    else:
        percent = score = None
    return {
        "percent": percent,
        "score": score,
        "total": total,
        "essential": essential,
        "covered": covered,
        "partial": partial,
        "missing": essential - covered - partial,
    }


class _Prepared:
    """Per-catalogue lookups shared by every programme computed in one batch."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.rank_of = {level_id: level.rank for level_id, level in catalogue.levels.items()}
        self.code_of = {level_id: level.code for level_id, level in catalogue.levels.items()}
        self.code_of_rank = {level.rank: level.code for level in catalogue.levels.values()}
        self.rank_of_code = {level.code: level.rank for level in catalogue.levels.values()}
        self.area_of = {a: ability.area_id for a, ability in catalogue.abilities.items()}
        self._requirements: dict[int, tuple] = {}
        self._links: dict[int, dict[int, tuple]] = {}
        # Keyed by the rule set itself (equal rule sets hash alike): `rules.key()` sorts the
        # relation types, too slow to compute for every programme.
        self._plans: dict[tuple, dict[int, tuple]] = {}

    def crosswalk_plan(self, rules: CrosswalkRules, *, reverse: bool = False) -> dict[int, tuple]:
        """Per ability with anything the rules count: (matches, children), once per rule set.
        With `reverse`, per ability b: the (a, relation) whose requirement a link to b serves
        (the same pairs, the relations being symmetric)."""
        key = (rules, reverse)
        plan = self._plans.get(key)
        if plan is None:
            plan = {}
            types = rules.relation_types
            matches = self.catalogue.matches
            children = self.catalogue.children if rules.children != CHILDREN_OFF else {}
            if reverse or not children:
                # Built for every batch, over every relation the batch loaded: a relation kept
                # whole (the usual case: the inputs hold only the counted types) is not copied.
                for ability_id, found in matches.items():
                    if len(found) == 1:
                        if found[0][1] not in types:
                            continue
                        counted = tuple(found)
                    else:
                        counted = tuple([m for m in found if m[1] in types])
                        if not counted:
                            continue
                    plan[ability_id] = counted if reverse else (counted, ())
            else:
                for ability_id in matches.keys() | children.keys():
                    counted = tuple(m for m in matches.get(ability_id, ()) if m[1] in types)
                    kids = children.get(ability_id, ())
                    if counted or kids:
                        plan[ability_id] = (counted, kids)
            self._plans[key] = plan
        return plan

    def requirements(self, position_id: int) -> tuple:
        """(ability id, min rank, min level id, min code, importance, essential) per requirement."""
        prepared = self._requirements.get(position_id)
        if prepared is None:
            rank_of, code_of = self.rank_of, self.code_of
            prepared = tuple(
                (
                    ability_id,
                    rank_of[min_level_id],
                    min_level_id,
                    code_of[min_level_id],
                    importance,
                    importance == ESSENTIAL,
                )
                for ability_id, min_level_id, importance in (
                    self.catalogue.positions[position_id].requirements
                )
            )
            self._requirements[position_id] = prepared
        return prepared

    def links(self, course_id: int) -> dict[int, tuple]:
        """Per ability the course builds: (rank, explanation entry [course id, level code]).

        A dict, so that a programme finds the links to the abilities it requires with one C-level
        set intersection per course rather than a Python step per link (most links are to
        abilities the programme does not require). The entry is built once and shared by every
        report that cites the course.
        """
        prepared = self._links.get(course_id)
        if prepared is None:
            rank_of, code_of = self.rank_of, self.code_of
            prepared = {
                ability_id: (rank_of[level_id], [course_id, code_of[level_id]])
                for ability_id, level_id in self.catalogue.courses[course_id].links
            }
            self._links[course_id] = prepared
        return prepared


# One shared empty explanation: reports are built, stored and never mutated in place.
_NOT_LINKED: list = []


def _report(programme: ProgrammeIn, prepared: _Prepared) -> dict:
    """The report of one programme, phase by phase (see the module docstring for the rules).

    The hot path of every recompute (~126k requirement rows for 300 programmes): each phase keeps
    its loop in one function over locals and plain lists rather than attribute lookups and
    objects, and takes the common case (an ability no course builds) first. See BENCHMARKS.md for
    what each of these bought.
    """
    targets = [
        (position_id, prepared.requirements(position_id)) for position_id in programme.target_ids
    ]
    required = _required(targets)
    plan = prepared.crosswalk_plan(programme.rules)
    if plan:
        # The crosswalked abilities are the required ones in the plan. Only the children rule
        # needs them as a set (their children are collected with the direct links); a link
        # standing in for a required ability tests that ability instead, which is cheaper.
        kids: set[int] = set()
        crosswalked = None
        if programme.rules.children != CHILDREN_OFF:
            # Walk the programme's abilities, not the plan: `set & dict.keys()` copies the plan.
            crosswalked = {a for a in required if a in plan}
            for ability_id in crosswalked:
                kids.update(plan[ability_id][1])
        contributions, used_courses, via_found = _crosswalked_contributions(
            programme, prepared, required, kids - required, plan
        )
        best = _best_levels(contributions)
        _apply_crosswalks(
            best, via_found, crosswalked, plan, programme.rules, prepared, used_courses
        )
        best_get = best.get
    else:
        contributions, used_courses = _contributions(programme, prepared, required)
        best_get = _best_levels(contributions).get
    # Ability id -> [strictest minimum rank, required as essential by any target], filled by
    # the position phase: the programme's figures count each ability once, at its strictest.
    strictest: dict[int, list] = {}
    positions = [
        _position_report(position_id, requirements, best_get, strictest)
        for position_id, requirements in targets
    ]
    area_counts, credit = _area_counts(strictest, best_get, prepared.area_of)
    return {
        "engine_version": ENGINE_VERSION,
        "program": programme.id,
        **_programme_figures(area_counts, credit),
        "requirement_fields": list(REQUIREMENT_FIELDS),
        "positions": positions,
        "areas": _area_reports(area_counts, prepared.catalogue.areas),
        "unused_courses": [cid for cid in programme.course_ids if cid not in used_courses],
    }


def _required(targets: list[tuple[int, tuple]]) -> set[int]:
    """Every ability some target requires: links to any other ability cannot change the report."""
    required: set[int] = set()
    for _, requirements in targets:
        required.update([row[0] for row in requirements])
    return required


def _contributions(
    programme: ProgrammeIn, prepared: _Prepared, required: set[int]
) -> tuple[dict[int, list], set[int]]:
    """Per required ability, what each of the programme's courses brings: (-rank, the course's
    place in the programme, explanation entry), in one pass over the programme's courses (a set
    intersection each); and the courses that bring anything (the others are reported unused)."""
    contributions: dict[int, list] = {}
    used_courses: set[int] = set()
    intersection = required.intersection
    for order, course_id in enumerate(programme.course_ids):
        links = prepared.links(course_id)
        # Each ability once per course: the order within a course is immaterial, since each
        # ability's rows are in course order.
        hits = intersection(links)
        if not hits:
            continue
        used_courses.add(course_id)
        for ability_id in hits:
            rank, entry = links[ability_id]
            found = contributions.get(ability_id)
            if found is None:
                contributions[ability_id] = [(-rank, order, entry)]
            else:
                found.append((-rank, order, entry))
    return contributions, used_courses


def _crosswalked_contributions(
    programme: ProgrammeIn,
    prepared: _Prepared,
    required: set[int],
    extra: set[int],
    plan: dict[int, tuple],
) -> tuple[dict[int, list], set[int], dict[int, list]]:
    """`_contributions` under a rule set that counts crosswalks, in the same one pass over the
    programme's courses. The `extra` abilities (children reached through the children rule) are
    collected too, without marking their courses used: whether they bring anything is for the
    rule to say. And per crosswalked required ability, what the links standing in for it bring
    (a link to b counts for every a that b matches under the rule set's relation types): rows
    (-rank, the course's place, explanation entry [course id, level code, via ability id,
    relation]), in the order met; those courses are used."""
    contributions: dict[int, list] = {}
    used_courses: set[int] = set()
    via_found: dict[int, list] = {}
    reverse = prepared.crosswalk_plan(programme.rules, reverse=True)
    stands_in = reverse.__contains__
    intersection = (required | extra if extra else required).intersection
    for order, course_id in enumerate(programme.course_ids):
        links = prepared.links(course_id)
        for ability_id in intersection(links):
            rank, entry = links[ability_id]
            if ability_id in required:
                used_courses.add(course_id)
            found = contributions.get(ability_id)
            if found is None:
                contributions[ability_id] = [(-rank, order, entry)]
            else:
                found.append((-rank, order, entry))
        # Also, not instead: a link to one required ability may stand in for another. In link
        # order (`filter` keeps it, in C), which orders rows that tie.
        for ability_id in filter(stands_in, links):
            rank, entry = links[ability_id]
            for target_id, relation in reverse[ability_id]:
                if target_id in required and target_id in plan:
                    used_courses.add(course_id)
                    row = (-rank, order, [course_id, entry[1], ability_id, relation])
                    found = via_found.get(target_id)
                    if found is None:
                        via_found[target_id] = [row]
                    else:
                        found.append(row)
    return contributions, used_courses, via_found


def _best_levels(contributions: dict[int, list]) -> dict[int, tuple]:
    """Per ability: (best rank, best level code, explanation), shared by every requirement of it,
    so a requirement row is built without looking at courses again."""
    best: dict[int, tuple] = {}
    for ability_id, found in contributions.items():
        if len(found) == 1:
            entry = found[0][2]
            best[ability_id] = (-found[0][0], entry[1], [entry])
            continue
        # Deepest first; ties keep the programme's own course order.
        found.sort()
        best[ability_id] = (-found[0][0], found[0][2][1], [row[2] for row in found])
    return best


def _apply_crosswalks(
    best: dict[int, tuple],
    via_found: dict[int, list],
    crosswalked: set[int] | None,
    plan: dict[int, tuple],
    rules: CrosswalkRules,
    prepared: _Prepared,
    used_courses: set[int],
) -> None:
    """Fold into `best` what each crosswalked required ability gets through its relations
    (`via_found`, from `_crosswalked_contributions`) and, when the rules count them, its
    children (`crosswalked` is then the set of required abilities in the plan), judged on the
    direct levels only (a crosswalk is one step, never a chain). The explanation lists the
    direct courses first, then the related ones, then the children's, each deepest first.

    An ability the crosswalks bring nothing to keeps its direct entry untouched, so a programme
    whose crosswalks reach no course gets exactly the report it would get without them."""
    kid_found: dict[int, tuple] = {}
    if crosswalked and rules.children != CHILDREN_OFF:
        children_any = rules.children == CHILDREN_ANY
        for ability_id in crosswalked:
            kids = plan[ability_id][1]
            reached = [(kid, best[kid]) for kid in kids if kid in best]
            if reached and (children_any or len(reached) == len(kids)):
                ranks = [found[0] for _, found in reached]
                rows = [
                    (-prepared.rank_of_code[entry[1]], [entry[0], entry[1], kid, CHILD])
                    for kid, found in reached
                    for entry in found[2]
                ]
                kid_found[ability_id] = (max(ranks) if children_any else min(ranks), rows)
    code_of_rank = prepared.code_of_rank
    best_get = best.get
    if not kid_found:
        # Relations only: each ability's new entry depends on its own direct one alone, so it
        # is written in place.
        for ability_id, rows in via_found.items():
            if len(rows) > 1:
                rows.sort(key=_by_depth_then_order)
            via_rank = -rows[0][0]
            via = [row[2] for row in rows]
            own = best_get(ability_id)
            if own is None:
                best[ability_id] = (via_rank, code_of_rank[via_rank], via)
            elif via_rank > own[0]:
                best[ability_id] = (via_rank, code_of_rank[via_rank], [*own[2], *via])
            else:
                best[ability_id] = (own[0], own[1], [*own[2], *via])
        return
    used_add = used_courses.add
    updates = {}
    for ability_id in via_found.keys() | kid_found.keys():
        rows = via_found.get(ability_id)
        via_rank = 0
        if rows is not None:
            if len(rows) > 1:
                rows.sort(key=_by_depth_then_order)
            via_rank = -rows[0][0]
            via = [row[2] for row in rows]
        else:
            via = []
        kid = kid_found.get(ability_id)
        if kid is not None:
            via_rank = max(via_rank, kid[0])
            kid_rows = sorted(kid[1], key=_by_depth)
            via.extend([row[1] for row in kid_rows])
            for row in kid_rows:
                used_add(row[1][0])
        own = best_get(ability_id)
        if own is None:
            updates[ability_id] = (via_rank, code_of_rank[via_rank], via)
        else:
            if via_rank > own[0]:
                rank, code = via_rank, code_of_rank[via_rank]
            else:
                rank, code = own[0], own[1]
            updates[ability_id] = (rank, code, [*own[2], *via])
    # Written after every ability was judged: a child's own entry must be its direct one.
    best.update(updates)


# Sort keys of the crosswalked rows (-rank, programme order, entry): stable, so rows that tie
# (one course reaching an ability through two relations) keep the order they were found in.
_by_depth_then_order = itemgetter(0, 1)
_by_depth = itemgetter(0)


def _position_report(
    position_id: int, requirements: tuple, best_get, strictest: dict[int, list]
) -> dict:
    """One target position: a row per requirement (REQUIREMENT_FIELDS) with its status, and the
    position's figures tallied in the same pass.

    The same pass also folds each requirement into `strictest` for the programme's figures: a
    walk of its own over the rows cost ~6 % of the engine's time (measured on the esco preset).
    """
    essential_count = covered = partial = 0
    credit = 0.0
    not_linked = _NOT_LINKED
    strictest_get = strictest.get
    rows = []
    append = rows.append
    for ability_id, min_rank, _, min_code, importance, essential in requirements:
        found = best_get(ability_id)
        if found is None:
            append([ability_id, min_code, None, MISSING, importance, not_linked])
            if essential:
                essential_count += 1
        else:
            best_rank, best_code, explained = found
            if best_rank >= min_rank:
                append([ability_id, min_code, best_code, COVERED, importance, explained])
                if essential:
                    essential_count += 1
                    covered += 1
                    credit += 1.0
            else:
                append([ability_id, min_code, best_code, PARTIAL, importance, explained])
                if essential:
                    essential_count += 1
                    partial += 1
                    credit += best_rank / min_rank
        merged = strictest_get(ability_id)
        if merged is None:
            strictest[ability_id] = [min_rank, essential]
        else:
            if min_rank > merged[0]:
                merged[0] = min_rank
            if essential:
                merged[1] = True
    return {
        "position": position_id,
        **figures(
            essential=essential_count,
            covered=covered,
            partial=partial,
            credit=credit,
            total=len(rows),
        ),
        "requirements": rows,
    }


def _area_counts(
    strictest: dict[int, list], best_get, area_of: Mapping[int, int | None]
) -> tuple[dict[int | None, list], float]:
    """Per competency area: [total, essential, covered, partial, credit] over the programme's
    distinct abilities, each judged against its strictest minimum; and the programme's credit in
    the same pass, summed per ability in the order of `strictest` (not per area), as it always
    was, so the float stays bit-identical."""
    area_counts: dict[int | None, list] = {}
    area_get = area_counts.get
    credit = 0.0
    for ability_id, (min_rank, essential) in strictest.items():
        area_id = area_of[ability_id]
        counts = area_get(area_id)
        if counts is None:
            counts = area_counts[area_id] = [0, 0, 0, 0, 0.0]
        counts[0] += 1
        if not essential:
            continue
        counts[1] += 1
        found = best_get(ability_id)
        if found is None:
            continue
        best_rank = found[0]
        if best_rank >= min_rank:
            counts[2] += 1
            counts[4] += 1.0
            credit += 1.0
        else:
            counts[3] += 1
            share = best_rank / min_rank
            counts[4] += share
            credit += share
    return area_counts, credit


def _area_reports(area_counts: dict[int | None, list], areas: Mapping[int, AreaIn]) -> list[dict]:
    """The per-area figures in the areas' display order, abilities without a (known) area last."""
    return [
        {
            "area": area_id if area_id in areas else None,
            **figures(
                essential=essential, covered=covered, partial=partial, credit=credit, total=total
            ),
        }
        for area_id, (total, essential, covered, partial, credit) in sorted(
            area_counts.items(), key=lambda item: _area_sort_key(areas, item[0])
        )
    ]


def _programme_figures(area_counts: dict[int | None, list], credit: float) -> dict:
    """The programme's summary: the per-area counts summed, with the credit `_area_counts` gave."""
    counts = area_counts.values()
    return figures(
        essential=sum(c[1] for c in counts),
        covered=sum(c[2] for c in counts),
        partial=sum(c[3] for c in counts),
        credit=credit,
        total=sum(c[0] for c in counts),
    )


def _area_sort_key(areas: Mapping[int, AreaIn], area_id: int | None) -> tuple:
    # Abilities without an area come last.
    if area_id is None or area_id not in areas:
        return (1,)
    return (0, *areas[area_id].sort_key)


def compute_report(programme: ProgrammeIn, catalogue: Catalogue) -> dict:
    """The coverage report of one programme, as a JSON-ready dict."""
    return _report(programme, _Prepared(catalogue))


def iter_reports(
    programmes: Iterable[ProgrammeIn], catalogue: Catalogue
) -> Iterator[tuple[int, dict]]:
    """(programme id, report) for many programmes sharing one catalogue, one at a time, so a
    caller can show progress."""
    prepared = _Prepared(catalogue)
    for programme in programmes:
        yield programme.id, _report(programme, prepared)


# Relation types as integers in the fingerprint (anything else the catalogue brings counts as 0).
_RELATION_CODES = {EXACT_MATCH: 1, RELATED: 2}
_ability_of = itemgetter(0)  # a requirement's ability id,
_min_level_of = itemgetter(1)  # its minimum level id
_importance_of = itemgetter(2)  # and its importance


def _packed(ints: list[int]) -> bytes:
    """The integers as native 64-bit values: the bytes of `array("q", ints)`, which converts each
    item through a format parser (an eighth of the fingerprints' instructions)."""
    return struct.pack(f"{len(ints)}q", *ints)


class Fingerprinter:
    """Digests of a programme's inputs: equal digests mean an identical report.

    Courses and positions are shared by many programmes, so each one's digest is computed once.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._courses: dict[int, bytes] = {}
        self._positions: dict[int, bytes] = {}
        self._crosswalks: dict[tuple, bytes] = {}
        self._ability_bytes: dict[tuple, dict[int, bytes]] = {}
        # The rule sets' views of the crosswalks and each ability's area, as the engine builds them.
        self._plans = _Prepared(catalogue)
        levels = sorted((lv.id, lv.code, lv.rank) for lv in catalogue.levels.values())
        self._shared = repr((ENGINE_VERSION, levels)).encode()

    # Ids are packed as 64-bit integers rather than repr()'d: three times faster over ~80k
    # requirements, and just as deterministic across processes.

    def _course(self, course_id: int) -> bytes:
        digest = self._courses.get(course_id)
        if digest is None:
            ints = [course_id]
            ints += chain.from_iterable(sorted(self.catalogue.courses[course_id].links))
            digest = hashlib.blake2b(_packed(ints), digest_size=16).digest()
            self._courses[course_id] = digest
        return digest

    def _position(self, position_id: int) -> bytes:
        digest = self._positions.get(position_id)
        if digest is None:
            requirements = self.catalogue.positions[position_id].requirements
            # After the position id, (ability, its area or -1, minimum level) per requirement,
            # laid out a column at a time through strided slices rather than a step per row.
            abilities = list(map(_ability_of, requirements))
            areas = list(map(self._plans.area_of.__getitem__, abilities))
            if None in areas:
                areas = [-1 if area_id is None else area_id for area_id in areas]
            ints = [position_id] * (1 + 3 * len(requirements))
            ints[1::3] = abilities
            ints[2::3] = areas
            ints[3::3] = map(_min_level_of, requirements)
            hasher = hashlib.blake2b(_packed(ints), digest_size=16)
            hasher.update("\0".join(map(_importance_of, requirements)).encode())
            digest = hasher.digest()
            self._positions[position_id] = digest
        return digest

    def _crosswalk(self, position_id: int, rules_key: tuple, plan: dict[int, tuple]) -> bytes:
        """What the rules let stand in for the position's required abilities (the relations of
        the counted types, the children when counted); empty when nothing does. Only what the
        rules count enters, so a programme's fingerprint never depends on what else is in the
        batch, and data the rules ignore never forces a rebuild."""
        key = (position_id, rules_key)
        digest = self._crosswalks.get(key)
        if digest is None:
            digest = b""
            requirements = self.catalogue.positions[position_id].requirements
            # The required abilities the plan has, filtered in C.
            found = set(filter(plan.__contains__, map(_ability_of, requirements)))
            if found:
                # One ability's packed integers once per rule set: it is required by many
                # positions. The digest is of their concatenation, in ability order.
                cache = self._ability_bytes.get(rules_key)
                if cache is None:
                    cache = self._ability_bytes[rules_key] = {}
                for ability_id in found.difference(cache):
                    matches, kids = plan[ability_id]
                    ints = [ability_id]
                    for other_id, relation in sorted(matches):
                        ints += (other_id, _RELATION_CODES.get(relation, 0))
                    ints.append(-1)
                    ints += sorted(kids)
                    ints.append(-2)
                    cache[ability_id] = _packed(ints)
                digest = hashlib.blake2b(
                    b"".join(map(cache.__getitem__, sorted(found))), digest_size=16
                ).digest()
            self._crosswalks[key] = digest
        return digest

    def fingerprint(self, programme: ProgrammeIn) -> str:
        hasher = hashlib.blake2b(self._shared, digest_size=32)
        hasher.update(repr(programme.id).encode())
        hasher.update(b"courses")
        for course_id in programme.course_ids:
            hasher.update(self._course(course_id))
        hasher.update(b"targets")
        for position_id in programme.target_ids:
            hasher.update(self._position(position_id))
        # Crosswalks and the rule set only enter when the rules count any for a required ability:
        # without them the report is what it always was, and so is its fingerprint.
        plan = self._plans.crosswalk_plan(programme.rules)
        if not plan:
            return hasher.hexdigest()
        rules_key = programme.rules.key()
        crosswalks = [
            self._crosswalk(position_id, rules_key, plan) for position_id in programme.target_ids
        ]
        if any(crosswalks):
            hasher.update(b"crosswalks" + repr(rules_key).encode())
            for digest in crosswalks:
                hasher.update(digest)
        return hasher.hexdigest()


def fingerprints(programmes: Iterable[ProgrammeIn], catalogue: Catalogue) -> dict[int, str]:
    """Inputs fingerprints of many programmes, keyed by programme id."""
    fingerprinter = Fingerprinter(catalogue)
    return {programme.id: fingerprinter.fingerprint(programme) for programme in programmes}
