"""A frozen copy of the coverage engine as it was before crosswalks (engine version 1, commit
90c9a24), kept as the oracle for test_coverage_crosswalks: with the rule set "exact matches only"
and no crosswalks the current engine must give exactly these reports and fingerprints. Do not
edit it to follow the engine."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

# Bump when the rules or the report's shape change: stored fingerprints then no longer match, so
# the next recompute rebuilds every report instead of skipping it as unchanged.
ENGINE_VERSION = 1

COVERED = "covered"
PARTIAL = "partial"
MISSING = "missing"
ESSENTIAL = "essential"
OPTIONAL = "optional"


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


@dataclass(frozen=True, slots=True)
class AbilityIn:
    id: int
    area_id: int | None = None


@dataclass(frozen=True, slots=True)
class CourseIn:
    """A course and every ability it builds, as (ability id, level id) pairs."""

    id: int
    links: tuple[tuple[int, int], ...] = ()


class RequirementIn(NamedTuple):
    """A named tuple, not a dataclass like the others: a full recompute builds ~80k of them,
    and a frozen dataclass took three times as long to make (40 ms more per recompute)."""

    ability_id: int
    min_level_id: int
    importance: str = ESSENTIAL


@dataclass(frozen=True, slots=True)
class PositionIn:
    id: int
    requirements: tuple[RequirementIn, ...] = ()


@dataclass(frozen=True, slots=True)
class ProgrammeIn:
    """A programme: its courses in programme order, and its target positions in display order."""

    id: int
    course_ids: tuple[int, ...] = ()
    target_ids: tuple[int, ...] = ()


@dataclass(slots=True)
class Catalogue:
    """Everything the programmes being computed refer to, keyed by id."""

    levels: Mapping[int, LevelIn]
    abilities: Mapping[int, AbilityIn]
    courses: Mapping[int, CourseIn]
    positions: Mapping[int, PositionIn]
    areas: Mapping[int, AreaIn] = field(default_factory=dict)


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
        self._requirements: dict[int, tuple] = {}
        self._links: dict[int, tuple] = {}

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

    def links(self, course_id: int) -> tuple:
        """(ability id, rank, explanation entry [course id, level code]) per link of the course.

        The entry is built once and shared by every report that cites the course.
        """
        prepared = self._links.get(course_id)
        if prepared is None:
            rank_of, code_of = self.rank_of, self.code_of
            prepared = tuple(
                (ability_id, rank_of[level_id], [course_id, code_of[level_id]])
                for ability_id, level_id in self.catalogue.courses[course_id].links
            )
            self._links[course_id] = prepared
        return prepared


# One shared empty explanation: reports are built, stored and never mutated in place.
_NOT_LINKED = (0, None, [])


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
    contributions, used_courses = _contributions(programme, prepared, _required(targets))
    best_get = _best_levels(contributions).get
    # Ability id -> [strictest minimum rank, required as essential by any target], filled by
    # the position phase: the programme's figures count each ability once, at its strictest.
    strictest: dict[int, list] = {}
    positions = [
        _position_report(position_id, requirements, best_get, strictest)
        for position_id, requirements in targets
    ]
    area_counts = _area_counts(strictest, best_get, prepared.catalogue.abilities)
    return {
        "engine_version": ENGINE_VERSION,
        "program": programme.id,
        **_programme_figures(area_counts, strictest, best_get),
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
    place in the programme, explanation entry), in one pass over the programme's links; and the
    courses that bring anything (the others are reported unused)."""
    contributions: dict[int, list] = {}
    used_courses: set[int] = set()
    for order, course_id in enumerate(programme.course_ids):
        for ability_id, rank, entry in prepared.links(course_id):
            if ability_id in required:
                used_courses.add(course_id)
                found = contributions.get(ability_id)
                if found is None:
                    contributions[ability_id] = [(-rank, order, entry)]
                else:
                    found.append((-rank, order, entry))
    return contributions, used_courses


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
    not_linked = _NOT_LINKED[2]
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
    strictest: dict[int, list], best_get, abilities: Mapping[int, AbilityIn]
) -> dict[int | None, list]:
    """Per competency area: [total, essential, covered, partial, credit] over the programme's
    distinct abilities, each judged against its strictest minimum."""
    area_counts: dict[int | None, list] = {}
    for ability_id, (min_rank, essential) in strictest.items():
        area_id = abilities[ability_id].area_id
        counts = area_counts.get(area_id)
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
        else:
            counts[3] += 1
            counts[4] += best_rank / min_rank
    return area_counts


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


def _programme_figures(
    area_counts: dict[int | None, list], strictest: dict[int, list], best_get
) -> dict:
    """The programme's summary: the per-area counts summed, and the credit summed per ability in
    the order of `strictest` (not per area), as it always was, so the float stays bit-identical."""
    credit = 0.0
    for ability_id, (min_rank, essential) in strictest.items():
        if essential:
            found = best_get(ability_id)
            if found is not None:
                credit += 1.0 if found[0] >= min_rank else found[0] / min_rank
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
        return (1, 0, "", 0)
    area = areas[area_id]
    return (0, area.order, area.code, area.id)


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


class Fingerprinter:
    """Digests of a programme's inputs: equal digests mean an identical report.

    Courses and positions are shared by many programmes, so each one's digest is computed once.
    """

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._courses: dict[int, bytes] = {}
        self._positions: dict[int, bytes] = {}
        levels = sorted((lv.id, lv.code, lv.rank) for lv in catalogue.levels.values())
        self._shared = repr((ENGINE_VERSION, levels)).encode()

    # Ids are packed as 64-bit integers rather than repr()'d: three times faster over ~80k
    # requirements, and just as deterministic across processes.

    def _course(self, course_id: int) -> bytes:
        digest = self._courses.get(course_id)
        if digest is None:
            ints = [course_id]
            for ability_id, level_id in sorted(self.catalogue.courses[course_id].links):
                ints += (ability_id, level_id)
            digest = hashlib.blake2b(array("q", ints).tobytes(), digest_size=16).digest()
            self._courses[course_id] = digest
        return digest

    def _position(self, position_id: int) -> bytes:
        digest = self._positions.get(position_id)
        if digest is None:
            abilities = self.catalogue.abilities
            requirements = self.catalogue.positions[position_id].requirements
            ints = [position_id]
            for r in requirements:
                area_id = abilities[r.ability_id].area_id
                ints += (r.ability_id, -1 if area_id is None else area_id, r.min_level_id)
            hasher = hashlib.blake2b(array("q", ints).tobytes(), digest_size=16)
            hasher.update("\0".join([r.importance for r in requirements]).encode())
            digest = hasher.digest()
            self._positions[position_id] = digest
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
        return hasher.hexdigest()


def fingerprints(programmes: Iterable[ProgrammeIn], catalogue: Catalogue) -> dict[int, str]:
    """Inputs fingerprints of many programmes, keyed by programme id."""
    fingerprinter = Fingerprinter(catalogue)
    return {programme.id: fingerprinter.fingerprint(programme) for programme in programmes}
