"""A programme's Map as CSV imports back though another framework has an ability coded as a level.

Observed: with a CASE framework loaded whose item is coded `M` (OpenSALT's ordering test
framework has one), the programme's own `map.csv` was refused on import: "The file can be read
both ways: its header row (line 2) names courses with abilities down a column…". The level
cells (M, R, I) read as codes of abilities outside the programme made a second, transposed
reading of the file. A reading naming none of the programme's own abilities or courses on one
of its axes is no reading of its map: the file is read the one way that does.
"""

import pytest
from django.test import Client

from curricula.coverage.services import coverage_recompute
from curricula.map_imports import ABILITIES_AS_ROWS, COURSES_AS_ROWS, map_import_plan
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        position = PositionFactory()
        abilities = [AbilityFactory(code=f"A{i}", text=f"Plan campaign {i}") for i in range(3)]
        for ability in abilities:
            RequirementFactory(position=position, ability=ability)
        courses = [CourseFactory(code=f"K{i}", title=f"Course {i}") for i in range(3)]
        CourseAbilityFactory(course=courses[0], ability=abilities[0], level=level("M"))
        CourseAbilityFactory(course=courses[1], ability=abilities[1], level=level("R"))
        CourseAbilityFactory(course=courses[1], ability=abilities[2], level=level("M"))
        programme = ProgrammeFactory(courses=courses, targets=[position])
        # Abilities of another framework, no target of the programme requires, coded as levels.
        for code in ("M", "R", "I"):
            AbilityFactory(code=code, text=f"Outside {code}")
        coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


def _download(staff_user, programme) -> bytes:
    client = Client()
    client.force_login(staff_user)
    response = client.get(f"/programs/{programme.pk}/map.csv")
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_map_as_csv_imports_back_though_abilities_elsewhere_are_coded_as_levels(grid, staff_user):
    content = _download(staff_user, grid)

    report = map_import_plan(programme=grid, content=content, file_name="map.csv")

    assert report.ok, report.problem_messages()
    assert report.orientation == COURSES_AS_ROWS
    assert report.plan.changes == []


def test_the_transposed_map_imports_too(grid):
    content = b"ability code,K0,K1,K2\nA0,M,,\nA1,,R,\nA2,,M,\n"

    report = map_import_plan(programme=grid, content=content, file_name="map.csv")

    assert report.ok, report.problem_messages()
    assert report.orientation == ABILITIES_AS_ROWS
    assert report.plan.changes == []


def test_a_file_that_names_the_maps_codes_both_ways_is_still_refused(grid):
    # Abilities over courses on line 1, courses over abilities on line 2: both readings name
    # the programme's own records, so which one was meant is the client's to say.
    content = b"course code,A0,A1\nK0,M,\nability code,K1,K2\nA2,M,\n"

    report = map_import_plan(programme=grid, content=content, file_name="map.csv")

    assert not report.ok
    assert "both ways" in " ".join(report.problem_messages())
