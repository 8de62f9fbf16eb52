"""The map's editing tools (select a row or column, set the selected cells, the keyboard help)
are offered where there is a map to edit, and not above an empty one."""

import html
import re

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


def _level_buttons(page: str) -> dict[str, str]:
    """The *Set selected cells to* buttons' accessible names by their level: the aria-label, or
    the letter they show when they have none (a title is a description, not a name)."""
    found = {}
    for button in re.finditer(r"<button[^>]*data-map-level=\"(\w+)\"[^>]*>([^<]*)</button>", page):
        label = re.search(r'aria-label="([^"]*)"', button.group(0))
        found[button.group(1)] = html.unescape(label.group(1) if label else button.group(2))
    return found


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", {"I": "Introduced (I)", "R": "Reinforced (R)", "M": "Mastered (M)"}),
        # Chinese brackets are full-width, with no space before them.
        ("zh-hans", {"I": "初步接触（I）", "R": "巩固提高（R）", "M": "熟练掌握（M）"}),  # noqa: RUF001
    ],
)
def test_the_set_level_buttons_are_named_by_their_levels_names(staff, language, names):
    """Observed with a screen reader: *Set selected cells to* read "I button, R button, M
    button", the level's name only in a title (a description, read after a pause if at all).
    Each button's name is the level's name in the reader's language with its letter, which it
    still shows (WCAG 2.5.3: the visible label is in the name)."""
    requirement = RequirementFactory(ability__text="size a gearbox for a given torque")
    course = CourseFactory(title="Machine design")
    CourseAbilityFactory(course=course, ability=requirement.ability)
    programme = ProgrammeFactory(courses=[course], targets=[requirement.position])

    page = staff.get(programme.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)

    assert _level_buttons(page.content.decode()) == names


def test_a_level_staff_renamed_names_its_button_as_named(staff):
    """Levels are data: a scale staff renamed is read by its own names, not the default's."""
    from positions.models import Level

    Level.objects.filter(code="I").update(name="Awareness")
    requirement = RequirementFactory(ability__text="size a gearbox for a given torque")
    course = CourseFactory(title="Machine design")
    CourseAbilityFactory(course=course, ability=requirement.ability)
    programme = ProgrammeFactory(courses=[course], targets=[requirement.position])

    page = staff.get(programme.get_absolute_url()).content.decode()

    assert _level_buttons(page)["I"] == "Awareness (I)"
