"""The map editor's *Set selected cells to* panel is headed by how many cells it sets, in the
reader's language and number: observed walking a programme's map, one cell selected and *M*
pressed opened a panel headed "Set 1 cells" (the selection line above it said "One cell
selected." correctly)."""

import pytest
from playwright.sync_api import expect

from curricula.tests.test_map_browser import _cell, _staff_on_the_map

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bulk_panel_says_one_cell_for_one_and_counts_several(open_page, seeded, staff_user):
    _, page, watch = _staff_on_the_map(open_page)
    _cell(page, 0, 0).click()
    expect(page.locator("#map-selection")).to_have_text("One cell selected.")
    page.get_by_role("button", name="Mastered (M)").click()
    expect(page.locator("#map-panel-title")).to_have_text("Set one cell")
    page.locator("#map-panel").get_by_role("button", name="Cancel").click()

    _cell(page, 0, 0).click()
    _cell(page, 0, 1).click(modifiers=["Shift"])
    expect(page.locator("#map-selection")).to_have_text("2 cells selected.")
    page.get_by_role("button", name="Mastered (M)").click()
    expect(page.locator("#map-panel-title")).to_have_text("Set 2 cells")
    assert watch.problems == []
