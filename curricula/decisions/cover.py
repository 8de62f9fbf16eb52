"""Course recommendations on plain inputs: a set-cover solver. No Django here.

It answers on the coverage engine's own inputs (`curricula.coverage.engine`) and calls its public
`compute_report`, so the gaps it closes are the very ones a recompute would report.

Recommendations are a set-cover problem. The gaps are a programme's essential requirements (one per
target position and ability) whose status is missing or partial; a candidate course is a catalogue
course outside the programme that links a gap's ability at or above its minimum level, and adding
it closes that gap on its own (the engine takes the best level over courses, so closing never needs
two courses together). Each candidate costs its credits (or 1 when some candidate has no credits,
so units are never mixed). Without a budget we look for the cheapest set closing every closable
gap (weighted set cover); with one, for the most gaps closed within it, then the cheapest such set
(budgeted maximum coverage). Up to `EXACT_LIMIT` candidates, branch-and-bound proves optimality;
beyond, the greedy algorithm answers with its approximation bound, and the answer says which.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from curricula.coverage.engine import (
    COVERED,
    ESSENTIAL,
    Catalogue,
    CourseIn,
    ProgrammeIn,
    compute_report,
)
from curricula.decisions.whatif import figures_of

# Branch-and-bound proves optimality this far; the issue asks for 40 candidate courses.
EXACT_LIMIT = 40
# A guard for pathological instances: past this many search nodes the best cover found so far is
# returned and the answer says it is not proven optimal.
NODE_LIMIT = 200_000

EXACT = "branch-and-bound"
GREEDY = "greedy"
EXHAUSTED = "branch-and-bound-stopped"


@dataclass(frozen=True, slots=True)
class Gap:
    """An essential requirement the programme does not cover: `best_rank` 0 means missing."""

    position_id: int
    ability_id: int
    min_level_id: int
    min_rank: int
    best_rank: int
    area_id: int | None


def gaps_of(
    programme: ProgrammeIn,
    catalogue: Catalogue,
    *,
    report: Mapping | None = None,
    position_id: int | None = None,
    area_id: int | None = None,
) -> list[Gap]:
    """The programme's essential requirements that are missing or partial, in report order,
    optionally for one target position and/or one competency area."""
    report = report if report is not None else compute_report(programme, catalogue)
    rank_of_code = {level.code: level.rank for level in catalogue.levels.values()}
    gaps = []
    for position in report["positions"]:
        if position_id is not None and position["position"] != position_id:
            continue
        requirements = catalogue.positions[position["position"]].requirements
        minimum = {ability_id: min_level_id for ability_id, min_level_id, _ in requirements}
        for ability_id, _min, best_code, status, importance, _courses in position["requirements"]:
            if status == COVERED or importance != ESSENTIAL:
                continue
            ability_area = catalogue.abilities[ability_id].area_id
            if area_id is not None and ability_area != area_id:
                continue
            level_id = minimum[ability_id]
            gaps.append(
                Gap(
                    position_id=position["position"],
                    ability_id=ability_id,
                    min_level_id=level_id,
                    min_rank=catalogue.levels[level_id].rank,
                    best_rank=rank_of_code.get(best_code, 0) if best_code else 0,
                    area_id=ability_area,
                )
            )
    return gaps


@dataclass(slots=True)
class CoverProblem:
    """A set-cover instance: candidate i closes the gaps whose bits are set in `masks[i]`."""

    course_ids: list[int]
    costs: list[float]
    masks: list[int]
    universe: int  # every closable gap

    @property
    def size(self) -> int:
        return len(self.course_ids)


def build_problem(
    gaps: list[Gap],
    candidates: Iterable[CourseIn],
    costs: Mapping[int, float],
    levels: Mapping[int, int],
) -> CoverProblem:
    """Candidates that close at least one gap, with the gaps each closes as a bit mask (bit i is
    gaps[i]). `levels` maps level id to rank; `costs` course id to cost."""
    by_ability: dict[int, list[int]] = {}
    for index, gap in enumerate(gaps):
        by_ability.setdefault(gap.ability_id, []).append(index)
    course_ids, masks, cost_list = [], [], []
    for course in sorted(candidates, key=lambda c: c.id):
        mask = 0
        for ability_id, level_id in course.links:
            for index in by_ability.get(ability_id, ()):
                if levels[level_id] >= gaps[index].min_rank:
                    mask |= 1 << index
        if mask:
            course_ids.append(course.id)
            masks.append(mask)
            cost_list.append(float(costs[course.id]))
    universe = 0
    for mask in masks:
        universe |= mask
    return CoverProblem(course_ids, cost_list, masks, universe)


def harmonic(n: int) -> float:
    return sum(1.0 / k for k in range(1, n + 1))


@dataclass(slots=True)
class Solution:
    """Chosen candidate indexes, their cost and the gaps they close, and how it was found."""

    chosen: list[int]
    cost: float
    covered: int
    method: str
    proven_optimal: bool
    nodes: int = 0
    bound: dict = field(default_factory=dict)


def _popcount(mask: int) -> int:
    return mask.bit_count()


def greedy_cover(problem: CoverProblem, *, budget: float | None = None) -> Solution:
    """Greedy weighted set cover: repeatedly take the candidate with the lowest cost per newly
    closed gap (ties: more gaps, then lower course id) that still fits the budget.

    Without a budget the cost is at most H(d) x the optimum, d the most gaps one candidate closes
    (Chvatal 1979). With one, the better of the greedy set and the best single affordable
    candidate closes at least (1 - 1/e) / 2 of the optimum's gaps (Khuller, Moss, Naor 1999).
    """
    chosen: list[int] = []
    covered = 0
    cost = 0.0
    remaining = set(range(problem.size))
    while True:
        best = None
        best_key = None
        for i in remaining:
            new = _popcount(problem.masks[i] & ~covered)
            if not new:
                continue
            if budget is not None and cost + problem.costs[i] > budget + 1e-9:
                continue
            key = (problem.costs[i] / new, -new, problem.course_ids[i])
            if best_key is None or key < best_key:
                best, best_key = i, key
        if best is None:
            break
        chosen.append(best)
        remaining.discard(best)
        covered |= problem.masks[best]
        cost += problem.costs[best]
    if budget is not None:
        single = max(
            (i for i in range(problem.size) if problem.costs[i] <= budget + 1e-9),
            key=lambda i: (_popcount(problem.masks[i]), -problem.costs[i], -problem.course_ids[i]),
            default=None,
        )
        if single is not None and _popcount(problem.masks[single]) > _popcount(covered):
            chosen, covered, cost = [single], problem.masks[single], problem.costs[single]
    widest = max((_popcount(m) for m in problem.masks), default=0)
    if budget is None:
        factor = harmonic(widest)
        bound = {
            "kind": "cost",
            "factor": factor,
            "optimum_at_least": cost / factor if factor else 0.0,
        }
    else:
        factor = (1 - 1 / 2.718281828459045) / 2
        bound = {
            "kind": "gaps_closed",
            "factor": factor,
            "optimum_at_most": _popcount(covered) / factor if covered else 0,
        }
    return Solution(sorted(chosen), cost, _popcount(covered), GREEDY, False, 0, bound)


def _undominated(problem: CoverProblem) -> list[int]:
    """Candidates no other candidate beats: one closing a superset of its gaps for no more cost
    (ties keep the lower index). Dropping the others loses no optimal answer."""
    keep = []
    for i in range(problem.size):
        mask, cost = problem.masks[i], problem.costs[i]
        dominated = any(
            j != i
            and problem.masks[j] & mask == mask
            and (
                problem.costs[j] < cost
                or (problem.costs[j] == cost and (problem.masks[j] != mask or j < i))
            )
            for j in range(problem.size)
        )
        if not dominated:
            keep.append(i)
    return keep


def _cover_lower_bound(problem: CoverProblem, allowed: list[int], uncovered: int) -> float:
    """A lower bound on the cost of closing every gap in `uncovered` with `allowed` candidates:
    charge each chosen set's cost evenly to the gaps it newly closes, and each gap at least the
    cheapest share any allowed set containing it could charge. Infinite if a gap is unreachable.
    """
    share: dict[int, float] = {}
    for i in allowed:
        mask = problem.masks[i] & uncovered
        if not mask:
            continue
        ratio = problem.costs[i] / mask.bit_count()
        for bit in _bits(mask):
            if ratio < share.get(bit, float("inf")):
                share[bit] = ratio
    if len(share) < uncovered.bit_count():
        return float("inf")
    return sum(share.values())


def _knapsack_bounds(
    problem: CoverProblem, candidates: list[int], covered: int, room: float, wanted: int
) -> tuple[int, float]:
    """Bounds for budgeted coverage from `candidates`, gaps in `covered` already closed.

    A set of candidates closes at most the sum of what each closes alone, so the fractional
    knapsack over those sums bounds (1) the most new gaps any affordable set closes (within
    `room`) and (2) the least cost of closing `wanted` new gaps.
    """
    items = []
    for i in candidates:
        value = (problem.masks[i] & ~covered).bit_count()
        if value:
            items.append((problem.costs[i] / value, value, problem.costs[i]))
    items.sort()
    gain, spent = 0.0, 0.0
    for _ratio, value, cost in items:
        if spent + cost <= room:
            gain, spent = gain + value, spent + cost
        else:
            gain += value * max(0.0, room - spent) / cost if cost else value
            break
    cheapest, need = 0.0, wanted
    if need > 0:
        for ratio, value, cost in items:
            if value >= need:
                cheapest += ratio * need
                need = 0
                break
            cheapest, need = cheapest + cost, need - value
        if need > 0:
            cheapest = float("inf")
    return int(gain + 1e-9), cheapest


def _exact_full_cover(problem: CoverProblem, start: Solution, node_limit: int) -> Solution:
    """Cheapest set closing every closable gap: branch on the open gap with the fewest
    candidates, trying each of them in turn (earlier ones excluded from later branches, so the
    branches partition the search), pruned by `_cover_lower_bound`."""
    candidates = _undominated(problem)
    best_cost, best_set = start.cost, list(start.chosen)
    nodes = 0
    stopped = False

    def search(covered: int, cost: float, allowed: list[int], chosen: list[int]) -> None:
        nonlocal best_cost, best_set, nodes, stopped
        nodes += 1
        if nodes > node_limit:
            stopped = True
            return
        uncovered = problem.universe & ~covered
        if not uncovered:
            if cost < best_cost - 1e-9:
                best_cost, best_set = cost, list(chosen)
            return
        if cost + _cover_lower_bound(problem, allowed, uncovered) >= best_cost - 1e-9:
            return
        # The open gap with the fewest ways to close it: the narrowest branching.
        fewest = None
        for bit in _bits(uncovered):
            options = [i for i in allowed if problem.masks[i] >> bit & 1]
            if fewest is None or len(options) < len(fewest):
                fewest = options
                if len(options) <= 1:
                    break
        fewest.sort(
            key=lambda i: (problem.costs[i] / (problem.masks[i] & uncovered).bit_count(), i)
        )
        remaining = list(allowed)
        for i in fewest:
            remaining.remove(i)
            chosen.append(i)
            search(covered | problem.masks[i], cost + problem.costs[i], remaining, chosen)
            chosen.pop()
            if stopped:
                return

    search(0, 0.0, candidates, [])
    return Solution(
        sorted(best_set),
        best_cost,
        problem.universe.bit_count(),
        EXHAUSTED if stopped else EXACT,
        not stopped,
        nodes,
        start.bound if stopped else {},
    )


def exact_cover(
    problem: CoverProblem, *, budget: float | None = None, node_limit: int = NODE_LIMIT
) -> Solution:
    """The optimum, proven by branch-and-bound, starting from the greedy answer.

    Objective, lexicographic: most gaps closed (every closable one when there is no budget), then
    lowest cost. Without a budget see `_exact_full_cover`; with one, include/exclude decisions
    over the undominated candidates, pruned when the gaps the remaining ones could still add
    cannot beat the best count, or match it only at a higher cost.
    """
    start = greedy_cover(problem, budget=budget)
    if budget is None:
        return _exact_full_cover(problem, start, node_limit)
    order = sorted(
        _undominated(problem),
        key=lambda i: (problem.costs[i] / problem.masks[i].bit_count(), i),
    )
    # Union of the masks from position k on: what the remaining candidates could still close.
    suffix = [0] * (len(order) + 1)
    for k in range(len(order) - 1, -1, -1):
        suffix[k] = suffix[k + 1] | problem.masks[order[k]]
    limit = budget + 1e-9

    best_covered, best_cost, best_set = start.covered, start.cost, list(start.chosen)
    nodes = 0
    stopped = False

    def search(k: int, covered: int, cost: float, chosen: list[int]) -> None:
        nonlocal best_covered, best_cost, best_set, nodes, stopped
        nodes += 1
        if nodes > node_limit:
            stopped = True
            return
        count = covered.bit_count()
        if count > best_covered or (count == best_covered and cost < best_cost - 1e-9):
            best_covered, best_cost, best_set = count, cost, list(chosen)
        if k == len(order):
            return
        gain, cheapest = _knapsack_bounds(
            problem, order[k:], covered, limit - cost, best_covered - count
        )
        reachable = min(gain, (suffix[k] & ~covered).bit_count())
        if count + reachable < best_covered:
            return
        if count + reachable == best_covered and cost + cheapest >= best_cost - 1e-9:
            # Matching the best count is all that is left, and not more cheaply.
            return
        i = order[k]
        if problem.masks[i] & ~covered and cost + problem.costs[i] <= limit:
            chosen.append(i)
            search(k + 1, covered | problem.masks[i], cost + problem.costs[i], chosen)
            chosen.pop()
            if stopped:
                return
        search(k + 1, covered, cost, chosen)

    search(0, 0, 0.0, [])
    return Solution(
        sorted(best_set),
        best_cost,
        best_covered,
        EXHAUSTED if stopped else EXACT,
        not stopped,
        nodes,
        start.bound if stopped else {},
    )


def solve(
    problem: CoverProblem, *, budget: float | None = None, exact_limit: int = EXACT_LIMIT
) -> Solution:
    """Exact up to `exact_limit` candidates, greedy with its bound beyond."""
    if problem.size <= exact_limit:
        return exact_cover(problem, budget=budget)
    return greedy_cover(problem, budget=budget)


def recommend(
    programme: ProgrammeIn,
    catalogue: Catalogue,
    candidates: Mapping[int, CourseIn],
    credits: Mapping[int, float | None],
    *,
    budget: float | None = None,
    position_id: int | None = None,
    area_id: int | None = None,
    exact_limit: int = EXACT_LIMIT,
    report: Mapping | None = None,
) -> dict:
    """Courses to add to the programme that close the most essential gaps at the lowest cost.

    Returns plain data: each recommended course with the (position, ability) gaps it closes, the
    gaps left open (budget) and those no candidate closes (`Gap`s: they need a new course), the
    method and its guarantee, and the figures before. `coverage_after` gives the report after.

    `candidates` are catalogue courses outside the programme (any others are ignored), with at
    least their links to the gaps' abilities; `credits` their credits (None when unknown);
    `report` the programme's current report when the caller has it already.
    """
    if report is None:
        report = compute_report(programme, catalogue)
    gaps = gaps_of(programme, catalogue, report=report, position_id=position_id, area_id=area_id)
    in_programme = set(programme.course_ids)
    pool = [course for cid, course in candidates.items() if cid not in in_programme]
    by_credits = all((credits.get(c.id) or 0) > 0 for c in pool)
    costs = {c.id: (float(credits[c.id]) if by_credits else 1.0) for c in pool}
    ranks = {level_id: level.rank for level_id, level in catalogue.levels.items()}
    problem = build_problem(gaps, pool, costs, ranks)
    solution = solve(problem, budget=budget, exact_limit=exact_limit)

    courses = []
    for i in solution.chosen:
        closes = [gaps[bit] for bit in _bits(problem.masks[i])]
        courses.append(
            {
                "course": problem.course_ids[i],
                "cost": problem.costs[i],
                "closes": [(g.position_id, g.ability_id) for g in closes],
            }
        )
    closed_mask = 0
    for i in solution.chosen:
        closed_mask |= problem.masks[i]
    unclosable = [g for index, g in enumerate(gaps) if not problem.universe >> index & 1]
    left_open = [
        g
        for index, g in enumerate(gaps)
        if problem.universe >> index & 1 and not closed_mask >> index & 1
    ]

    return {
        "method": solution.method,
        "proven_optimal": solution.proven_optimal,
        "bound": solution.bound,
        "nodes": solution.nodes,
        "candidates": problem.size,
        "cost_unit": "credits" if by_credits else "courses",
        "budget": budget,
        "cost": solution.cost,
        "gaps": len(gaps),
        "closable": _popcount(problem.universe),
        "closed": solution.covered,
        "courses": courses,
        "left_open": [(g.position_id, g.ability_id) for g in left_open],
        "new_course_needed": unclosable,
        "before": figures_of(report),
    }


def coverage_after(
    programme: ProgrammeIn, catalogue: Catalogue, added: Mapping[int, CourseIn]
) -> dict:
    """The report once the `added` courses (with all their links) join the programme."""
    courses = {**catalogue.courses, **added}
    return compute_report(
        replace(programme, course_ids=(*programme.course_ids, *added)),
        replace(catalogue, courses=courses),
    )


def _bits(mask: int) -> Iterable[int]:
    index = 0
    while mask:
        if mask & 1:
            yield index
        mask >>= 1
        index += 1
