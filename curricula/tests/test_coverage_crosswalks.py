"""Crosswalk-aware coverage in the pure engine: hand-made cases for every rule, and the property
that the default rule set with no crosswalks gives exactly the reports of the engine before them."""

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from curricula.coverage import engine
from curricula.coverage.engine import (
    CHILD,
    CHILDREN_ALL,
    CHILDREN_ANY,
    CHILDREN_OFF,
    EXACT_MATCH,
    RELATED,
    REQUIREMENT_FIELDS,
    AbilityIn,
    Catalogue,
    CourseIn,
    CrosswalkRules,
    LevelIn,
    PositionIn,
    ProgrammeIn,
    RequirementIn,
    compute_report,
    fingerprints,
)
from curricula.tests import coverage_engine_crosswalks as xw
from curricula.tests import coverage_engine_v1 as v1

I, R, M = 1, 2, 3  # noqa: E741 (the levels are called I, R and M)
LEVELS = {I: LevelIn(I, "I", 1), R: LevelIn(R, "R", 2), M: LevelIn(M, "M", 3)}
REQUIRED, OTHER, KID_A, KID_B = 1, 2, 3, 4
EXACT_ONLY = CrosswalkRules()
WITH_RELATED = CrosswalkRules(relation_types=frozenset({EXACT_MATCH, RELATED}))
CHILDREN_ALL_RULES = CrosswalkRules(children=CHILDREN_ALL)
CHILDREN_ANY_RULES = CrosswalkRules(children=CHILDREN_ANY)


def report_for(*, links, min_level=M, rules=EXACT_ONLY, matches=None, children=None):
    """A programme whose one target requires ability 1 at `min_level`; course 100 + i builds
    links[i] = (ability, level)."""
    courses = [CourseIn(100 + i, (link,)) for i, link in enumerate(links)]
    position = PositionIn(1, (RequirementIn(REQUIRED, min_level),))
    abilities = {a: AbilityIn(a, None) for a in (REQUIRED, OTHER, KID_A, KID_B)}
    catalogue = Catalogue(
        levels=LEVELS,
        abilities=abilities,
        courses={c.id: c for c in courses},
        positions={1: position},
        matches=matches or {},
        children=children or {},
    )
    programme = ProgrammeIn(7, tuple(c.id for c in courses), (1,), rules)
    return compute_report(programme, catalogue), fingerprints([programme], catalogue)[7]


def row_of(report):
    (row,) = report["positions"][0]["requirements"]
    return dict(zip(REQUIREMENT_FIELDS, row, strict=True))


EXACT = {REQUIRED: ((OTHER, EXACT_MATCH),), OTHER: ((REQUIRED, EXACT_MATCH),)}
RELATED_ONLY = {REQUIRED: ((OTHER, RELATED),), OTHER: ((REQUIRED, RELATED),)}
TWO_KIDS = {REQUIRED: (KID_A, KID_B)}


def test_an_exact_match_covers_the_requirement_at_the_links_level():
    """A course building only the exact match of the required ability covers it at its level,
    and the explanation names the ability it went through and the relation."""
    report, _ = report_for(links=[(OTHER, M)], matches=EXACT)
    row = row_of(report)
    assert row["status"] == "covered"
    assert row["best_level"] == "M"
    assert row["courses"] == [[100, "M", OTHER, EXACT_MATCH]]
    assert report["percent"] == 100.0
    assert report["unused_courses"] == []


def test_an_exact_match_below_the_minimum_is_partial_at_its_level():
    report, _ = report_for(links=[(OTHER, I)], matches=EXACT)
    row = row_of(report)
    assert (row["status"], row["best_level"]) == ("partial", "I")
    assert report["score"] == pytest.approx(100 / 3)


def test_direct_coverage_comes_first_and_keeps_its_level_when_deeper():
    """Direct and crosswalked courses both listed, the direct ones first, even when the
    crosswalked one is as deep."""
    report, _ = report_for(links=[(OTHER, M), (REQUIRED, M)], matches=EXACT)
    row = row_of(report)
    assert row["best_level"] == "M"
    assert row["courses"] == [[101, "M"], [100, "M", OTHER, EXACT_MATCH]]


def test_a_deeper_crosswalk_lifts_a_shallow_direct_link():
    report, _ = report_for(links=[(REQUIRED, I), (OTHER, M)], matches=EXACT)
    row = row_of(report)
    assert (row["status"], row["best_level"]) == ("covered", "M")
    assert row["courses"] == [[100, "I"], [101, "M", OTHER, EXACT_MATCH]]


def test_is_related_to_never_counts_by_default():
    report, _ = report_for(links=[(OTHER, M)], matches=RELATED_ONLY)
    assert row_of(report)["status"] == "missing"
    assert report["unused_courses"] == [100]


def test_is_related_to_counts_when_the_rule_set_chooses_it():
    report, _ = report_for(links=[(OTHER, R)], matches=RELATED_ONLY, rules=WITH_RELATED)
    row = row_of(report)
    assert (row["status"], row["best_level"]) == ("partial", "R")
    assert row["courses"] == [[100, "R", OTHER, RELATED]]


def test_an_empty_rule_set_ignores_exact_matches():
    rules = CrosswalkRules(relation_types=frozenset())
    report, _ = report_for(links=[(OTHER, M)], matches=EXACT, rules=rules)
    assert row_of(report)["status"] == "missing"


def test_children_are_ignored_unless_the_rule_set_counts_them():
    report, _ = report_for(links=[(KID_A, M), (KID_B, M)], children=TWO_KIDS)
    assert row_of(report)["status"] == "missing"


def test_all_children_cover_the_parent_at_the_lowest_of_their_levels():
    report, _ = report_for(
        links=[(KID_A, M), (KID_B, R)], children=TWO_KIDS, rules=CHILDREN_ALL_RULES
    )
    row = row_of(report)
    assert (row["status"], row["best_level"]) == ("partial", "R")
    assert row["courses"] == [[100, "M", KID_A, CHILD], [101, "R", KID_B, CHILD]]
    # The courses build only the children, and count through them: not unused.
    assert report["unused_courses"] == []


def test_all_children_rule_needs_every_child():
    report, _ = report_for(links=[(KID_A, M)], children=TWO_KIDS, rules=CHILDREN_ALL_RULES)
    assert row_of(report)["status"] == "missing"
    assert report["unused_courses"] == [100]


def test_any_child_rule_takes_the_deepest_child():
    report, _ = report_for(
        links=[(KID_A, I), (KID_B, M)], children=TWO_KIDS, rules=CHILDREN_ANY_RULES
    )
    row = row_of(report)
    assert (row["status"], row["best_level"]) == ("covered", "M")
    assert row["courses"] == [[101, "M", KID_B, CHILD], [100, "I", KID_A, CHILD]]


def test_crosswalks_are_one_step_never_a_chain():
    """Ability 1 = 2 and 2 = 3 does not make a link to 3 cover 1."""
    matches = {
        REQUIRED: ((OTHER, EXACT_MATCH),),
        OTHER: ((REQUIRED, EXACT_MATCH), (KID_A, EXACT_MATCH)),
        KID_A: ((OTHER, EXACT_MATCH),),
    }
    report, _ = report_for(links=[(KID_A, M)], matches=matches)
    assert row_of(report)["status"] == "missing"


def test_two_required_abilities_matching_each_other_each_use_the_others_direct_links():
    courses = [CourseIn(100, ((REQUIRED, M),)), CourseIn(101, ((OTHER, R),))]
    position = PositionIn(1, (RequirementIn(REQUIRED, M), RequirementIn(OTHER, M)))
    catalogue = Catalogue(
        levels=LEVELS,
        abilities={REQUIRED: AbilityIn(REQUIRED), OTHER: AbilityIn(OTHER)},
        courses={c.id: c for c in courses},
        positions={1: position},
        matches=EXACT,
    )
    report = compute_report(ProgrammeIn(7, (100, 101), (1,)), catalogue)
    rows = [
        dict(zip(REQUIREMENT_FIELDS, r, strict=True))
        for r in report["positions"][0]["requirements"]
    ]
    assert rows[0]["courses"] == [[100, "M"], [101, "R", OTHER, EXACT_MATCH]]
    assert rows[1]["courses"] == [[101, "R"], [100, "M", REQUIRED, EXACT_MATCH]]
    assert [r["status"] for r in rows] == ["covered", "covered"]


def test_the_fingerprint_covers_the_crosswalks_and_the_rule_set():
    links = [(OTHER, M)]
    _, without = report_for(links=links)
    _, exact = report_for(links=links, matches=EXACT)
    _, related = report_for(links=links, matches=RELATED_ONLY)
    _, related_counted = report_for(links=links, matches=RELATED_ONLY, rules=WITH_RELATED)
    _, children = report_for(links=links, children=TWO_KIDS, rules=CHILDREN_ALL_RULES)
    _, children_any = report_for(links=links, children=TWO_KIDS, rules=CHILDREN_ANY_RULES)
    assert len({without, exact, related_counted, children, children_any}) == 5
    # Crosswalks the rules do not count cannot change the report, nor the fingerprint; nor can
    # the rule set when there is no crosswalk at all.
    _, children_ignored = report_for(links=links, children=TWO_KIDS)
    _, without_related_rules = report_for(links=links, rules=WITH_RELATED)
    assert related == children_ignored == without_related_rules == without


# --- The property: exact matches only, no crosswalks = the engine before crosswalks ---------------


@st.composite
def worlds(draw):
    level_ids = draw(st.lists(st.integers(1, 6), min_size=1, max_size=4, unique=True))
    ranks = draw(st.permutations(range(1, len(level_ids) + 1)))
    levels = {lid: (lid, f"L{lid}", rank) for lid, rank in zip(level_ids, ranks, strict=True)}
    ability_ids = list(range(1, draw(st.integers(1, 12)) + 1))
    areas = draw(
        st.lists(
            st.sampled_from([None, 10, 20, 30]),
            min_size=len(ability_ids),
            max_size=len(ability_ids),
        )
    )
    abilities = dict(zip(ability_ids, areas, strict=True))
    courses = {
        cid: draw(
            st.lists(
                st.tuples(st.sampled_from(ability_ids), st.sampled_from(level_ids)),
                max_size=6,
                unique_by=lambda link: link[0],
            )
        )
        for cid in range(100, 100 + draw(st.integers(0, 6)))
    }
    positions = {
        pid: draw(
            st.lists(
                st.tuples(
                    st.sampled_from(ability_ids),
                    st.sampled_from(level_ids),
                    st.sampled_from(["essential", "optional"]),
                ),
                max_size=6,
                unique_by=lambda r: r[0],
            )
        )
        for pid in range(1, 1 + draw(st.integers(0, 4)))
    }
    programmes = [
        (
            pid,
            draw(st.lists(st.sampled_from(sorted(courses)), unique=True)) if courses else [],
            draw(st.lists(st.sampled_from(sorted(positions)), unique=True)) if positions else [],
        )
        for pid in range(1, 1 + draw(st.integers(1, 3)))
    ]
    return levels, abilities, courses, positions, programmes


def _build(module, world, **extra):
    levels, abilities, courses, positions, programmes = world
    catalogue = module.Catalogue(
        levels={lid: module.LevelIn(*level) for lid, level in levels.items()},
        abilities={aid: module.AbilityIn(aid, area) for aid, area in abilities.items()},
        courses={cid: module.CourseIn(cid, tuple(links)) for cid, links in courses.items()},
        positions={
            pid: module.PositionIn(pid, tuple(module.RequirementIn(*r) for r in reqs))
            for pid, reqs in positions.items()
        },
        areas={10: module.AreaIn(10, 2, "B"), 20: module.AreaIn(20, 1, "A")},
        **extra,
    )
    inputs = [module.ProgrammeIn(pid, tuple(c), tuple(t)) for pid, c, t in programmes]
    return inputs, catalogue


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_exact_only_without_crosswalks_gives_exactly_the_reports_before_crosswalks(world):
    """Reports and fingerprints are identical to the engine before crosswalks, bit for bit."""
    old_inputs, old_catalogue = _build(v1, world)
    new_inputs, new_catalogue = _build(engine, world, matches={}, children={})
    assert all(p.rules == EXACT_ONLY for p in new_inputs)
    old = dict(v1.iter_reports(old_inputs, old_catalogue))
    new = dict(engine.iter_reports(new_inputs, new_catalogue))
    assert new == old
    assert engine.fingerprints(new_inputs, new_catalogue) == v1.fingerprints(
        old_inputs, old_catalogue
    )


@settings(max_examples=150, deadline=None)
@given(worlds(), st.data())
def test_crosswalks_never_lower_a_requirement(world, data):
    """Counting crosswalks can only add: no requirement's best level falls, no status worsens."""
    _, abilities, *_ = world
    ids = sorted(abilities)
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=6))
    matches: dict[int, list] = {}
    for a, b in pairs:
        if a != b:
            matches.setdefault(a, []).append((b, EXACT_MATCH))
            matches.setdefault(b, []).append((a, EXACT_MATCH))
    plain_inputs, plain_catalogue = _build(engine, world)
    inputs, catalogue = _build(engine, world, matches={a: tuple(m) for a, m in matches.items()})
    order = {"missing": 0, "partial": 1, "covered": 2}
    plain = dict(engine.iter_reports(plain_inputs, plain_catalogue))
    for pid, report in engine.iter_reports(inputs, catalogue):
        for before, after in zip(plain[pid]["positions"], report["positions"], strict=True):
            for old_row, new_row in zip(before["requirements"], after["requirements"], strict=True):
                assert order[new_row[3]] >= order[old_row[3]]
                assert new_row[5][: len(old_row[5])] == old_row[5]


# --- The property: any crosswalks, any rule sets = the engine before its crosswalk path was sped up


@st.composite
def crosswalked_worlds(draw):
    """A world (see `worlds`) with symmetric exact/related matches and children among its
    abilities, and each programme's rule set."""
    world = draw(worlds())
    _, abilities, _, _, programmes = world
    ids = sorted(abilities)
    pairs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(ids), st.sampled_from(ids), st.sampled_from([EXACT_MATCH, RELATED])
            ),
            max_size=10,
        )
    )
    matches: dict[int, set] = {}
    for a, b, relation in pairs:
        if a != b:
            matches.setdefault(a, set()).add((b, relation))
            matches.setdefault(b, set()).add((a, relation))
    children = {
        parent: tuple(sorted(kids))
        for parent, kids in draw(
            st.dictionaries(
                st.sampled_from(ids), st.sets(st.sampled_from(ids), min_size=1), max_size=4
            )
        ).items()
    }
    rules = [
        (
            draw(st.sets(st.sampled_from([EXACT_MATCH, RELATED]))),
            draw(st.sampled_from([CHILDREN_OFF, CHILDREN_ALL, CHILDREN_ANY])),
        )
        for _ in programmes
    ]
    return world, {a: tuple(sorted(m)) for a, m in matches.items()}, children, rules


def _build_crosswalked(module, crosswalked_world):
    world, matches, children, rules = crosswalked_world
    inputs, catalogue = _build(module, world, matches=matches, children=children)
    inputs = [
        module.ProgrammeIn(
            p.id,
            p.course_ids,
            p.target_ids,
            module.CrosswalkRules(relation_types=frozenset(types), children=kids),
        )
        for p, (types, kids) in zip(inputs, rules, strict=True)
    ]
    return inputs, catalogue


@settings(max_examples=400, deadline=None)
@given(crosswalked_worlds())
def test_any_crosswalks_give_exactly_the_reports_of_the_engine_before_its_speed_up(world):
    """Reports (to the byte, as stored) and fingerprints are those of the frozen copy."""
    old_inputs, old_catalogue = _build_crosswalked(xw, world)
    new_inputs, new_catalogue = _build_crosswalked(engine, world)
    old = {pid: orjson.dumps(report) for pid, report in xw.iter_reports(old_inputs, old_catalogue)}
    new = {
        pid: orjson.dumps(report) for pid, report in engine.iter_reports(new_inputs, new_catalogue)
    }
    assert new == old
    assert engine.fingerprints(new_inputs, new_catalogue) == xw.fingerprints(
        old_inputs, old_catalogue
    )
