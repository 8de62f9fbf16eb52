"""Reads for decision support: check a scenario against the database, load the engine's inputs
(through `coverage_inputs`, the real report's own loader) plus the catalogue courses a question
needs, run the pure cores (`whatif`, `cover`), and dress its ids with current names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Window
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.i18n import localized
from curricula.coverage.engine import (
    REQUIREMENT_FIELDS,
    AbilityIn,
    Catalogue,
    CourseIn,
    PositionIn,
    ProgrammeIn,
    RequirementIn,
    compute_report,
)
from curricula.coverage.selectors import CrosswalkRelations, coverage_inputs
from curricula.decisions import cover, whatif
from curricula.models import Course, CourseAbility, Programme
from curricula.selectors.programmes import suggested_for_requirement
from positions.models import Ability, CompetencyArea, Position, Requirement

Inputs = tuple[ProgrammeIn, Catalogue]


def programme_inputs(
    *,
    programme: Programme,
    inputs: Inputs | None = None,
    relations: CrosswalkRelations | None = None,
    area_names: dict[int, tuple[str, str, str]] | None = None,
) -> Inputs:
    """The coverage engine's inputs for one programme, exactly as a recompute loads them (six
    queries: its rule set is taken from `programme`, loaded already); `inputs` already loaded
    for it are passed through, so one page loads them once. `relations`: the programme's
    (programme_relations), which the page reads again later; `area_names`, given empty, is
    filled with the competency areas' names from the same read (coverage_inputs), for
    decision_reads."""
    if inputs is not None:
        return inputs
    programmes, catalogue = coverage_inputs(
        programme=programme, relations=relations, area_names=area_names
    )
    return programmes[0], catalogue


def inputs_and_reads(
    *, programme: Programme, relations: CrosswalkRelations | None = None
) -> tuple[Inputs, DecisionReads]:
    """The programme's engine inputs (programme_inputs) and the reads its answer's names share
    (decision_reads), the competency areas' names taken from the inputs' read of them, not read
    again: what a decide page and the decision endpoints start from."""
    areas: dict[int, tuple[str, str, str]] = {}
    inputs = programme_inputs(programme=programme, relations=relations, area_names=areas)
    return inputs, decision_reads(inputs=inputs, areas=areas)


def target_names(*, programme_in: ProgrammeIn, also: Iterable[int] = ()) -> dict[int, str]:
    """The programme's target positions' names in the reader's language, by id, and those of
    the positions `also` names that exist (a scenario's targets added or removed): one query,
    read once for a page that shows its recommendations, its scenario's choices and its
    what-if."""
    return {
        pk: localized(name, name_zh)
        for pk, name, name_zh in Position.objects.filter(
            pk__in={*programme_in.target_ids, *also}
        ).values_list("pk", "name", "name_zh")
    }


class DecisionReads:
    """What the parts of one decide page (its recommendations, its what-if preview, its
    scenario's choices) each read of the same tables, read once for all: the names of the
    abilities, of the competency areas and of the courses, and the links of catalogue courses
    brought in (the course recommended, the course the scenario adds: often the same one).
    Each part read its own, so a preview sent the names' statements twice. Made for one
    request's reads, as CrosswalkRelations: never kept where a write could leave it stale.

    `abilities`: those the page names (the targets' required abilities), read together with
    any other the first part to ask names: one query for them all. `courses` likewise: the
    programme's, which the scenario's choices list and the other parts name beside catalogue
    courses."""

    def __init__(
        self,
        *,
        abilities: Iterable[int] = (),
        courses: Iterable[int] = (),
        areas: dict[int, tuple[str, str, str]] | None = None,
    ) -> None:
        self._wanted = set(abilities)
        self._abilities: dict[int, tuple[str, str, str]] = {}
        self._named: set[int] = set()
        self._wanted_courses = set(courses)
        self._courses: dict[int, tuple[str, str, str, Any]] = {}
        self._courses_named: set[int] = set()
        # Read already with the page's inputs (as areas() reads them), or None: read when asked.
        self._areas: dict[int, tuple[str, str, str]] | None = areas
        self._links: dict[int, CourseIn] = {}

    def abilities(self, ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
        """Per ability of `ids` that exists: (code, text, text_zh), in the abilities' display
        order (those read first, then any read later). The first call reads them with those
        given at the start: one query, and none after for those; one for any other id."""
        ids = set(ids)
        missing = (ids | self._wanted) - self._named
        self._wanted = set()
        if missing:
            self._named.update(missing)
            for pk, code, text, text_zh in (
                Ability.objects.filter(pk__in=missing)
                .order_by("framework_id", "order", "code", "id")
                .values_list("pk", "code", "text", "text_zh")
            ):
                self._abilities[pk] = (code, text, text_zh)
        # In display order for those of the first read (a later one's come after them).
        return {pk: row for pk, row in self._abilities.items() if pk in ids}

    def courses(self, ids: Iterable[int]) -> dict[int, tuple[str, str, str, Any]]:
        """Per course of `ids` that exists: (code, title, title_zh, credits). The first call
        reads them with those given at the start: one query, and none after for those; one
        for any other id."""
        ids = set(ids)
        missing = (ids | self._wanted_courses) - self._courses_named
        self._wanted_courses = set()
        if missing:
            self._courses_named.update(missing)
            for pk, code, title, title_zh, credits in Course.objects.filter(
                pk__in=missing
            ).values_list("pk", "code", "title", "title_zh", "credits"):
                self._courses[pk] = (code, title, title_zh, credits)
        return {pk: row for pk, row in self._courses.items() if pk in ids}

    def areas(self) -> dict[int, tuple[str, str, str]]:
        """Every competency area: (code, name, name_zh), in display order. One query the first
        time, none after."""
        if self._areas is None:
            self._areas = {
                pk: (code, name, name_zh)
                for pk, code, name, name_zh in CompetencyArea.objects.values_list(
                    "pk", "code", "name", "name_zh"
                )
            }
        return self._areas

    def course_links(self, course_ids: Iterable[int]) -> dict[int, CourseIn]:
        """Engine inputs of the given courses with all their links: one query for those not
        read yet, none when all were."""
        wanted = list(dict.fromkeys(course_ids))
        missing = [pk for pk in wanted if pk not in self._links]
        if missing:
            links: dict[int, list[tuple[int, int]]] = {pk: [] for pk in missing}
            for course_id, ability_id, level_id in CourseAbility.objects.filter(
                course_id__in=missing
            ).values_list("course_id", "ability_id", "level_id"):
                links[course_id].append((ability_id, level_id))
            self._links.update({pk: CourseIn(pk, tuple(found)) for pk, found in links.items()})
        return {pk: self._links[pk] for pk in wanted}


def decision_reads(
    *, inputs: Inputs, areas: dict[int, tuple[str, str, str]] | None = None
) -> DecisionReads:
    """The reads one decide page shares, naming every ability its programme's targets
    require and every course it teaches (`inputs`: the programme's), and the competency areas
    as `areas` names them, read with the inputs (programme_inputs' `area_names`). No query
    until they are needed."""
    # Empty: none read (inputs passed through), or no area at all, read again for nothing.
    return DecisionReads(
        abilities=inputs[1].abilities, courses=inputs[0].course_ids, areas=areas or None
    )


def _courses_in(
    course_ids: Iterable[int], reads: DecisionReads | None = None
) -> dict[int, CourseIn]:
    """Engine inputs of the given courses with all their links, in one query (none for those
    `reads` read already)."""
    return (reads or DecisionReads()).course_links(course_ids)


class _Names:
    """Current names for ids, each kind fetched in one query on first use (the abilities',
    areas' and courses' through `reads`, the page's, when given)."""

    def __init__(
        self,
        *,
        positions: Iterable[int] = (),
        abilities: Iterable[int] = (),
        courses: Iterable[int] = (),
        position_names: dict[int, str] | None = None,
        reads: DecisionReads | None = None,
    ) -> None:
        self.reads = reads or DecisionReads()
        # Names in the reader's language (core.i18n); `position_names`, read already, are taken
        # as they are, and only the positions they lack are read.
        known = position_names or {}
        missing = set(positions) - known.keys()
        self.positions = {
            **known,
            **{
                pk: localized(name, name_zh)
                for pk, name, name_zh in (
                    Position.objects.filter(pk__in=missing).values_list("pk", "name", "name_zh")
                    if missing
                    else ()
                )
            },
        }
        abilities = set(abilities)
        self.abilities = {
            pk: {"id": pk, "code": code, "text": localized(text, text_zh)}
            for pk, (code, text, text_zh) in (
                self.reads.abilities(abilities).items() if abilities else ()
            )
        }
        courses = set(courses)
        self.courses = {
            pk: {"id": pk, "code": code, "title": localized(title, title_zh), "credits": credits}
            for pk, (code, title, title_zh, credits) in (
                self.reads.courses(courses).items() if courses else ()
            )
        }
        self._areas: dict[int, dict] | None = None

    def position(self, pk: int) -> dict:
        return {"id": pk, "name": self.positions.get(pk, "")}

    def ability(self, pk: int) -> dict:
        return self.abilities.get(pk) or {"id": pk, "code": "", "text": ""}

    def course(self, pk: int) -> dict:
        return self.courses.get(pk) or {"id": pk, "code": "", "title": "", "credits": None}

    @property
    def areas(self) -> dict[int, dict]:
        # Read when first named: a scenario applied names courses alone.
        if self._areas is None:
            self._areas = {
                pk: {"id": pk, "code": code, "name": localized(name, name_zh)}
                for pk, (code, name, name_zh) in self.reads.areas().items()
            }
        return self._areas

    def area(self, pk: int | None) -> dict | None:
        return self.areas.get(pk) if pk is not None else None


def _report_ids(report: Mapping) -> tuple[set[int], set[int], set[int]]:
    positions, abilities, courses = set(), set(), set(report["unused_courses"])
    for position in report["positions"]:
        positions.add(position["position"])
        for row in position["requirements"]:
            abilities.add(row[0])
            for entry in row[5]:
                courses.add(entry[0])
                if len(entry) > 2:
                    # A crosswalked entry: [course, level, via ability, relation]; the page
                    # and the API name the ability the course builds.
                    abilities.add(entry[2])
    return positions, abilities, courses


def _dress_report(report: Mapping, names: _Names) -> dict[str, Any]:
    positions = []
    for position in report["positions"]:
        requirements = []
        for row in position["requirements"]:
            item = dict(zip(REQUIREMENT_FIELDS, row, strict=True))
            item["ability"] = names.ability(item["ability"])
            # A crosswalked entry carries [via ability id, relation] after the course and level.
            item["courses"] = [
                {
                    "course": names.course(entry[0]),
                    "level": entry[1],
                    "via": {"ability": names.ability(entry[2]), "relation": entry[3]}
                    if len(entry) > 2
                    else None,
                }
                for entry in item["courses"]
            ]
            item["direct"] = any(c["via"] is None for c in item["courses"])
            requirements.append(item)
        positions.append(
            {
                **position,
                "position": names.position(position["position"]),
                "requirements": requirements,
            }
        )
    return {
        **{key: report[key] for key in ("percent", "score", "total", "essential")},
        **{key: report[key] for key in ("covered", "partial", "missing")},
        "positions": positions,
        "areas": [{**area, "area": names.area(area["area"])} for area in report["areas"]],
        "unused_courses": [names.course(pk) for pk in report["unused_courses"]],
    }


def _positions_in(
    position_ids: Iterable[int], abilities: Mapping[int, AbilityIn]
) -> tuple[dict[int, PositionIn], dict[int, AbilityIn]]:
    """Engine inputs of the given positions with their requirements, as `coverage_inputs` loads
    a target's, and the abilities they add to `abilities`; one query."""
    requirements: dict[int, list[RequirementIn]] = {pk: [] for pk in position_ids}
    added: dict[int, AbilityIn] = {}
    for position_id, ability_id, min_level_id, importance, area_id in (
        Requirement.objects.filter(position_id__in=list(requirements))
        .order_by("position_id", "order", "id")
        .values_list("position_id", "ability_id", "min_level_id", "importance", "ability__area_id")
    ):
        requirements[position_id].append(RequirementIn(ability_id, min_level_id, importance))
        if ability_id not in abilities and ability_id not in added:
            added[ability_id] = AbilityIn(ability_id, area_id)
    positions = {pk: PositionIn(pk, tuple(rows)) for pk, rows in requirements.items()}
    return positions, added


def scenario_catalogue(
    *, catalogue: Catalogue, scenario: whatif.Scenario, reads: DecisionReads | None = None
) -> Catalogue:
    """`catalogue` plus what the scenario brings in that a programme's inputs lack: the courses
    it adds or links (with all their links) and the targets it adds (with their requirements
    and abilities). At most two queries, none when nothing is missing (or `reads`, the
    page's, hold the courses' links)."""
    outside = {
        pk
        for pk in (*scenario.add_course_ids, *(c for c, _a, _l in scenario.links))
        if pk not in catalogue.courses
    }
    if outside:
        catalogue = replace(catalogue, courses={**catalogue.courses, **_courses_in(outside, reads)})
    new_targets = [pk for pk in scenario.add_target_ids if pk not in catalogue.positions]
    if new_targets:
        positions, abilities = _positions_in(new_targets, catalogue.abilities)
        catalogue = replace(
            catalogue,
            positions={**catalogue.positions, **positions},
            abilities={**catalogue.abilities, **abilities},
        )
    return catalogue


def scenario_inputs(
    *, programme: Programme, scenario: whatif.Scenario, inputs: Inputs | None = None
) -> Inputs:
    """The engine's inputs as they would be after the (checked) scenario: what a question
    about the changed programme (recommendations for a new target) is asked on."""
    programme_in, catalogue = programme_inputs(programme=programme, inputs=inputs)
    return whatif.apply_scenario(
        programme_in, scenario_catalogue(catalogue=catalogue, scenario=scenario), scenario
    )


def what_if_reports(
    *,
    programme: Programme,
    scenario: whatif.Scenario,
    inputs: Inputs | None = None,
    reads: DecisionReads | None = None,
) -> tuple[dict, Catalogue]:
    """`whatif.what_if` (before, after, diff) on the programme's inputs as a recompute loads them,
    plus the courses and targets the scenario brings in; and the catalogue used."""
    programme_in, catalogue = programme_inputs(programme=programme, inputs=inputs)
    catalogue = scenario_catalogue(catalogue=catalogue, scenario=scenario, reads=reads)
    return whatif.what_if(programme_in, catalogue, scenario), catalogue


# What a cell change on a course outside the programme after the scenario says, by why it is
# outside and whether the scenario was applied.
_LINK_OUTSIDE_MESSAGES = {
    ("removed", False): gettext_lazy(
        "%(code)s is removed in this scenario: its cell change counts for none of the "
        "programme's requirements, and applying writes the link to the catalogue course only."
    ),
    ("not_in_programme", False): gettext_lazy(
        "%(code)s is not in the programme: its cell change counts for none of the programme's "
        "requirements, and applying writes the link to the catalogue course only; to count it, "
        "add the course in the same scenario."
    ),
    ("removed", True): gettext_lazy(
        "%(code)s was removed from the programme: the link was written to the catalogue course "
        "only."
    ),
    ("not_in_programme", True): gettext_lazy(
        "%(code)s is not in the programme: the link was written to the catalogue course only."
    ),
}


def _links_outside(
    *, programme_in: Any, scenario: whatif.Scenario, names: _Names, applied: bool
) -> list[dict[str, Any]]:
    """The courses whose cell changes count for none of the programme's requirements: not in
    the programme after the scenario (never in it, or removed by it). Their links are still
    the catalogue's to change, so applying writes them; the designer is told, once a course."""
    removed = set(scenario.remove_course_ids)
    kept = (set(programme_in.course_ids) | set(scenario.add_course_ids)) - removed
    outside = []
    for course_id in dict.fromkeys(course_id for course_id, _a, _l in scenario.links):
        if course_id in kept:
            continue
        course = names.course(course_id)
        reason = "removed" if course_id in removed else "not_in_programme"
        message = _LINK_OUTSIDE_MESSAGES[reason, applied]
        outside.append(
            {
                "course": course,
                "reason": reason,
                "message": str(message) % {"code": course["code"] or course["title"]},
            }
        )
    return outside


def scenario_links_outside(
    *, programme_in: Any, scenario: whatif.Scenario, applied: bool = False
) -> list[dict[str, Any]]:
    """`what_if_detail`'s `links_outside` alone (a page applying the scenario says them)."""
    names = _Names(courses={course_id for course_id, _a, _l in scenario.links})
    return _links_outside(
        programme_in=programme_in, scenario=scenario, names=names, applied=applied
    )


def what_if_detail(
    *,
    programme: Programme,
    scenario: whatif.Scenario,
    inputs: Inputs | None = None,
    applied: bool = False,
    position_names: dict[int, str] | None = None,
    reads: DecisionReads | None = None,
) -> dict[str, Any]:
    """The report the programme would have after the (checked) scenario, and its difference from
    the current one, with names; nothing is saved. Same inputs and engine as a recompute.
    `links_outside`: the cell changes on courses outside the programme after the scenario, each
    course with a sentence saying so (worded as done when `applied`). `position_names`: the
    names the page read already (target_names), of its targets and the scenario's; `reads`:
    what the page's other parts read of the same tables (decision_reads)."""
    inputs = programme_inputs(programme=programme, inputs=inputs)
    answer, catalogue = what_if_reports(
        programme=programme, scenario=scenario, inputs=inputs, reads=reads
    )
    after, diff = answer["after"], answer["diff"]
    positions, abilities, courses = _report_ids(after)
    courses.update(scenario.add_course_ids, scenario.remove_course_ids)
    courses.update(course_id for course_id, _a, _l in scenario.links)
    positions.update(scenario.add_target_ids, scenario.remove_target_ids)
    names = _Names(
        positions=positions,
        abilities=abilities,
        courses=courses,
        position_names=position_names,
        reads=reads,
    )
    return {
        "program": {"id": programme.pk, "name": programme.display_name},
        "scenario": {
            "add_courses": [names.course(pk) for pk in scenario.add_course_ids],
            "remove_courses": [names.course(pk) for pk in scenario.remove_course_ids],
            "links": [
                {
                    "course": course_id,
                    "ability": ability_id,
                    "level": catalogue.levels[level_id].code if level_id else None,
                }
                for course_id, ability_id, level_id in scenario.links
            ],
            "add_targets": [names.position(pk) for pk in scenario.add_target_ids],
            "remove_targets": [names.position(pk) for pk in scenario.remove_target_ids],
        },
        "report": _dress_report(after, names),
        "links_outside": _links_outside(
            programme_in=inputs[0], scenario=scenario, names=names, applied=applied
        ),
        "diff": {
            **diff,
            "positions": [
                {
                    **position,
                    "position": names.position(position["position"]),
                    "changes": [
                        {**change, "ability": names.ability(change["ability"])}
                        for change in position["changes"]
                    ],
                }
                for position in diff["positions"]
            ],
            "areas": [
                {
                    **area,
                    "area": names.area(area["area"]),
                    "abilities": [names.ability(pk) for pk in area["abilities"]],
                }
                for area in diff["areas"]
            ],
        },
    }


def _candidates(
    gaps: list[cover.Gap], programme_in: ProgrammeIn
) -> tuple[dict[int, CourseIn], dict[int, float | None]]:
    """Catalogue courses outside the programme linking a gap's ability at or above some gap's
    minimum (the only ones that can close anything), with those links and their credits.

    One query over the (ability, course) index, however large the catalogue.
    """
    lowest = {}
    for gap in gaps:
        lowest[gap.ability_id] = min(gap.min_rank, lowest.get(gap.ability_id, gap.min_rank))
    links: dict[int, list[tuple[int, int]]] = {}
    credits: dict[int, float | None] = {}
    rows = (
        CourseAbility.objects.filter(ability_id__in=list(lowest))
        .exclude(course_id__in=list(programme_in.course_ids))
        .values_list("course_id", "ability_id", "level_id", "level__rank", "course__credits")
    )
    for course_id, ability_id, level_id, rank, course_credits in rows:
        if rank >= lowest[ability_id]:
            links.setdefault(course_id, []).append((ability_id, level_id))
            credits[course_id] = float(course_credits) if course_credits is not None else None
    return {pk: CourseIn(pk, tuple(found)) for pk, found in links.items()}, credits


def recommendations_detail(
    *,
    programme: Programme,
    budget: float | None = None,
    position_id: int | None = None,
    area_id: int | None = None,
    exact_limit: int = cover.EXACT_LIMIT,
    inputs: Inputs | None = None,
    position_names: dict[int, str] | None = None,
    reads: DecisionReads | None = None,
) -> dict[str, Any]:
    """Catalogue courses to add that close the programme's essential gaps most cheaply, with the
    gaps each closes, the requirements no catalogue course reaches (grouped by area, with the
    positions needing them and the programme's courses reaching them below the level), the
    method and its guarantee, and the figures before and after.

    A ValidationError names the field when `position` is not a target or `area` is unknown.
    `position_names`: the targets' names (target_names), when the page read them already;
    `reads`: what the page's other parts read of the same tables (decision_reads).
    """
    programme_in, catalogue = programme_inputs(programme=programme, inputs=inputs)
    if position_id is not None and position_id not in programme_in.target_ids:
        raise ValidationError({"position": _("Not a target position of this programme.")})
    # The inputs read every competency area: no query to check one.
    if area_id is not None and area_id not in catalogue.areas:
        raise ValidationError(
            {"area": _("No competency area has the id %(id)s.") % {"id": area_id}}
        )
    report = compute_report(programme_in, catalogue)
    gaps = cover.gaps_of(
        programme_in, catalogue, report=report, position_id=position_id, area_id=area_id
    )
    candidates, credits = _candidates(gaps, programme_in)
    answer = cover.recommend(
        programme_in,
        catalogue,
        candidates,
        credits,
        budget=budget,
        position_id=position_id,
        area_id=area_id,
        exact_limit=exact_limit,
        report=report,
    )
    chosen = [item["course"] for item in answer["courses"]]
    after = (
        cover.coverage_after(programme_in, catalogue, _courses_in(chosen, reads))
        if chosen
        else report
    )

    needed: dict[int | None, dict[int, dict]] = {}
    for gap in answer["new_course_needed"]:
        by_ability = needed.setdefault(gap.area_id, {})
        entry = by_ability.setdefault(
            gap.ability_id,
            {"ability": gap.ability_id, "min_level": gap.min_level_id, "positions": []},
        )
        if catalogue.levels[gap.min_level_id].rank > catalogue.levels[entry["min_level"]].rank:
            entry["min_level"] = gap.min_level_id
        entry["positions"].append(gap.position_id)

    reached = _reached_by(report, {gap.ability_id for gap in answer["new_course_needed"]})
    names = _Names(
        positions=programme_in.target_ids,
        position_names=position_names,
        abilities={gap.ability_id for gap in gaps},
        courses=[*chosen, *(cid for found in reached.values() for cid, _level in found)],
        reads=reads,
    )
    area_order = {a.id: (0, *a.sort_key) for a in catalogue.areas.values()}
    min_code = {gap.ability_id: catalogue.levels[gap.min_level_id].code for gap in gaps}
    return {
        "program": {"id": programme.pk, "name": programme.display_name},
        **{
            key: answer[key]
            for key in (
                "method",
                "proven_optimal",
                "bound",
                "candidates",
                "cost_unit",
                "budget",
                "cost",
                "gaps",
                "closable",
                "closed",
                "before",
            )
        },
        "position": position_id,
        "area": area_id,
        "after": whatif.figures_of(after),
        "courses": [
            {
                "course": names.course(item["course"]),
                "cost": item["cost"],
                "closes": [
                    {
                        "position": names.position(pid),
                        "ability": names.ability(aid),
                        "min_level": min_code[aid],
                    }
                    for pid, aid in item["closes"]
                ],
            }
            for item in answer["courses"]
        ],
        "left_open": [
            {"position": names.position(pid), "ability": names.ability(aid)}
            for pid, aid in answer["left_open"]
        ],
        "new_course_needed": [
            {
                "area": names.area(area),
                "requirements": [
                    {
                        "ability": names.ability(entry["ability"]),
                        "min_level": catalogue.levels[entry["min_level"]].code,
                        "positions": [names.position(pid) for pid in entry["positions"]],
                        # A partial gap: raising one of these courses to the level closes it.
                        "best_level": reached[entry["ability"]][0][1]
                        if reached.get(entry["ability"])
                        else None,
                        "reached_by": [
                            {"course": names.course(cid), "level": code}
                            for cid, code in reached.get(entry["ability"], ())
                        ],
                    }
                    for entry in by_ability.values()
                ],
            }
            for area, by_ability in sorted(
                needed.items(),
                key=lambda item: area_order.get(item[0], (1,)),
            )
        ],
    }


def needed_split(answer: Mapping) -> tuple[list[dict], list[dict]]:
    """The recommendations' `new_course_needed` groups split in two, by area as they are: the
    partial gaps, which a course of the programme reaches below the level (raising it closes
    them), and those no course of the programme builds, which need a new course."""
    to_raise, new_course = [], []
    for group in answer["new_course_needed"]:
        for out, keep in ((to_raise, True), (new_course, False)):
            requirements = [r for r in group["requirements"] if bool(r["reached_by"]) is keep]
            if requirements:
                out.append({**group, "requirements": requirements})
    return to_raise, new_course


def needed_reviewable(
    new_course: list[dict], suggested: Mapping[int, list], ranks: Mapping[str, int]
) -> tuple[list[dict], list[dict]]:
    """`needed_split`'s gaps needing a new course split again, by area as they are: those a
    course of the programme has a pending suggestion for (`suggested`, per ability id, see
    programme_suggested_courses), each with those courses as `suggested`, which need a review
    before a new course, each saying whether its proposed level is below the level required
    (`ranks`: each level's rank by code; see suggested_for_requirement); and the rest, which
    need a new course."""
    to_review, still_new = [], []
    for group in new_course:
        reviewable = [
            {
                **req,
                "suggested": suggested_for_requirement(
                    suggested[req["ability"]["id"]], min_level=req["min_level"], ranks=ranks
                ),
            }
            for req in group["requirements"]
            if suggested.get(req["ability"]["id"])
        ]
        rest = [req for req in group["requirements"] if not suggested.get(req["ability"]["id"])]
        if reviewable:
            to_review.append({**group, "requirements": reviewable})
        if rest:
            still_new.append({**group, "requirements": rest})
    return to_review, still_new


def _reached_by(report: Mapping, ability_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    """Per ability, the programme's courses building it as the report explains them: (course
    id, level code), deepest first, each course once (directly or through a crosswalk)."""
    reached: dict[int, list[tuple[int, str]]] = {}
    for position in report["positions"]:
        for ability_id, _min, best, _status, _importance, explained in position["requirements"]:
            if ability_id not in ability_ids or best is None or ability_id in reached:
                continue
            found: dict[int, str] = {}
            for entry in explained:
                found.setdefault(entry[0], entry[1])
            reached[ability_id] = list(found.items())
    return reached


@dataclass(frozen=True)
class ScenarioChoices:
    """What the programme page's scenario form offers: the programme's courses, catalogue
    courses that build some ability a target requires, those abilities, and the levels.

    `catalogue_courses` is at most CATALOGUE_CHOICES of the `catalogue_total` courses matching
    `catalogue_search`, those building the most required abilities first, plus any course the
    scenario already uses (so a choice never drops out of the form).
    """

    programme_courses: list[dict]
    catalogue_courses: list[dict]
    abilities: list[dict]
    levels: list[str]
    targets: list[dict]
    areas: list[dict]
    catalogue_total: int = 0
    catalogue_search: str = ""
    other_positions: list[dict] = field(default_factory=list)


# The form lists at most this many catalogue courses; a search finds the others (the API takes
# any course). Each is listed twice (a box to tick and a choice of the cell changes), so at
# ESCO scale more made the page slow to render and to read.
CATALOGUE_CHOICES = 50
# ... and at most this many positions to try as a target (the API takes any position).
POSITION_CHOICES = 300


def _short(text: str, length: int) -> str:
    """The text cut to `length` characters with an ellipsis, as the `truncatechars` filter cuts
    plain text: done once here for each choice rather than once per choice and cell row."""
    return text if len(text) <= length else text[: length - 1] + "…"


# What the cell changes' menus show of a course's title and an ability's statement. A course's
# title whole, as nearly every catalogue writes it: cut at 28, "Intermediate Financial
# Accounting I" and "… II" read the same, told apart by their codes alone.
SHORT_TITLE = 80
SHORT_TEXT = 32


def _catalogue_courses(
    *, required: list[int], exclude: Iterable[int], search: str, keep: Iterable[int]
) -> tuple[list[dict], int]:
    """Catalogue courses outside the programme that build a required ability, matching `search`
    (code, title or Chinese title), the most required abilities built first; with the courses
    in `keep` that the first CATALOGUE_CHOICES leave out (any course), and the number matching.
    Two queries at most."""
    # Kept courses are counted too, so the filter is in the count, not only in the query.
    builds = Count(
        "ability_links__ability_id",
        filter=Q(ability_links__ability_id__in=required),
        distinct=True,
    )
    candidates = Course.objects.filter(ability_links__ability_id__in=required).exclude(
        pk__in=list(exclude)
    )
    if search:
        candidates = candidates.filter(
            Q(code__icontains=search) | Q(title__icontains=search) | Q(title_zh__icontains=search)
        )
    # The number matching is counted over the grouped rows (one a course) in the same
    # statement: a count of its own joined the links again.
    rows = list(
        candidates.values("pk", "code", "title", "title_zh")
        .annotate(builds=builds, matching=Window(Count("pk")))
        .order_by("-builds", "code", "pk")[:CATALOGUE_CHOICES]
    )
    total = rows[0]["matching"] if rows else 0
    missing = set(keep) - {row["pk"] for row in rows}
    if missing:
        # Whether or not they build a required ability yet (a changed cell may be what adds one).
        rows += list(
            Course.objects.filter(pk__in=missing)
            .values("pk", "code", "title", "title_zh")
            .annotate(builds=builds)
            .order_by("code", "pk")
        )
    courses = []
    for row in rows:
        title = localized(row["title"], row["title_zh"])
        courses.append(
            {
                "id": row["pk"],
                "code": row["code"],
                "title": title,
                "short_title": _short(title, SHORT_TITLE),
                "builds": row["builds"],
            }
        )
    return courses, total


def scenario_choices(
    *,
    programme: Programme,
    inputs: Inputs | None = None,
    search: str = "",
    keep_course_ids: Iterable[int] = (),
    position_names: dict[int, str] | None = None,
    reads: DecisionReads | None = None,
) -> ScenarioChoices:
    """Choices for the scenario and recommendation forms, in a constant number of queries.
    `search` narrows the catalogue courses; `keep_course_ids` (the scenario's) stay listed;
    `position_names`: the targets' names (target_names), when the page read them already;
    `reads`: the abilities', areas' and courses' names the page's other parts read
    (decision_reads)."""
    reads = reads or DecisionReads()
    programme_in, catalogue = programme_inputs(programme=programme, inputs=inputs)
    required = list(catalogue.abilities)
    programme_courses = {
        pk: {
            "id": pk,
            "code": code,
            "title": localized(title, title_zh),
            "short_title": _short(localized(title, title_zh), SHORT_TITLE),
        }
        for pk, (code, title, title_zh, _credits) in (
            reads.courses(programme_in.course_ids).items() if programme_in.course_ids else ()
        )
    }
    catalogue_courses, catalogue_total = _catalogue_courses(
        required=required,
        exclude=programme_in.course_ids,
        search=search,
        keep=set(keep_course_ids) - set(programme_in.course_ids),
    )
    abilities = [
        {
            "id": pk,
            "code": code,
            "text": localized(text, text_zh),
            "short_text": _short(localized(text, text_zh), SHORT_TEXT),
        }
        for pk, (code, text, text_zh) in (reads.abilities(required).items() if required else ())
    ]
    names = (
        position_names if position_names is not None else target_names(programme_in=programme_in)
    )
    other_positions = [
        {"id": pk, "name": localized(name, name_zh)}
        for pk, name, name_zh in Position.objects.exclude(pk__in=programme_in.target_ids)
        .order_by("order", "name", "id")
        .values_list("pk", "name", "name_zh")[:POSITION_CHOICES]
    ]
    used_areas = {ability.area_id for ability in catalogue.abilities.values()}
    areas = [
        {"id": area.id, "code": area.code, "name": name}
        for area, name in sorted(
            (
                (catalogue.areas[pk], localized(name, name_zh))
                for pk, (_code, name, name_zh) in (
                    reads.areas().items() if used_areas - {None} else ()
                )
                if pk in used_areas
            ),
            key=lambda item: item[0].sort_key,
        )
    ]
    return ScenarioChoices(
        programme_courses=[programme_courses[pk] for pk in programme_in.course_ids],
        catalogue_courses=catalogue_courses,
        catalogue_total=catalogue_total,
        catalogue_search=search,
        abilities=abilities,
        levels=[level.code for level in sorted(catalogue.levels.values(), key=lambda lv: lv.rank)],
        targets=[{"id": pk, "name": names.get(pk, "")} for pk in programme_in.target_ids],
        areas=areas,
        other_positions=other_positions,
    )
