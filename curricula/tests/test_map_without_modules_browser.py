"""The curriculum map of a programme whose courses are in no module (a nursing programme built
from nothing), in a real browser: its header is one row, which stays at the top of the map's box
as the arrow keys move down it, never over the focused cell, and the grid tells a screen reader
each cell's place with that one header row counted."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COURSES = 45  # more than a slice of columns (MAP_PAGE_COLUMNS, 40)
ABILITIES = 55  # more than a slice of rows (MAP_PAGE_ROWS, 50)

# The map's header rows; where the box, its corner, its first course head and the focused cell
# stand on the screen.
PLACES = """() => {
    const grid = document.querySelector('#curriculum-map');
    const box = document.querySelector('.map-scroll');
    const top = el => el.getBoundingClientRect().top;
    const bottom = el => el.getBoundingClientRect().bottom;
    const course = grid.querySelector('thead .course-head');
    const cell = document.activeElement;
    return {
        headRows: grid.tHead.rows.length,
        box: top(box) + box.clientTop,
        corner: top(grid.querySelector('.map__corner')),
        course: top(course),
        courseBottom: bottom(course),
        cellTop: top(cell),
        scrolled: box.scrollTop,
        focused: cell.matches('td.level-cell'),
        label: cell.getAttribute('aria-label'),
    };
}"""

INDEXES = """() => Array.from(document.querySelectorAll('#curriculum-map tr')).map(tr => ({
    row: tr.getAttribute('aria-rowindex'),
    cells: Array.from(tr.children, cell => cell.getAttribute('aria-colindex')),
}))"""


def _nursing_without_modules():
    from django.db import transaction

    from curricula.coverage.services import coverage_recompute
    from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
    from positions.tests.factories import (
        AbilityFactory,
        CompetencyAreaFactory,
        FrameworkFactory,
        PositionFactory,
        RequirementFactory,
    )

    with transaction.atomic():
        framework = FrameworkFactory()
        area = CompetencyAreaFactory(name="Clinical practice")
        nurse = PositionFactory(name="Registered nurse")
        abilities = [
            AbilityFactory(
                framework=framework, area=area, code=f"NUR.{i:02d}", text=f"nursing ability {i}"
            )
            for i in range(ABILITIES)
        ]
        for ability in abilities:
            RequirementFactory(position=nurse, ability=ability)
        courses = [
            CourseFactory(code=f"NUR{i:03d}", title=f"Nursing course {i}", module=None)
            for i in range(COURSES)
        ]
        for i, ability in enumerate(abilities):
            CourseAbilityFactory(course=courses[i % COURSES], ability=ability)
        programme = ProgrammeFactory(
            name="Bachelor of Nursing",
            certification=None,
            own_degree_level="bachelor",
            courses=courses,
            targets=[nurse],
        )
        coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


def test_a_map_without_modules_has_one_header_row_that_stays_clear_of_the_focused_cell(
    open_page,
):
    """Observed: every column of a programme without modules stood under one "No module"
    header. Its header is now one row: the fixed heads and the course heads side by side, held
    at the top of the box as the arrow keys move down the map (a course head held a module
    row's height lower let the cells show above it), and never over the cell moved to."""
    programme = _nursing_without_modules()
    page, watch = open_page()
    page.goto(programme.get_absolute_url())
    region = page.locator(".map-scroll")
    region.evaluate("node => node.scrollIntoView()")
    expect(page.locator("#curriculum-map .module-head")).to_have_count(0)

    page.locator("#curriculum-map td.level-cell").first.focus()
    for _ in range(30):
        page.keyboard.press("ArrowDown")
    page.wait_for_timeout(100)  # the box is brought clear of the header on the next frame
    places = page.evaluate(PLACES)
    assert places["headRows"] == 1, places
    assert places["focused"], places
    assert places["scrolled"] > 0, places
    assert abs(places["corner"] - places["box"]) < 1, places
    assert abs(places["course"] - places["box"]) < 1, places
    assert places["cellTop"] >= places["courseBottom"] - 0.5, places
    assert places["label"] == "not taught, course NUR000, ability NUR.30"

    for _ in range(30):
        page.keyboard.press("ArrowUp")
    page.wait_for_timeout(100)
    places = page.evaluate(PLACES)
    assert places["label"] == "Reinforced, course NUR000, ability NUR.00"
    assert places["cellTop"] >= places["courseBottom"] - 0.5, places
    assert watch.problems == []


def test_a_sliced_map_without_modules_counts_its_one_header_row(open_page):
    """A slice of a map without modules tells a screen reader its places with one header row
    counted: the first ability is row 3 (the header, the area's heading), not 4, and the
    courses' heads, in the fixed heads' row, their columns among the whole view's."""
    programme = _nursing_without_modules()
    page, watch = open_page()
    page.goto(f"{programme.get_absolute_url()}?cols=2&rows=2")
    grid = page.locator("#curriculum-map")
    expect(grid).to_have_attribute("aria-colcount", str(3 + COURSES))
    expect(grid).to_have_attribute("aria-rowcount", str(1 + 1 + ABILITIES))
    head, area, first, *_rest = page.evaluate(INDEXES)
    assert head == {
        "row": "1",
        "cells": ["1", "2", "3"] + [str(3 + 40 + 1 + i) for i in range(COURSES - 40)],
    }
    assert area["row"] == "2"
    assert first["row"] == str(1 + 1 + 50 + 1)
    assert first["cells"] == head["cells"]
    assert watch.problems == []
