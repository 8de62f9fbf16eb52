"""Reads for coverage: the engine's inputs, stale programmes, and reports dressed with names.

`coverage_inputs` loads everything any number of programmes needs in a constant number of queries
(seven, and up to two for the crosswalks their rule sets count), as plain tuples through
`values_list`: model instances would cost more than the engine.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import join_list, localized
from curricula.coverage.engine import (
    CHILD,
    REQUIREMENT_FIELDS,
    AbilityIn,
    AreaIn,
    Catalogue,
    CourseIn,
    CrosswalkRules,
    LevelIn,
    PositionIn,
    ProgrammeIn,
)
from curricula.models import (
    Course,
    CourseAbility,
    CoverageState,
    CrosswalkChildren,
    Programme,
    ProgrammeCourse,
    ProgrammeCoverage,
    ProgrammeTarget,
)
from positions.models import (
    Ability,
    AbilityRelation,
    CompetencyArea,
    Level,
    Position,
    RelationType,
    Requirement,
    ability_language,
)

# The relations through which a link may stand for a required ability; which of them count is
# each programme's rule set.
MATCH_RELATION_TYPES = (RelationType.EXACT_MATCH_OF, RelationType.IS_RELATED_TO)

# Row helpers of `coverage_inputs`: a requirement as the engine reads it (a plain
# (ability id, min level id, importance) tuple, the fields of RequirementIn), a link, the owner a
# row is grouped by, and a required ability's area.
_requirement_fields = itemgetter(1, 2, 3)
_link_fields = itemgetter(1, 2)
_owner = itemgetter(0)
_ability_area = itemgetter(1, 4)

# The grace period of a recompute: a report `computing` for this long since its claim
# (`claimed_at`) lost its worker (a crash past acks_late's redelivery, or an inline run killed
# with its process), and the sweep takes it back. Well past the recompute task's hard time limit
# (360 s; a retry claims the report again), so a recompute still running is never taken back and
# computed twice: how long the report has been stale says nothing of it (a report stale for an
# hour is claimed this minute; one asked for by hand on a fresh report has no `stale_since`).
STUCK_AFTER = timedelta(minutes=15)


# The programme's fields its inputs take: its crosswalk rule set.
_RULE_FIELDS = ("crosswalk_exact_match", "crosswalk_related", "crosswalk_children")


def coverage_inputs(
    *,
    programme_ids: Collection[int] | None = None,
    relations: CrosswalkRelations | None = None,
    programme: Programme | None = None,
    area_names: dict[int, tuple[str, str, str]] | None = None,
) -> tuple[list[ProgrammeIn], Catalogue]:
    """The engine's inputs for the given programmes (all when None), in seven queries, plus one
    for the ability relations when a programme's rule set counts any (none when `relations`
    holding them were read already) and one for the tree children when one counts children.

    `programme`: the one programme to read them for, its row loaded already (a page's): its
    rule set is taken from it, one query fewer. `area_names`, given empty, is filled with every
    competency area's (code, name, name_zh) in display order, from the read of the areas the
    inputs make, for a page that names them too."""
    programmes = Programme.objects.all()
    entries = ProgrammeCourse.objects.all()
    targets = ProgrammeTarget.objects.all()
    if programme is not None:
        programme_ids = [programme.pk]
    if programme_ids is not None:
        programmes = programmes.filter(id__in=programme_ids)
        entries = entries.filter(programme_id__in=programme_ids)
        targets = targets.filter(programme_id__in=programme_ids)

    if programme is not None and not set(_RULE_FIELDS) & programme.get_deferred_fields():
        programme_rows = [(programme.pk, *(getattr(programme, name) for name in _RULE_FIELDS))]
    else:
        programme_rows = list(
            programmes.order_by("order", "name", "id").values_list("id", *_RULE_FIELDS)
        )
    programme_order = [row[0] for row in programme_rows]
    rules = {
        pid: programme_rules(exact, related, kids) for pid, exact, related, kids in programme_rows
    }
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
    # so the query count stays constant however many programmes there are. The two big reads
    # (~80k requirements, ~70k links on the esco catalogue) come sorted by their owner and are
    # grouped with C-level helpers: a Python statement per row was a third of a full recompute's
    # own time (see BENCHMARKS.md).
    requirement_rows = list(
        Requirement.objects.filter(position_id__in=targets.values("position_id"))
        .order_by("position_id", "order", "id")
        .values_list("position_id", "ability_id", "min_level_id", "importance", "ability__area_id")
    )
    requirements = {
        position_id: tuple(map(_requirement_fields, rows))
        for position_id, rows in groupby(requirement_rows, _owner)
    }
    abilities = {
        ability_id: AbilityIn(ability_id, area_id)
        for ability_id, area_id in dict(map(_ability_area, requirement_rows)).items()
    }
    del requirement_rows
    positions = {
        position_id: PositionIn(position_id, requirements.get(position_id, ()))
        for ids in target_ids.values()
        for position_id in ids
    }

    links = {
        course_id: tuple(map(_link_fields, rows))
        for course_id, rows in groupby(
            CourseAbility.objects.filter(course_id__in=entries.values("course_id"))
            .order_by("course_id", "ability_id")
            .values_list("course_id", "ability_id", "level_id"),
            _owner,
        )
    }
    courses = {
        course_id: CourseIn(course_id, links.get(course_id, ()))
        for ids in course_ids.values()
        for course_id in ids
    }

    levels = {
        level_id: LevelIn(level_id, code, rank)
        for level_id, code, rank in Level.objects.values_list("id", "code", "rank")
    }
    area_fields = ["id", "order", "code", "framework_id"]
    if area_names is not None:
        area_fields += ["name", "name_zh"]
    areas = {}
    for area_id, order, code, framework_id, *names in CompetencyArea.objects.values_list(
        *area_fields
    ):
        areas[area_id] = AreaIn(area_id, order, code, framework_id)
        if area_names is not None:
            area_names[area_id] = (code, *names)
    matches, children = _crosswalks(
        _required_of(targets), set(abilities), rules.values(), relations
    )
    programme_inputs = [
        ProgrammeIn(pid, tuple(course_ids[pid]), tuple(target_ids[pid]), rules[pid])
        for pid in programme_order
    ]
    catalogue = Catalogue(
        levels=levels,
        abilities=abilities,
        courses=courses,
        positions=positions,
        areas=areas,
        matches=matches,
        children=children,
    )
    return programme_inputs, catalogue


_RULES: dict[tuple, CrosswalkRules] = {}


def programme_rules(exact: bool, related: bool, children: str) -> CrosswalkRules:
    """The engine's rule set for a programme's three crosswalk fields (shared, not rebuilt)."""
    key = (exact, related, children)
    found = _RULES.get(key)
    if found is None:
        types = {RelationType.EXACT_MATCH_OF.value} if exact else set()
        if related:
            types.add(RelationType.IS_RELATED_TO.value)
        found = _RULES[key] = CrosswalkRules(relation_types=frozenset(types), children=children)
    return found


class CrosswalkRelations:
    """The ability relations of the types a programme's rule set counts, read whole at most once
    and only when first needed: one page's selectors (its map, the suggestions for its gaps, its
    progression) pass it on to one another, so that the page reads them once. Made for one
    request's reads and dropped with them: never kept where a write could leave it stale."""

    def __init__(self, types: Iterable[str]) -> None:
        self.types = frozenset(types)
        self._rows: list[tuple[int, int, str]] | None = None

    def rows(self) -> list[tuple[int, int, str]]:
        """(source id, target id, relation type) of every relation of `types` with both ends.
        One query the first time, none after."""
        if self._rows is None:
            self._rows = list(
                AbilityRelation.objects.filter(
                    source__isnull=False,
                    target__isnull=False,
                    relation_type__in=sorted(self.types),
                )
                .order_by()
                .values_list("source_id", "target_id", "relation_type")
            )
        return self._rows


class ProgrammeAbilities:
    """The links of one programme's courses, the names of the abilities its pages show and the
    levels its targets require, each read at most once for one page: its map takes the links
    to the required abilities and their stand-ins, its progression all of them; its stored
    report names the abilities it counts, its progression those the courses build; its map
    reads the requirements (with their abilities' names and areas), its progression their
    levels. Each read other rows, so no statement
    was repeated, but each table was read twice. Made for one request's reads, as
    CrosswalkRelations."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self._links: list[tuple[int, int, int]] | None = None
        self._requirements: list[tuple[int, int]] | None = None
        self._names: dict[int, tuple[str, str, str, str, str]] = {}
        self._named: set[int] = set()

    def links(self) -> list[tuple[int, int, int]]:
        """(course id, ability id, level id) of every link of the programme's courses, by
        course and ability. One query the first time, none after."""
        if self._links is None:
            self._links = list(
                CourseAbility.objects.filter(
                    course_id__in=ProgrammeCourse.objects.filter(programme=self.programme).values(
                        "course_id"
                    )
                )
                .order_by("course_id", "ability_id")
                .values_list("course_id", "ability_id", "level_id")
            )
        return self._links

    def keep_requirements(self, rows: Iterable[tuple[int, int]]) -> None:
        """(ability id, min level id) of every requirement of the programme's targets, as a
        part of the page read them (its map, with the abilities' names and areas): what
        `requirements` answers after."""
        self._requirements = list(rows)

    def requirements(self) -> list[tuple[int, int]]:
        """(ability id, min level id) of every requirement of the programme's targets: those
        kept, else one query the first time, none after."""
        if self._requirements is None:
            self._requirements = list(
                Requirement.objects.filter(
                    position__programme_targets__programme=self.programme
                ).values_list("ability_id", "min_level_id")
            )
        return self._requirements

    def names(self, ids: Iterable[int]) -> dict[int, tuple[str, str, str, str, str]]:
        """Per ability of `ids` that exists: (code, text, text_zh, framework name, language).
        The first call reads them with every ability the programme's courses link (what its
        progression names): one query, and none after for those; one for any other id."""
        ids = set(ids)
        if not self._named:
            ids.update(ability_id for _course, ability_id, _level in self.links())
        missing = ids - self._named
        if missing:
            self._named.update(missing)
            for ability_id, *row in Ability.objects.filter(id__in=missing).values_list(
                "id", "code", "text", "text_zh", "framework__name", ability_language()
            ):
                self._names[ability_id] = tuple(row)
        return {pk: self._names[pk] for pk in ids if pk in self._names}


def programme_relations(*, programme: Programme) -> CrosswalkRelations:
    """The relations the programme's rule set counts (its children rule reads isPartOf), to be
    read once for one page. No query until they are needed."""
    rules = programme_rules(
        programme.crosswalk_exact_match, programme.crosswalk_related, programme.crosswalk_children
    )
    types = set(rules.relation_types)
    if rules.children != CrosswalkChildren.OFF:
        types.add(RelationType.IS_PART_OF)
    return CrosswalkRelations(types)


def programme_crosswalks(
    *, programme: Programme, required: Collection[int], relations: CrosswalkRelations | None = None
) -> tuple[CrosswalkRules, dict[int, tuple], dict[int, tuple]]:
    """The programme's rule set and, per required ability, the crosswalks it counts (matches
    and children, as `Catalogue` takes them): what a report computed for one view of the
    programme needs to agree with its stored report. One query when the rule set counts a
    relation (none when `relations`, the programme's, were read already), one more with
    children, none otherwise."""
    rules = programme_rules(
        programme.crosswalk_exact_match, programme.crosswalk_related, programme.crosswalk_children
    )
    if not required or (not rules.relation_types and rules.children == CrosswalkChildren.OFF):
        return rules, {}, {}
    matches, children = _crosswalks(
        _required_of(ProgrammeTarget.objects.filter(programme=programme)),
        set(required),
        [rules],
        relations,
    )
    return rules, matches, children


def ability_crosswalks(
    *, required: Collection[int], rule_sets: Iterable[CrosswalkRules]
) -> tuple[dict[int, tuple], dict[int, tuple]]:
    """The crosswalks (matches and children, as `Catalogue` takes them) that any of the rule
    sets counts for the given required abilities, whoever requires them: what a view computing
    coverage of abilities outside a programme's targets (a position's page, across programmes
    with different rule sets) needs to agree with the stored reports, the engine keeping to each
    programme's own rules. One query when a rule set counts a relation, two with children, none
    otherwise."""
    rule_sets = set(rule_sets)
    counts_any = any(
        rules.relation_types or rules.children != CrosswalkChildren.OFF for rules in rule_sets
    )
    if not required or not counts_any:
        return {}, {}
    required = set(required)
    return _crosswalks(sorted(required), required, rule_sets)


def crosswalk_stand_ins(
    *, programme: Programme, required: Collection[int], relations: CrosswalkRelations | None = None
) -> dict[int, list[tuple[int, str]]]:
    """Per ability that stands in for one of `required` under the programme's rule set (a
    relation of a type it counts, either end): the (required ability id, relation type) pairs it
    stands in for. Children are not stand-ins of their own (they cover a parent together, or the
    deepest one does), so they are left out. One query, none when the rule set counts no
    relation or `relations` (the programme's) were read already."""
    rules = programme_rules(
        programme.crosswalk_exact_match, programme.crosswalk_related, CrosswalkChildren.OFF
    )
    if not rules.relation_types or not required:
        return {}
    required = set(required)
    matches, _ = _crosswalks(
        _required_of(ProgrammeTarget.objects.filter(programme=programme)),
        required,
        [rules],
        relations,
    )
    found: dict[int, list[tuple[int, str]]] = {}
    for ability_id in sorted(required):
        for other_id, relation in matches.get(ability_id, ()):
            found.setdefault(other_id, []).append((ability_id, relation))
    return found


def _required_of(targets) -> QuerySet:
    """The abilities the positions of `targets` (rows with a `position_id`) require, as a
    subquery: the parents whose tree children `_crosswalks` reads."""
    return Requirement.objects.filter(position_id__in=targets.values("position_id")).values(
        "ability_id"
    )


def _crosswalks(
    parents: QuerySet | Collection[int],
    required: set[int],
    rule_sets: Iterable[CrosswalkRules],
    relations: CrosswalkRelations | None = None,
) -> tuple[dict[int, tuple], dict[int, tuple]]:
    """Per required ability (`required`, as the requirements query found them): its
    exactMatchOf/isRelatedTo partners (either end, with the type) and its children (tree
    children of `parents`, the required abilities as a subquery or ids, and the sources of
    isPartOf). Only what some programme's rule set counts is loaded:
    the relation types it counts, and the children only under a children rule. At most two
    queries; relations to nodes outside every framework here have no links and are left out.

    The relations of the counted types are read whole and kept when an end is required: testing
    that in PostgreSQL (`source IN required OR target IN required`) joined the 80k target
    requirements twice, ~50 ms on the esco catalogue against ~5 ms for its 4,000 exact matches
    read whole. A catalogue with many more counted relations than required abilities would
    read more rows than it keeps; the engine ignores them either way. `relations` holding every
    type needed are filtered instead of read again."""
    rule_sets = set(rule_sets)
    types = {t for rules in rule_sets for t in rules.relation_types}
    with_children = any(rules.children != CrosswalkChildren.OFF for rules in rule_sets)
    if with_children:
        types.add(RelationType.IS_PART_OF)
    matches: dict[int, set] = {}
    children: dict[int, set] = {}
    if types:
        if relations is None or not types <= relations.types:
            relations = CrosswalkRelations(types)
        for source_id, target_id, relation_type in relations.rows():
            if relation_type not in types or source_id == target_id:
                continue
            if relation_type == RelationType.IS_PART_OF:
                if target_id in required:
                    children.setdefault(target_id, set()).add(source_id)
            elif source_id in required or target_id in required:
                matches.setdefault(source_id, set()).add((target_id, relation_type))
                matches.setdefault(target_id, set()).add((source_id, relation_type))
    if with_children:
        for child_id, parent_id in (
            Ability.objects.filter(parent_id__in=parents).order_by().values_list("id", "parent_id")
        ):
            children.setdefault(parent_id, set()).add(child_id)
    return (
        {a: tuple(sorted(found)) for a, found in matches.items()},
        {a: tuple(sorted(found)) for a, found in children.items()},
    )


RELATION_LABELS = {
    RelationType.EXACT_MATCH_OF.value: _("exact match"),
    RelationType.IS_RELATED_TO.value: _("related"),
    CHILD: _("child"),
}


def crosswalk_rules_detail(*, programme: Programme) -> dict[str, Any]:
    """The programme's crosswalk rule set, with a sentence saying what counts."""
    counted = []
    if programme.crosswalk_exact_match:
        counted.append(str(_("exact matches")))
    if programme.crosswalk_related:
        counted.append(str(_("related abilities")))
    if programme.crosswalk_children != CrosswalkChildren.OFF:
        counted.append(str(programme.get_crosswalk_children_display()).lower())
    return {
        "exact_match": programme.crosswalk_exact_match,
        "related": programme.crosswalk_related,
        "children": programme.crosswalk_children,
        "summary": join_list(counted) if counted else str(_("direct links only")),
    }


def coverage_requirement_statuses(*, programme: Programme) -> dict[tuple[int, int], str]:
    """(position id, ability id) -> covered, partial or missing, for each requirement of the
    programme's targets as its stored report has it (however stale: the report says when it is
    not fresh; a requirement added since is not in it). One query."""
    report = (
        ProgrammeCoverage.objects.filter(programme=programme)
        .values_list("report", flat=True)
        .first()
    ) or {}
    fields = list(report.get("requirement_fields", REQUIREMENT_FIELDS))
    ability_at, status_at = fields.index("ability"), fields.index("status")
    return {
        (position["position"], row[ability_at]): row[status_at]
        for position in report.get("positions", [])
        for row in position["requirements"]
    }


def coverage_stale_programme_ids() -> list[int]:
    """Programmes whose report is stale, or stuck computing (claimed over STUCK_AFTER ago):
    what the sweep recomputes. A report still within its recompute's grace period is left to
    it."""
    stuck = timezone.now() - STUCK_AFTER
    return list(
        ProgrammeCoverage.objects.filter(
            Q(state=CoverageState.STALE)
            | Q(state=CoverageState.COMPUTING, claimed_at__lt=stuck)
            # No date: none is left undated (migration 0046 dated those computing then).
            | Q(state=CoverageState.COMPUTING, claimed_at__isnull=True)
        )
        .order_by("programme_id")
        .values_list("programme_id", flat=True)
    )


def _coverage_row(programme: Programme) -> ProgrammeCoverage | None:
    """The programme's coverage row: the one read with it when it was (the pages read a
    programme with it, and read the report again, decoding its JSON twice), else one query."""
    if Programme.coverage.is_cached(programme):
        try:
            return programme.coverage
        except ProgrammeCoverage.DoesNotExist:
            return None
    return ProgrammeCoverage.objects.filter(programme=programme).first()


def coverage_report_detail(
    *, programme: Programme, abilities: ProgrammeAbilities | None = None
) -> dict[str, Any]:
    """The programme's stored report with every id dressed with its current names, plus the live
    state: the shape GET /api/v1/programs/{id}/coverage/ serves. Five queries, four when the
    programme was read with its coverage row (Programme.objects.with_relations); the abilities'
    names are taken from `abilities` (the page's) when given."""
    coverage = _coverage_row(programme)
    report: dict[str, Any] = (coverage.report if coverage else None) or {}
    positions_in = report.get("positions", [])
    fields = report.get("requirement_fields", list(REQUIREMENT_FIELDS))

    position_ids, ability_ids, course_ids = set(), set(), set(report.get("unused_courses", []))
    for position in positions_in:
        position_ids.add(position["position"])
        for row in position["requirements"]:
            ability_ids.add(row[0])
            for entry in row[5]:
                course_ids.add(entry[0])
                if len(entry) > 2:
                    ability_ids.add(entry[2])

    # Names in the reader's language (core.i18n): the report stores ids only.
    position_names = {
        position_id: localized(name, name_zh)
        for position_id, name, name_zh in Position.objects.filter(id__in=position_ids).values_list(
            "id", "name", "name_zh"
        )
    }
    if abilities is not None:
        ability_rows = abilities.names(ability_ids)
    else:
        ability_rows = {
            pk: tuple(row)
            for pk, *row in Ability.objects.filter(id__in=ability_ids).values_list(
                "id", "code", "text", "text_zh", "framework__name", ability_language()
            )
        }
    ability_names = {
        ability_id: {
            "id": ability_id,
            "code": code,
            "text": localized(text, text_zh),
            "framework": framework,
            # What the pages mark the text's language by (core.i18n.text_language); the API's
            # serializers leave it out.
            "language": language,
        }
        for ability_id, (code, text, text_zh, framework, language) in ability_rows.items()
    }
    course_names = {
        course_id: {
            "id": course_id,
            "code": code,
            "title": localized(title, title_zh),
            "language": language,
        }
        for course_id, code, title, title_zh, language in Course.objects.filter(
            id__in=course_ids
        ).values_list("id", "code", "title", "title_zh", "language")
    }
    # In the areas' display order: a stored report keeps the order it was computed in, and
    # renumbering an area leaves its inputs, and so its fingerprint, unchanged.
    area_names = {
        area_id: {"id": area_id, "code": code, "name": localized(name, name_zh)}
        for area_id, code, name, name_zh in CompetencyArea.objects.values_list(
            "id", "code", "name", "name_zh"
        )
    }
    area_rank = {area_id: rank for rank, area_id in enumerate(area_names)}

    def ability(ability_id: int) -> dict:
        # Deleted since the report was computed: the report is stale and says so; keep the id.
        return ability_names.get(ability_id) or {
            "id": ability_id,
            "code": "",
            "text": "",
            "framework": "",
            "language": "",
        }

    def entry(found: list) -> dict:
        # [course id, level code], or [course id, level code, via ability id, relation] when
        # the course reaches the requirement through a crosswalk.
        dressed = {"course": course(found[0]), "level": found[1], "via": None}
        if len(found) > 2:
            dressed["via"] = {
                "ability": ability(found[2]),
                "relation": found[3],
                "relation_label": str(RELATION_LABELS.get(found[3], found[3])),
            }
        return dressed

    def course(course_id: int) -> dict:
        return course_names.get(course_id) or {
            "id": course_id,
            "code": "",
            "title": "",
            "language": "",
        }

    positions = []
    for position in positions_in:
        requirements = []
        for row in position["requirements"]:
            item = dict(zip(fields, row, strict=True))
            item["ability"] = ability(item["ability"])
            item["courses"] = [entry(found) for found in item["courses"]]
            item["direct"] = any(c["via"] is None for c in item["courses"])
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
        for area in sorted(
            report.get("areas", []),
            key=lambda area: area_rank.get(area["area"], len(area_rank)),
        )
    ]
    return {
        "program": {"id": programme.pk, "name": programme.display_name},
        "crosswalk_rules": crosswalk_rules_detail(programme=programme),
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
