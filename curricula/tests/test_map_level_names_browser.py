"""The map's Required and Reached columns are named by their levels' names for a screen reader,
in the reader's language. Each showed the level's code in an <abbr title="Mastered">M</abbr>:
an abbr's title is a description, not its name, so a screen reader's name of the cell was "M"
(as Chrome's accessibility tree has it), where the map's own cells say "Mastered, course ...".
Sighted readers still see the code, with the name as its tooltip."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The level names as the message catalogue has them (positions.levels.LEVEL_NAMES).
NAMES = {
    "en": {"M": "Mastered", "R": "Reinforced", "covered": "covered", "missing": "missing"},
    "zh-hans": {"M": "熟练掌握", "R": "巩固提高", "covered": "已覆盖", "missing": "缺失"},
}


@pytest.fixture
def small_map():
    """One target position requiring A1 at M (reached at M by K1) and A2 at R (reached by none)."""
    from curricula.coverage.services import coverage_recompute
    from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
    from positions.tests.factories import (
        AbilityFactory,
        PositionFactory,
        RequirementFactory,
        level,
    )

    position = PositionFactory()
    reached = AbilityFactory(code="A1")
    missing = AbilityFactory(code="A2")
    RequirementFactory(position=position, ability=reached, min_level=level("M"))
    RequirementFactory(position=position, ability=missing, min_level=level("R"))
    course = CourseFactory(code="K1")
    CourseAbilityFactory(course=course, ability=reached, level=level("M"))
    programme = ProgrammeFactory(courses=[course], targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme, reached, missing


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_required_and_reached_cells_are_named_by_their_levels(
    open_page, live_server, small_map, language
):
    programme, reached, missing = small_map
    page, watch = open_page()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"/programs/{programme.pk}/")
    names = NAMES[language]
    row = page.locator(f"tr[data-ability='{reached.pk}']")
    required, best = row.locator("td.col-required"), row.locator("td.col-reached")
    expect(required).to_have_accessible_name(names["M"])
    # The script makes the map a grid (its cells gridcells) for its keyboard navigation.
    expect(page.get_by_role("gridcell", name=names["M"], exact=True)).to_have_count(1)
    other = page.locator(f"tr[data-ability='{missing.pk}']")
    expect(other.locator("td.col-required")).to_have_accessible_name(names["R"])
    expect(best).to_have_accessible_name(f"{names['M']} {names['covered']}")
    expect(other.locator("td.col-reached")).to_have_accessible_name(names["missing"])
    # What a sighted reader sees is unchanged: the code, its name in the tooltip.
    for cell in (required, best):
        code = cell.locator("abbr")
        expect(code).to_have_text("M")
        expect(code).to_have_attribute("title", names["M"])
        shown = cell.evaluate("node => node.innerText.replace(/\\s+/g, ' ').trim()")
        assert shown.split(" ")[0] == "M", shown
        box = cell.bounding_box()
        assert box["width"] < 120, box
    assert watch.problems == []
