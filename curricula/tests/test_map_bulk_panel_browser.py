"""The map editor's *Set selected cells to* panel, as a designer walking a programme's map met
it: headed by how many cells it sets, in the reader's number (one cell selected and *M* pressed
opened a panel headed "Set 1 cells", though the selection line above it said "One cell
selected."), and leaving the map's columns readable once saved and closed."""

import pytest
from playwright.sync_api import expect

from conftest import log_in
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


def _hidden_texts(page) -> list[str]:
    """The map's body cells whose text is drawn transparent (map-under), by row and column."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("#curriculum-map tbody td.map-under"),
             (td) => `${td.closest("tr").id}:${td.cellIndex}`)"""
    )


def _scrolled(page) -> float:
    return page.evaluate("() => document.querySelector('.map-scroll').scrollLeft")


def test_after_a_save_no_column_keeps_its_text_hidden_once_the_map_scrolls_back(
    open_page, seeded, staff_user
):
    """Observed walking a programme's map at 1280 px: the panel opened beside the page, the map
    scrolled sideways to keep the cell in view and the *Required by* column, partly under the
    fixed columns, lost its text (as designed). Saved, the panel closed and the map scrolled back,
    but every row but the saved one kept its *Required by* text hidden: the column read empty."""
    from curricula.models import Programme

    # Four courses: at 1280 px the map fits beside nothing, and scrolls only beside the panel.
    programme = Programme.objects.get(
        name="Cross-border e-commerce engineer — Technological development"
    )
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"/programs/{programme.pk}/")
    assert _scrolled(page) == 0
    _cell(page, 2, 1).click()
    page.get_by_role("button", name="Mastered (M)").click()
    expect(page.locator("#map-panel-title")).to_be_visible()
    page.wait_for_timeout(300)  # the sliver check runs on the next frame
    assert _scrolled(page) > 0, "the panel should have narrowed the map into scrolling"
    assert _hidden_texts(page), "the column partly under the fixed ones should hide its text"
    page.locator("#map-panel").get_by_role("button", name="Save").click()
    expect(page.locator("#map-status")).to_contain_text("Saved")
    page.wait_for_timeout(300)
    assert _scrolled(page) == 0
    assert _hidden_texts(page) == []
    assert watch.problems == []
