"""What-if scenarios on plain inputs: a programme's report before and after a change. No Django.

It answers on the coverage engine's own inputs (`curricula.coverage.engine`) and calls its public
`compute_report`, so a what-if is the very report a recompute would store after the same change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from curricula.coverage.engine import (
    COVERED,
    MISSING,
    PARTIAL,
    Catalogue,
    CourseIn,
    ProgrammeIn,
    compute_report,
)

# Statuses from worst to best: a change of rank is a requirement getting better or worse.
_RANK = {MISSING: 0, PARTIAL: 1, COVERED: 2}


@dataclass(frozen=True, slots=True)
class Scenario:
    """Courses to add to and remove from a programme, links to set (level id) or remove (level
    None), and target positions to add and remove. Added courses go to the end of the
    programme, added targets after its targets, both in the order given."""

    add_course_ids: tuple[int, ...] = ()
    remove_course_ids: tuple[int, ...] = ()
    links: tuple[tuple[int, int, int | None], ...] = ()
    add_target_ids: tuple[int, ...] = ()
    remove_target_ids: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.add_course_ids
            or self.remove_course_ids
            or self.links
            or self.add_target_ids
            or self.remove_target_ids
        )


def apply_scenario(
    programme: ProgrammeIn, catalogue: Catalogue, scenario: Scenario
) -> tuple[ProgrammeIn, Catalogue]:
    """The programme and catalogue as they would be after the scenario; the inputs are untouched.

    `catalogue.courses` must hold every course the scenario adds or links, and
    `catalogue.positions` (with their abilities) every target it adds.
    """
    removed = set(scenario.remove_course_ids)
    present = set(programme.course_ids)
    course_ids = [cid for cid in programme.course_ids if cid not in removed]
    course_ids += [cid for cid in dict.fromkeys(scenario.add_course_ids) if cid not in present]
    untargeted = set(scenario.remove_target_ids)
    targeted = set(programme.target_ids)
    target_ids = [pid for pid in programme.target_ids if pid not in untargeted]
    target_ids += [pid for pid in dict.fromkeys(scenario.add_target_ids) if pid not in targeted]

    courses = dict(catalogue.courses)
    changes: dict[int, dict[int, int | None]] = {}
    for course_id, ability_id, level_id in scenario.links:
        changes.setdefault(course_id, {})[ability_id] = level_id
    for course_id, change in changes.items():
        links = dict(courses[course_id].links)
        for ability_id, level_id in change.items():
            if level_id is None:
                links.pop(ability_id, None)
            else:
                links[ability_id] = level_id
        courses[course_id] = CourseIn(course_id, tuple(links.items()))
    return (
        replace(programme, course_ids=tuple(course_ids), target_ids=tuple(target_ids)),
        replace(catalogue, courses=courses),
    )


_FIGURES = ("percent", "score", "covered", "partial", "missing")


def figures_of(source: Mapping) -> dict:
    """The headline figures of a report (or of one position or area in it)."""
    return {key: source[key] for key in _FIGURES}


def _position_diff(position_id: int, before: Mapping | None, after: Mapping | None) -> dict:
    """One target's figures before and after, and its requirements whose status or best level
    changes. A target the scenario adds (`before` None) lists its requirements that would not
    be covered, as new gaps; one it removes (`after` None) lists none."""
    changes = []
    if after is not None:
        before_rows = {row[0]: (row[3], row[2]) for row in before["requirements"]} if before else {}
        for row in after["requirements"]:
            new_status, new_best = row[3], row[2]
            if before is None:
                if new_status == COVERED:
                    continue
                old = None
            else:
                old_status, old_best = before_rows[row[0]]
                if (old_status, old_best) == (new_status, new_best):
                    continue
                old = {"status": old_status, "best_level": old_best}
            step = _RANK[new_status] - _RANK[old["status"]] if old is not None else 0
            changes.append(
                {
                    "ability": row[0],
                    "importance": row[4],
                    "min_level": row[1],
                    "before": old,
                    "after": {"status": new_status, "best_level": new_best},
                    "closed": old is not None
                    and old["status"] != COVERED
                    and new_status == COVERED,
                    "opened": old is not None
                    and old["status"] == COVERED
                    and new_status != COVERED,
                    "better": step > 0,
                    "worse": step < 0,
                }
            )
    return {
        "position": position_id,
        "target": "added" if before is None else "removed" if after is None else "kept",
        "before": figures_of(before) if before is not None else None,
        "after": figures_of(after) if after is not None else None,
        "changes": changes,
    }


def diff_reports(
    before: Mapping, after: Mapping, area_of: Mapping[int, int | None] | None = None
) -> dict:
    """What changes between two reports of one programme: the summary figures; per target
    position (those of either report: `target` says whether it is kept, added or removed) its
    figures and the requirements whose status or best level changes (an added target's
    uncovered ones); per competency area its figures and (given `area_of`, ability id to area
    id) the abilities whose requirements change. An area is listed when either changes.
    `changed` counts the requirement rows listed (of every target, essential or optional);
    `better` and `worse` those among them whose status (missing < partial < covered) rises or
    falls, and `closed` and `opened` those crossing into or out of covered. A target the scenario
    adds or removes has no status before or after, so its rows count in none of these.
    """
    positions_before = {position["position"]: position for position in before["positions"]}
    positions_after = {position["position"]: position for position in after["positions"]}
    positions = [
        _position_diff(pid, positions_before.get(pid), positions_after.get(pid))
        for pid in dict.fromkeys([*positions_before, *positions_after])
    ]
    areas_before = {area["area"]: area for area in before["areas"]}
    areas_after = {area["area"]: area for area in after["areas"]}
    changed_in: dict[int | None, list[int]] = {}
    if area_of is not None:
        for position in positions:
            for change in position["changes"]:
                listed = changed_in.setdefault(area_of.get(change["ability"]), [])
                if change["ability"] not in listed:
                    listed.append(change["ability"])
    areas = []
    for area_id in dict.fromkeys([*areas_before, *areas_after]):
        old, new = areas_before.get(area_id), areas_after.get(area_id)
        abilities = changed_in.get(area_id, [])
        if old is None or new is None or figures_of(old) != figures_of(new) or abilities:
            areas.append(
                {
                    "area": area_id,
                    "before": figures_of(old) if old else None,
                    "after": figures_of(new) if new else None,
                    "abilities": abilities,
                }
            )
    return {
        "before": figures_of(before),
        "after": figures_of(after),
        "positions": positions,
        "areas": areas,
        "changed": sum(len(p["changes"]) for p in positions),
        "closed": sum(c["closed"] for p in positions for c in p["changes"]),
        "opened": sum(c["opened"] for p in positions for c in p["changes"]),
        "better": sum(c["better"] for p in positions for c in p["changes"]),
        "worse": sum(c["worse"] for p in positions for c in p["changes"]),
    }


def what_if(programme: ProgrammeIn, catalogue: Catalogue, scenario: Scenario) -> dict:
    """The current report, the report after the scenario, and their difference."""
    before = compute_report(programme, catalogue)
    changed_programme, changed_catalogue = apply_scenario(programme, catalogue, scenario)
    after = compute_report(changed_programme, changed_catalogue)
    # Reports name an ability's area only through the catalogue; abilities it lacks have none.
    area_of = {ability.id: ability.area_id for ability in catalogue.abilities.values()}
    area_of = {k: (v if v in catalogue.areas else None) for k, v in area_of.items()}
    return {"before": before, "after": after, "diff": diff_reports(before, after, area_of)}
