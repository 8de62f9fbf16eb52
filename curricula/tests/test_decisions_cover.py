"""The pure set-cover solver: recommendations are optimal against brute force on small
instances, and within the greedy bound on larger ones."""

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from curricula.coverage.engine import (
    AbilityIn,
    Catalogue,
    CourseIn,
    LevelIn,
    PositionIn,
    ProgrammeIn,
    RequirementIn,
)
from curricula.decisions import cover

LEVELS = {1: LevelIn(1, "I", 1), 2: LevelIn(2, "R", 2), 3: LevelIn(3, "M", 3)}


@st.composite
def problems(draw, max_candidates=10, max_gaps=12):
    gaps = draw(st.integers(1, max_gaps))
    size = draw(st.integers(1, max_candidates))
    masks = [draw(st.integers(1, (1 << gaps) - 1)) for _ in range(size)]
    costs = [float(draw(st.integers(1, 9))) for _ in range(size)]
    universe = 0
    for mask in masks:
        universe |= mask
    return cover.CoverProblem(list(range(100, 100 + size)), costs, masks, universe)


def brute_force(problem, budget=None):
    """(most gaps closed, then least cost) over every subset."""
    best = (0, 0.0)
    for r in range(1, problem.size + 1):
        for subset in itertools.combinations(range(problem.size), r):
            cost = sum(problem.costs[i] for i in subset)
            if budget is not None and cost > budget:
                continue
            covered = 0
            for i in subset:
                covered |= problem.masks[i]
            key = (covered.bit_count(), -cost)
            if key > (best[0], -best[1]):
                best = (covered.bit_count(), cost)
    return best


def _check(solution, problem):
    covered = 0
    for i in solution.chosen:
        covered |= problem.masks[i]
    assert covered.bit_count() == solution.covered
    assert abs(sum(problem.costs[i] for i in solution.chosen) - solution.cost) < 1e-9


@settings(max_examples=150, deadline=None)
@given(problems())
def test_exact_cover_equals_brute_force_without_budget(problem):
    """Without a budget branch-and-bound closes every closable gap at the least possible cost."""
    solution = cover.exact_cover(problem)
    _check(solution, problem)
    assert solution.proven_optimal
    assert solution.method == cover.EXACT
    covered, cost = brute_force(problem)
    assert solution.covered == covered == problem.universe.bit_count()
    assert abs(solution.cost - cost) < 1e-9


@settings(max_examples=150, deadline=None)
@given(problems(), st.integers(0, 20))
def test_exact_cover_equals_brute_force_within_a_budget(problem, budget):
    """With a budget it closes the most gaps affordable, then at the least cost."""
    solution = cover.exact_cover(problem, budget=budget)
    _check(solution, problem)
    assert solution.cost <= budget
    covered, cost = brute_force(problem, budget=budget)
    assert solution.covered == covered
    if covered:
        assert abs(solution.cost - cost) < 1e-9


def _random_problem(rng, size, gaps):
    masks = []
    for _ in range(size):
        mask = 0
        for bit in rng.sample(range(gaps), rng.randint(1, max(1, gaps // 6))):
            mask |= 1 << bit
        masks.append(mask)
    costs = [float(rng.randint(1, 8)) for _ in range(size)]
    universe = 0
    for mask in masks:
        universe |= mask
    return cover.CoverProblem(list(range(size)), costs, masks, universe)


def test_greedy_is_never_worse_than_its_bound_on_larger_instances():
    """Beyond 40 candidates: greedy closes every closable gap and costs at most H(d) x the
    optimum, the optimum found by the (exact, if slower) branch-and-bound."""
    rng = random.Random(9)
    for _ in range(8):
        problem = _random_problem(rng, size=rng.randint(41, 60), gaps=rng.randint(20, 40))
        greedy = cover.solve(problem)
        assert greedy.method == cover.GREEDY
        assert not greedy.proven_optimal
        _check(greedy, problem)
        assert greedy.covered == problem.universe.bit_count()
        optimum = cover.exact_cover(problem)
        assert optimum.proven_optimal
        widest = max(mask.bit_count() for mask in problem.masks)
        assert greedy.bound["factor"] == cover.harmonic(widest)
        assert optimum.cost <= greedy.cost <= cover.harmonic(widest) * optimum.cost + 1e-9
        assert greedy.bound["optimum_at_least"] <= optimum.cost + 1e-9


def test_budgeted_greedy_keeps_its_guarantee():
    """With a budget, greedy closes at least (1 - 1/e) / 2 of what the optimum closes."""
    rng = random.Random(4)
    for _ in range(6):
        problem = _random_problem(rng, size=rng.randint(41, 50), gaps=30)
        budget = float(rng.randint(3, 12))
        greedy = cover.greedy_cover(problem, budget=budget)
        optimum = cover.exact_cover(problem, budget=budget)
        assert greedy.cost <= budget
        assert optimum.proven_optimal
        assert greedy.covered >= greedy.bound["factor"] * optimum.covered
        assert greedy.covered <= optimum.covered


def test_solve_is_exact_up_to_forty_candidates():
    rng = random.Random(1)
    problem = _random_problem(rng, size=40, gaps=30)
    assert cover.solve(problem).method == cover.EXACT
    problem = _random_problem(rng, size=41, gaps=30)
    assert cover.solve(problem).method == cover.GREEDY


def test_a_search_cut_short_says_it_is_not_proven():
    rng = random.Random(2)
    problem = _random_problem(rng, size=30, gaps=40)
    solution = cover.exact_cover(problem, node_limit=5)
    assert solution.method == cover.EXHAUSTED
    assert not solution.proven_optimal
    assert solution.covered == problem.universe.bit_count()


def _catalogue(courses, requirements):
    return Catalogue(
        levels=LEVELS,
        abilities={a: AbilityIn(a, area_id=1 if a < 5 else 2) for a in range(1, 10)},
        courses={c.id: c for c in courses},
        positions={
            7: PositionIn(7, tuple(requirements)),
            8: PositionIn(8, (RequirementIn(1, 2), RequirementIn(6, 3, "optional"))),
        },
    )


def test_recommend_closes_gaps_and_lists_what_no_course_reaches():
    """Courses that only partly reach a minimum are not candidates for it; a gap nobody
    reaches is listed as needing a new course; optional requirements are not gaps."""
    own = CourseIn(1, ((1, 1),))  # ability 1 introduced only: partial for both positions
    catalogue = _catalogue(
        [own],
        [RequirementIn(1, 2), RequirementIn(2, 3), RequirementIn(3, 1), RequirementIn(4, 3)],
    )
    candidates = {
        10: CourseIn(10, ((1, 2), (2, 3))),  # closes 1 (both positions) and 2
        11: CourseIn(11, ((2, 3),)),
        12: CourseIn(12, ((3, 1), (4, 2))),  # closes 3; ability 4 only to R < M
        13: CourseIn(13, ((1, 3),)),
    }
    credits = {10: 6, 11: 2, 12: 3, 13: 3}
    programme = ProgrammeIn(99, (1,), (7, 8))
    answer = cover.recommend(programme, catalogue, candidates, credits)
    assert answer["method"] == cover.EXACT
    assert answer["cost_unit"] == "credits"
    assert answer["gaps"] == 5  # (7,1) (7,2) (7,3) (7,4) (8,1)
    assert answer["closable"] == 4
    chosen = {item["course"] for item in answer["courses"]}
    # 11 + 12 + 13 (8 credits) beats 10 + 12 (9 credits).
    assert chosen == {11, 12, 13}
    assert answer["cost"] == 8
    assert [(g.position_id, g.ability_id) for g in answer["new_course_needed"]] == [(7, 4)]

    after = cover.coverage_after(programme, catalogue, {pk: candidates[pk] for pk in chosen})
    statuses = {
        (p["position"], row[0]): row[3] for p in after["positions"] for row in p["requirements"]
    }
    assert statuses[(7, 4)] == "partial"  # course 12 reaches R, not the M required
    assert all(status == "covered" for key, status in statuses.items() if key[1] in (1, 2, 3))


def test_missing_credits_make_every_course_cost_one():
    catalogue = _catalogue([], [RequirementIn(1, 2), RequirementIn(2, 2)])
    candidates = {10: CourseIn(10, ((1, 2), (2, 2))), 11: CourseIn(11, ((1, 2),))}
    answer = cover.recommend(
        ProgrammeIn(1, (), (7,)), catalogue, candidates, {10: None, 11: 1}, position_id=7
    )
    assert answer["cost_unit"] == "courses"
    assert [item["course"] for item in answer["courses"]] == [10]
    assert answer["cost"] == 1
