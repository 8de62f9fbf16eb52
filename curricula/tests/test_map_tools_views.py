"""The map's editing tools (select a row or column, set the selected cells, the keyboard help)
are offered where there is a map to edit, and not above an empty one."""

import pytest

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db

TOOLS = 'data-map-action="select-row"'


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def test_a_programme_without_target_positions_offers_no_map_tools(staff):
    """A mechanical engineering programme of ten courses and no targets yet: the page said there
    were no required abilities to map, under *Select row*, *Select column*, *Set selected cells
    to I R M Clear* and the keyboard help, six buttons a keyboard user tabbed through that did
    nothing (the map's script has no grid to work on)."""
    programme = ProgrammeFactory(
        name="Mechanical Engineering (no targets)",
        courses=[CourseFactory(title=f"Thermodynamics {i}") for i in range(10)],
    )

    page = staff.get(programme.get_absolute_url()).content.decode()

    assert "No target positions yet, so no required abilities to map." in page
    assert TOOLS not in page
    assert "Keyboard and paste" not in page


def test_a_map_with_rows_offers_the_tools_and_a_filter_matching_nothing_does_not(staff):
    requirement = RequirementFactory(ability__text="size a gearbox for a given torque")
    course = CourseFactory(title="Machine design")
    CourseAbilityFactory(course=course, ability=requirement.ability)
    programme = ProgrammeFactory(courses=[course], targets=[requirement.position])

    page = staff.get(programme.get_absolute_url()).content.decode()
    assert TOOLS in page

    page = staff.get(programme.get_absolute_url(), {"q": "turbine"}).content.decode()
    assert "Nothing in the map matches these filters." in page
    assert TOOLS not in page
