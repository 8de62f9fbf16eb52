"""The pure progression engine on hand-made cases: no database, no Django. One case (at least)
per finding, and the cases that must not raise one."""

from curricula.progression.engine import (
    HIGH,
    LEVEL_FALLS,
    LOW,
    MASTERED_FIRST,
    MEDIUM,
    NEVER_BUILT_ON,
    SINGLE_POINT,
    CourseIn,
    LevelIn,
    ProgressionIn,
    compute_progression,
)

I, R, M = 11, 12, 13  # noqa: E741 (the levels are called I, R and M); ids apart from ranks
LEVELS = {I: LevelIn(I, "I", 1), R: LevelIn(R, "R", 2), M: LevelIn(M, "M", 3)}
A, B = 100, 200  # abilities


def run(*courses, required=None):
    return compute_progression(
        ProgressionIn(courses=tuple(courses), levels=LEVELS, required=required or {})
    )


def kinds(progression, ability=A):
    return [
        (f.kind, f.severity, f.course_ids) for f in progression.findings if f.ability_id == ability
    ]


def test_a_textbook_progression_raises_nothing_and_lays_the_levels_out_by_term():
    progression = run(
        CourseIn(1, 1, ((A, I),)), CourseIn(2, 3, ((A, R),)), CourseIn(3, 5, ((A, M),))
    )
    assert progression.findings == []
    assert progression.terms == [1, 3, 5]
    assert progression.final_term == 5
    (ability,) = progression.abilities
    assert {term: [s.code for s in steps] for term, steps in ability.by_term.items()} == {
        1: ["I"],
        3: ["R"],
        5: ["M"],
    }


def test_mastered_with_no_introduction_anywhere_is_a_high_finding_naming_the_course():
    progression = run(CourseIn(1, 2, ((A, M),)), CourseIn(2, 1, ((B, I),)))
    assert kinds(progression) == [(MASTERED_FIRST, HIGH, (1,))]
    assert progression.findings[0].detail["term"] is None


def test_mastered_before_its_groundwork_names_both_courses_and_both_terms():
    progression = run(CourseIn(1, 2, ((A, M),)), CourseIn(2, 4, ((A, R),)))
    finding = next(f for f in progression.findings if f.kind == MASTERED_FIRST)
    assert finding.course_ids == (1, 2)
    assert finding.detail == {
        "term": 2,
        "level": "M",
        "groundwork_term": 4,
        "groundwork_level": "R",
    }


def test_introduction_in_the_same_term_as_mastery_is_not_earlier():
    progression = run(CourseIn(1, 3, ((A, M),)), CourseIn(2, 3, ((A, I),)))
    assert [f.kind for f in progression.findings] == [MASTERED_FIRST]


def test_groundwork_with_no_term_claims_nothing_about_the_order():
    progression = run(CourseIn(1, 2, ((A, M),)), CourseIn(2, None, ((A, I),)))
    assert progression.findings == []
    assert progression.has_unscheduled
    assert set(progression.abilities[0].by_term) == {2, None}


def test_introduced_never_reinforced_is_medium_and_high_when_a_target_wants_more():
    alone = run(CourseIn(1, 1, ((A, I),)), CourseIn(2, 2, ((A, I),)))
    assert kinds(alone) == [(NEVER_BUILT_ON, MEDIUM, (1, 2))]
    wanted = run(CourseIn(1, 1, ((A, I),)), required={A: R})
    assert kinds(wanted) == [(NEVER_BUILT_ON, HIGH, (1,))]
    assert wanted.findings[0].detail["required_more"] is True
    enough = run(CourseIn(1, 1, ((A, I),)), required={A: I})
    assert kinds(enough) == [(NEVER_BUILT_ON, MEDIUM, (1,))]


def test_a_fall_after_a_later_course_names_the_peak_and_the_later_course():
    progression = run(
        CourseIn(1, 1, ((A, I),)), CourseIn(2, 2, ((A, M),)), CourseIn(3, 5, ((A, I),))
    )
    assert kinds(progression) == [(LEVEL_FALLS, MEDIUM, (2, 3))]
    assert progression.findings[0].detail == {
        "from_term": 2,
        "from_level": "M",
        "to_term": 5,
        "to_level": "I",
    }


def test_a_fall_of_one_step_is_low_and_steps_count_places_on_the_scale_not_ranks():
    progression = run(
        CourseIn(1, 1, ((A, I),)), CourseIn(2, 2, ((A, M),)), CourseIn(3, 3, ((A, R),))
    )
    assert kinds(progression) == [(LEVEL_FALLS, LOW, (2, 3))]
    sparse = {I: LevelIn(I, "I", 1), R: LevelIn(R, "R", 5), M: LevelIn(M, "M", 9)}
    one_step = compute_progression(
        ProgressionIn(
            courses=(
                CourseIn(1, 1, ((A, I),)),
                CourseIn(2, 2, ((A, M),)),
                CourseIn(3, 3, ((A, R),)),
            ),
            levels=sparse,
        )
    )
    assert [f.severity for f in one_step.findings] == [LOW]


def test_repeating_a_level_in_a_later_term_is_not_a_fall():
    progression = run(
        CourseIn(1, 1, ((A, R),)), CourseIn(2, 2, ((A, R),)), CourseIn(3, 3, ((A, M),))
    )
    assert progression.findings == []


def test_required_at_mastery_reached_only_in_the_final_term_by_one_course_is_a_single_point():
    progression = run(
        CourseIn(1, 1, ((A, I),)),
        CourseIn(2, 2, ((A, R), (B, I))),
        CourseIn(3, 4, ((A, M),)),
        required={A: M},
    )
    assert kinds(progression) == [(SINGLE_POINT, HIGH, (3,))]
    assert progression.findings[0].detail == {"term": 4, "level": "M"}


def test_no_single_point_with_two_courses_at_mastery_an_earlier_one_or_a_lower_requirement():
    two = run(
        CourseIn(1, 1, ((A, I),)),
        CourseIn(2, 4, ((A, M),)),
        CourseIn(3, 4, ((A, M),)),
        required={A: M},
    )
    assert two.findings == []
    earlier = run(
        CourseIn(1, 1, ((A, I),)),
        CourseIn(2, 3, ((A, M),)),
        CourseIn(3, 4, ((B, I),)),
        required={A: M},
    )
    assert SINGLE_POINT not in [f.kind for f in earlier.findings]
    lower = run(CourseIn(1, 1, ((A, I),)), CourseIn(2, 4, ((A, M),)), required={A: R})
    assert lower.findings == []


def test_findings_come_most_severe_first_and_are_counted_by_severity():
    progression = run(
        CourseIn(1, 1, ((A, R), (B, I))),
        CourseIn(2, 2, ((A, M),)),
        CourseIn(3, 3, ((A, R),)),
        CourseIn(4, 4, ((B, I),)),
        required={B: M},
    )
    assert [f.severity for f in progression.findings] == [HIGH, LOW]
    assert progression.counts() == {HIGH: 1, MEDIUM: 0, LOW: 1}


def test_a_scale_of_one_level_never_calls_it_both_introduced_and_mastered():
    one = {I: LevelIn(I, "X", 1)}
    progression = compute_progression(
        ProgressionIn(courses=(CourseIn(1, 1, ((A, I),)),), levels=one)
    )
    assert NEVER_BUILT_ON not in [f.kind for f in progression.findings]


def test_a_scale_of_one_level_raises_no_mastery_without_groundwork():
    """Observed: on a site whose scale has one level, every ability a programme builds was a
    high finding, "Built to X with no earlier course at a lower level ()": no lower level
    exists for any course to build it to first, so nothing is claimed (as never_built_on
    claims nothing there either)."""
    one = {I: LevelIn(I, "X", 1)}
    progression = compute_progression(
        ProgressionIn(
            courses=(
                CourseIn(1, 1, ((A, I),)),
                CourseIn(2, 2, ((B, I),)),
                CourseIn(3, None, ((B, I),)),
            ),
            levels=one,
        )
    )
    assert [f.kind for f in progression.findings] == []
