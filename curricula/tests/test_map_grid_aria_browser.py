"""The curriculum map's grid as a screen reader meets it (WAI-ARIA Authoring Practices' grid
pattern), in a real browser: a map shown a slice of courses or abilities at a time tells each
cell's place among the whole view's (aria-colcount, aria-colindex, aria-rowcount,
aria-rowindex), and a reader who may not edit meets a read-only grid."""

import pytest
from playwright.sync_api import expect

from conftest import log_in
from curricula.selectors.maps import MAP_PAGE_COLUMNS, MAP_PAGE_ROWS
from curricula.tests.test_map_wide_programme_browser import _mechanical_engineering

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each row of the map's table: its aria-rowindex, and each cell's aria-colindex.
INDEXES = """() => Array.from(document.querySelectorAll('#curriculum-map tr')).map(tr => ({
    row: tr.getAttribute('aria-rowindex'),
    cells: Array.from(tr.children, cell => cell.getAttribute('aria-colindex')),
}))"""


def _grid_property(page, name: str):
    """The map grid's property `name` as Chromium hands it to a screen reader."""
    cdp = page.context.new_cdp_session(page)
    for node in cdp.send("Accessibility.getFullAXTree")["nodes"]:
        if node.get("role", {}).get("value") == "grid":
            found = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
            return found.get(name)
    raise AssertionError("no grid")


def test_a_map_sliced_by_courses_tells_each_cell_its_column_among_them_all(open_page, staff_user):
    """A map of 50 courses shows 40 at a time: on the second slice a screen reader counted its
    table's own columns, so the 41st course was read as column 4 of 13. The grid now says it has
    the whole view's columns (3 + 50) and each cell's place among them, after a save too."""
    programme = _mechanical_engineering(courses_per_module=25)
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"{programme.get_absolute_url()}?cols=2")
    grid = page.locator("#curriculum-map")
    expect(grid).to_have_attribute("aria-colcount", str(3 + 2 * 25))
    fixed = 3
    first_course = fixed + MAP_PAGE_COLUMNS + 1
    head_groups, head_courses, *body = page.evaluate(INDEXES)
    assert head_groups["cells"][:fixed] == ["1", "2", "3"]
    assert head_groups["cells"][fixed] == str(first_course)
    assert head_courses["cells"] == [str(first_course + i) for i in range(50 - MAP_PAGE_COLUMNS)]
    for row in body:
        if len(row["cells"]) == 1:  # a competency area's heading, across the table
            assert row["cells"] == ["1"]
        else:
            assert row["cells"] == ["1", "2", "3"] + head_courses["cells"]

    # A saved cell's row is swapped for the server's: it keeps its places.
    cell = page.locator("#curriculum-map tr.map-row").first.locator("td.level-cell").first
    cell.focus()
    page.keyboard.press("i")
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    expect(page.locator("#map-status")).to_contain_text("Saved")
    expect(cell).to_be_focused()
    _, _, *after = page.evaluate(INDEXES)
    assert after == body
    assert watch.problems == []


def test_a_map_sliced_by_abilities_tells_each_row_its_place_among_them_all(open_page, live_server):
    """A map of more than 50 abilities shows 50 at a time: on the next slice a screen reader
    read the first ability as row 3 of the table's own. Each row now says its place in the whole
    view's grid (its two heading rows, each competency area's heading and every ability), a
    heading repeated atop the slice the place of the area's one heading."""
    from curricula.coverage.services import coverage_recompute
    from curricula.models import Module
    from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
    from positions.tests.factories import (
        AbilityFactory,
        PositionFactory,
        RequirementFactory,
        level,
    )

    position = PositionFactory(name="Wide target")
    # In a module, so the header has its two rows (a map without modules has one: see
    # test_map_without_modules_browser).
    course = CourseFactory(code="ONE", module=Module.objects.create(code="M", name="Module"))
    count = MAP_PAGE_ROWS + 5
    # Two competency areas, of 10 and 45 abilities: the one the next slice starts in goes on.
    first_area = AbilityFactory(code="R000")
    second_area = AbilityFactory(code="R010", framework=first_area.framework)
    for index in range(count):
        ability = {0: first_area, 10: second_area}.get(index) or AbilityFactory(
            code=f"R{index:03d}",
            framework=first_area.framework,
            area=(first_area if index < 10 else second_area).area,
        )
        RequirementFactory(position=position, ability=ability, min_level=level("M"))
        CourseAbilityFactory(course=course, ability=ability, level=level("I"))
    programme = ProgrammeFactory(courses=[course], targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)

    page, watch = open_page()
    page.goto(programme.get_absolute_url())
    page1 = page.evaluate(INDEXES)
    first = [row["row"] for row in page1]
    assert first == [str(i) for i in range(1, len(first) + 1)]
    page.goto(f"{programme.get_absolute_url()}?rows=2")
    second = page.evaluate(INDEXES)
    assert [row["row"] for row in second[:2]] == ["1", "2"]
    # The area the slice starts in heads it again, at its heading's place on the first slice.
    heading, *rest = second[2:]
    assert len(heading["cells"]) == 1
    assert heading["row"] in first[2:]
    assert len(page1[first.index(heading["row"])]["cells"]) == 1
    rest = [row["row"] for row in rest]
    assert rest == [str(i) for i in range(len(first) + 1, len(first) + 1 + len(rest))]
    total = str(len(first) + len(rest))
    expect(page.locator("#curriculum-map")).to_have_attribute("aria-rowcount", total)
    page.goto(programme.get_absolute_url())
    expect(page.locator("#curriculum-map")).to_have_attribute("aria-rowcount", total)
    assert watch.problems == []


def test_a_reader_who_may_not_edit_meets_a_read_only_grid(open_page, staff_user):
    """A visitor's map is a grid with nothing to edit: Chromium handed it to screen readers as
    editable (not read-only), so its cells could be announced as editable. It is now read-only;
    an editor's is not."""
    programme = _mechanical_engineering(courses_per_module=2)
    page, watch = open_page()
    page.goto(programme.get_absolute_url())
    expect(page.locator("#curriculum-map")).to_have_attribute("aria-readonly", "true")
    assert _grid_property(page, "readonly") is True
    log_in(page, "staff", "staff-pass-123")
    page.goto(programme.get_absolute_url())
    expect(page.locator("#curriculum-map")).to_have_attribute("role", "grid")
    assert _grid_property(page, "readonly") is False
    assert watch.problems == []
