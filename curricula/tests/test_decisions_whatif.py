"""What-if answers are the very reports a recompute stores after the same change is applied, and
their diffs report exactly what changes."""

import json

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from curricula.coverage.engine import CourseIn, ProgrammeIn, RequirementIn, compute_report
from curricula.coverage.services import coverage_recompute
from curricula.decisions import requests, selectors, services, whatif
from curricula.models import CourseAbility, ProgrammeCourse, ProgrammeCoverage
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from curricula.tests.test_decisions_cover import _catalogue
from positions.models import Importance
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

LEVEL_CODES = ["I", "R", "M"]
ABILITIES, COURSES, POSITIONS = 5, 6, 2


class _Rollback(Exception):
    pass


@st.composite
def worlds(draw):
    """A random catalogue (requirements, links, a programme) and a random scenario over it, as
    indexes into the objects the test creates."""
    # The last position is not a target: the scenario may try it as one.
    requirements = {
        (p, a): (draw(st.sampled_from(LEVEL_CODES)), draw(st.booleans()))
        for p in range(POSITIONS + 1)
        for a in draw(st.sets(st.integers(0, ABILITIES - 1), min_size=1))
    }
    links = draw(
        st.dictionaries(
            st.tuples(st.integers(0, COURSES - 1), st.integers(0, ABILITIES - 1)),
            st.sampled_from(LEVEL_CODES),
            max_size=14,
        )
    )
    in_programme = draw(st.lists(st.integers(0, COURSES - 1), unique=True, max_size=COURSES))
    outside = [c for c in range(COURSES) if c not in in_programme]
    add = draw(st.lists(st.sampled_from(outside), unique=True)) if outside else []
    remove = draw(st.lists(st.sampled_from(in_programme), unique=True)) if in_programme else []
    changes = draw(
        st.dictionaries(
            st.tuples(st.integers(0, COURSES - 1), st.integers(0, ABILITIES - 1)),
            st.sampled_from([*LEVEL_CODES, None]),
            max_size=6,
        )
    )
    # Removing a link needs one to remove: a scenario asking otherwise is refused (tested apart).
    changes = {key: code for key, code in changes.items() if code or key in links}
    targets = (draw(st.booleans()), draw(st.booleans()))  # add the last, remove the first
    return requirements, links, in_programme, add, remove, changes, targets


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_what_if_equals_a_real_recompute_after_applying_the_same_change(world):
    """Property: for random catalogues and scenarios, the what-if report equals the report the
    recompute stores once the scenario is applied through the services."""
    requirements, links, in_programme, add, remove, changes, targets = world
    try:
        with transaction.atomic():
            areas = [CompetencyAreaFactory(order=i) for i in range(2)]
            abilities = [AbilityFactory(area=areas[i % 2]) for i in range(ABILITIES)]
            # Named and ordered so that an added target sorts last, where the scenario puts it.
            positions = [PositionFactory(name=f"P{i:03d}", order=i) for i in range(POSITIONS + 1)]
            for (p, a), (code, essential) in requirements.items():
                RequirementFactory(
                    position=positions[p],
                    ability=abilities[a],
                    min_level=level(code),
                    importance=Importance.ESSENTIAL if essential else Importance.OPTIONAL,
                )
            courses = [CourseFactory() for _ in range(COURSES)]
            for (c, a), code in links.items():
                CourseAbilityFactory(course=courses[c], ability=abilities[a], level=level(code))
            programme = ProgrammeFactory(
                courses=[courses[c] for c in in_programme], targets=positions[:POSITIONS]
            )

            programme_in, _catalogue = selectors.programme_inputs(programme=programme)
            scenario = requests.scenario_check(
                programme_in=programme_in,
                request=requests.ScenarioRequest(
                    add_courses=tuple(courses[c].pk for c in add),
                    remove_courses=tuple(courses[c].pk for c in remove),
                    links=tuple(
                        requests.LinkChange(courses[c].pk, abilities[a].pk, code)
                        for (c, a), code in changes.items()
                    ),
                    add_targets=(positions[POSITIONS].pk,) if targets[0] else (),
                    remove_targets=(positions[0].pk,) if targets[1] else (),
                ),
            )
            answer, _catalogue = selectors.what_if_reports(programme=programme, scenario=scenario)
            before = CourseAbility.objects.count()

            services.programme_scenario_apply(programme=programme, scenario=scenario)
            coverage_recompute(programme_ids=[programme.pk], force=True)
            stored = ProgrammeCoverage.objects.get(programme=programme).report

            assert json.loads(json.dumps(answer["after"])) == stored
            assert set(
                ProgrammeCourse.objects.filter(programme=programme).values_list(
                    "course_id", flat=True
                )
            ) == ({courses[c].pk for c in in_programme} - {courses[c].pk for c in remove}) | {
                courses[c].pk for c in add
            }
            assert list(
                programme.targets.order_by("position__order").values_list("position_id", flat=True)
            ) == [
                position.pk
                for i, position in enumerate(positions)
                if (i < POSITIONS and not (i == 0 and targets[1]))
                or (i == POSITIONS and targets[0])
            ]
            added = sum(1 for key, code in changes.items() if code and key not in links)
            dropped = sum(1 for key, code in changes.items() if not code)
            assert CourseAbility.objects.count() == before + added - dropped
            raise _Rollback
    except _Rollback:
        pass


def test_what_if_diff_lists_changed_requirements_only():
    catalogue = _catalogue(
        [CourseIn(1, ((1, 2),)), CourseIn(2, ((2, 1),)), CourseIn(3, ((3, 3),))],
        [RequirementIn(1, 2), RequirementIn(2, 3), RequirementIn(3, 1)],
    )
    programme = ProgrammeIn(5, (1, 2), (7,))
    scenario = whatif.Scenario(add_course_ids=(3,), remove_course_ids=(1,), links=((2, 2, 3),))
    answer = whatif.what_if(programme, catalogue, scenario)
    changes = {c["ability"]: c for c in answer["diff"]["positions"][0]["changes"]}
    assert set(changes) == {1, 2, 3}
    assert changes[1]["opened"]
    assert changes[1]["after"]["status"] == "missing"
    assert changes[2]["closed"]
    assert changes[2]["after"]["best_level"] == "M"
    assert changes[3]["closed"]
    assert answer["diff"]["closed"] == 2
    assert answer["diff"]["opened"] == 1
    # The catalogue names no areas: the engine reports these abilities under "no area".
    [area] = answer["diff"]["areas"]
    assert area["area"] is None
    assert sorted(area["abilities"]) == [1, 2, 3]
    changed_programme, changed_catalogue = whatif.apply_scenario(programme, catalogue, scenario)
    assert answer["after"] == compute_report(changed_programme, changed_catalogue)
    assert changed_programme.course_ids == (2, 3)
    # The inputs are untouched.
    assert catalogue.courses[2].links == ((2, 1),)
    assert (
        whatif.what_if(programme, catalogue, whatif.Scenario())["diff"]["positions"][0]["changes"]
        == []
    )


def test_what_if_counts_every_status_that_gets_better_or_worse():
    """A requirement whose status gets worse counts as worse whether it was covered or partial,
    and one whose status gets better as better whether it reaches covered or only partial:
    `closed` and `opened` keep counting only those crossing into or out of covered."""
    # Levels 1, 2, 3 are I, R, M.
    catalogue = _catalogue(
        [
            CourseIn(1, ((1, 2),)),  # ability 1 at R of M: partial
            CourseIn(2, ((3, 2), (4, 1))),  # ability 3 at R of R: covered; 4 at I of R: partial
            CourseIn(3, ((2, 1),)),  # outside: ability 2 at I of M
        ],
        [RequirementIn(1, 3), RequirementIn(2, 3), RequirementIn(3, 2), RequirementIn(4, 2)],
    )
    programme = ProgrammeIn(5, (1, 2), (7,))
    scenario = whatif.Scenario(
        remove_course_ids=(1,),  # 1: partial -> missing
        add_course_ids=(3,),  # 2: missing -> partial
        links=((2, 3, 1), (2, 4, 3)),  # 3: covered -> partial; 4: partial -> covered
    )
    diff = whatif.what_if(programme, catalogue, scenario)["diff"]
    changes = {c["ability"]: c for c in diff["positions"][0]["changes"]}
    statuses = {a: (c["before"]["status"], c["after"]["status"]) for a, c in changes.items()}
    assert statuses == {
        1: ("partial", "missing"),
        2: ("missing", "partial"),
        3: ("covered", "partial"),
        4: ("partial", "covered"),
    }
    assert {a for a, c in changes.items() if c["worse"]} == {1, 3}
    assert {a for a, c in changes.items() if c["better"]} == {2, 4}
    assert (diff["better"], diff["worse"]) == (2, 2)
    assert (diff["closed"], diff["opened"]) == (1, 1)
