"""Selecting a block of the map by dragging over it with the mouse, in a real browser (Debian's
Chromium through Playwright, as test_map_browser.py)."""

import pytest
from playwright.sync_api import expect

from conftest import log_in
from curricula.tests.test_map_browser import _cell, _history_count, _links, _programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _middle(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_block_dragged_over_with_the_mouse_is_selected(open_page, seeded, staff_user, width):
    """Observed: a designer pressed the mouse on a cell and dragged to another, as in the
    spreadsheet the map was kept in: nothing was selected (the browser selected the cells' text
    instead), and a level typed then opened the editor for the first cell alone. The block
    dragged over is selected, the focus on the cell let go on; typing a level opens the editor
    for the whole block, which writes nothing until Save."""
    page, watch = open_page(width)
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"/programs/{_programme().pk}/")
    links, history = _links(), _history_count()
    # A block selected with Shift and the arrow keys before: the drag starts a block of its own.
    _cell(page, 2, 1).click()
    page.keyboard.press("Shift+ArrowDown")
    expect(page.locator("#map-selection")).to_have_text("2 cells selected.")
    # Two cells across and down, in sight beside the fixed columns at either width.
    _cell(page, 1, 1).scroll_into_view_if_needed()
    page.mouse.move(*_middle(_cell(page, 0, 0)))
    page.mouse.down()
    page.mouse.move(*_middle(_cell(page, 0, 1)), steps=4)
    page.mouse.move(*_middle(_cell(page, 1, 1)), steps=4)
    page.mouse.up()
    expect(page.locator("#map-selection")).to_have_text("4 cells selected.")
    assert page.locator("#curriculum-map td.is-selected").count() == 4
    expect(_cell(page, 1, 1)).to_be_focused()
    assert page.evaluate("String(window.getSelection())") == ""
    page.keyboard.press("m")
    expect(page.locator("#map-panel-title")).to_have_text("Set 4 cells")
    page.keyboard.press("Escape")
    expect(page.locator("#map-panel")).to_be_hidden()
    # A click afterwards selects its one cell again, as before.
    _cell(page, 0, 0).click()
    expect(page.locator("#map-selection")).to_have_text("One cell selected.")
    assert (_links(), _history_count()) == (links, history)
    assert watch.problems == []
