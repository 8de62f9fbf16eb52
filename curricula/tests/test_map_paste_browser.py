"""The map editor's paste and its cells' names, in a real browser (Debian's Chromium through
Playwright, as test_map_browser.py): a block pasted at a paged map's edge goes on over its next
courses and abilities, previewed and saved as one change set; one value pasted over a
selection fills it, as spreadsheets do, previewed and saved as one change set; each cell's
accessible name is its level's name with its course and ability, and the grid stays one tab
stop."""

import re

import pytest
from playwright.sync_api import expect

from conftest import log_in
from curricula.tests.test_map_browser import (
    _cell,
    _history_count,
    _links,
    _paste_text,
    _staff_on_the_map,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _paste(page, text: str):
    _paste_text(page, text)
    preview = page.locator("#map-panel form.map-preview")
    preview.wait_for()
    return preview


@pytest.fixture
def paged_programme():
    """A target requiring two more abilities than a page of rows (P000, P001, ...), and two more
    courses than a page of columns (C000, C001, ...), with no links: the map is paged both ways."""
    from curricula.coverage.services import coverage_recompute
    from curricula.selectors.maps import MAP_PAGE_COLUMNS, MAP_PAGE_ROWS
    from curricula.tests.factories import CourseFactory, ProgrammeFactory
    from positions.tests.factories import (
        AbilityFactory,
        PositionFactory,
        RequirementFactory,
        level,
    )

    position = PositionFactory(name="Paged target")
    for index in range(MAP_PAGE_ROWS + 2):
        ability = AbilityFactory(code=f"P{index:03d}", area=None)
        RequirementFactory(position=position, ability=ability, min_level=level("M"))
    courses = [CourseFactory(code=f"C{index:03d}") for index in range(MAP_PAGE_COLUMNS + 2)]
    programme = ProgrammeFactory(courses=courses, targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


def test_a_block_pasted_at_a_paged_maps_edge_goes_on_over_its_next_pages_as_one_change_set(
    open_page, paged_programme, staff_user
):
    """Observed: a block pasted at the last cell of a page of the map (more courses and abilities
    than a page shows) was previewed as "3 pasted values fell outside the map", though the map
    goes on on its next pages of courses and of abilities. The server knows the whole map: the
    block goes on over them, previewed cell by cell, saved and undone as one change set."""
    from curricula.models import CourseAbility
    from curricula.selectors.maps import MAP_PAGE_COLUMNS, MAP_PAGE_ROWS

    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.goto(paged_programme.get_absolute_url())
    _cell(page, MAP_PAGE_ROWS - 1, MAP_PAGE_COLUMNS - 1).click()
    # Right of the corner: the next page of courses; below it: the next page of abilities.
    preview = _paste(page, "I\tR\nM\tM\n")
    expect(preview).to_contain_text("4 cells would change")
    expect(preview).not_to_contain_text("outside the map")
    expect(preview).to_contain_text(
        "3 pasted values go on beyond this page, onto the map's next courses or abilities, "
        "and are saved with the rest."
    )
    last_row, last_column = f"P{MAP_PAGE_ROWS:03d}", f"C{MAP_PAGE_COLUMNS:03d}"
    expect(preview.locator("tbody")).to_contain_text(last_row)
    expect(preview.locator("tbody")).to_contain_text(last_column)
    assert page.locator("#curriculum-map td.cell--pending").count() == 1  # the one shown
    assert CourseAbility.objects.count() == 0  # a preview writes nothing
    preview.get_by_role("button", name="Save 4 changes").click()
    status = page.locator("#map-status")
    expect(status).to_contain_text("Saved")
    corner_row, corner_column = f"P{MAP_PAGE_ROWS - 1:03d}", f"C{MAP_PAGE_COLUMNS - 1:03d}"
    assert set(
        CourseAbility.objects.values_list("course__code", "ability__code", "level__code")
    ) == {
        (corner_column, corner_row, "I"),
        (last_column, corner_row, "R"),
        (corner_column, last_row, "M"),
        (last_column, last_row, "M"),
    }
    reasons = set(CourseAbility.history.values_list("history_change_reason", flat=True))
    assert len(reasons) == 1  # one change set
    status.get_by_role("button", name="Undo").click()
    expect(status).to_contain_text("Undone")
    assert CourseAbility.objects.count() == 0

    # On the last page of courses, a value right of its last column is outside the map.
    page.goto(paged_programme.get_absolute_url() + "?cols=2")
    _cell(page, 0, 1).click()
    preview = _paste(page, "R\tM")
    expect(preview).to_contain_text("1 pasted value fell outside the map and is left out.")
    expect(preview).not_to_contain_text("beyond this page")
    assert watch.problems == []


def test_one_value_pasted_over_a_selection_fills_it_as_one_change_set(
    open_page, seeded, staff_user
):
    """Observed: with four cells selected, pasting one level (copied from one spreadsheet cell)
    previewed and saved only the first cell; spreadsheets fill the whole selection with it."""
    _, page, watch = _staff_on_the_map(open_page)
    links, history = _links(), _history_count()
    _cell(page, 0, 0).click()
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowDown")
    expect(page.locator("#map-selection")).to_have_text("4 cells selected.")
    before = [_cell(page, r, c).inner_text().strip() for r, c in ((0, 0), (0, 1), (1, 0), (1, 1))]
    wanted = "I" if "I" not in before else "M" if "M" not in before else "R"
    preview = _paste(page, wanted.lower() + "\r\n")
    expect(preview).to_contain_text("4 cells would change")
    expect(preview).to_contain_text("Preview of the selected cells")
    assert page.locator("#curriculum-map td.cell--pending").count() == 4
    assert (_links(), _history_count()) == (links, history)
    preview.get_by_role("button", name=re.compile(r"^Save 4 changes$")).click()
    status = page.locator("#map-status")
    expect(status).to_contain_text("Saved")
    names = {"I": "Introduced", "R": "Reinforced", "M": "Mastered"}
    for r, c in ((0, 0), (0, 1), (1, 0), (1, 1)):
        expect(_cell(page, r, c)).to_have_text(wanted)
        # The rows swapped in are named as the page's were, by their new level.
        expect(_cell(page, r, c)).to_have_accessible_name(re.compile(f"^{names[wanted]}, course "))
    from curricula.models import CourseAbility

    reasons = set(
        CourseAbility.history.order_by("-history_id").values_list(
            "history_change_reason", flat=True
        )[: _history_count() - history]
    )
    assert len(reasons) == 1  # one change set
    status.get_by_role("button", name="Undo").click()
    expect(status).to_contain_text("Undone")
    assert _links() == links

    # A block still starts at the focused cell, whatever was selected before.
    _cell(page, 2, 2).click()
    preview = _paste(page, "I\tR")
    expect(preview).to_contain_text("Preview of the pasted block")
    cells = {
        f"cell:{course}:{ability}"
        for course, ability in page.evaluate(
            """() => {
              const row = document.querySelectorAll("#curriculum-map tbody tr.map-row")[2];
              const courses = document.querySelectorAll("#curriculum-map thead th[data-course]");
              return [2, 3].map((c) => [courses[c].dataset.course, row.dataset.ability]);
            }"""
        )
    }
    sent = preview.locator("input[type=hidden][name^='cell:']").evaluate_all(
        "inputs => inputs.map((input) => input.name)"
    )
    assert set(sent) == cells
    assert watch.problems == []


def test_each_cell_is_named_by_its_level_course_and_ability_and_the_grid_is_one_tab_stop(
    open_page, seeded
):
    """Observed: a screen reader read a map cell as "M", or as "·" for an empty one (the
    stylesheet's dot), and never which course and ability it is."""
    from curricula.tests.test_map_browser import _programme

    programme = _programme()
    page, watch = open_page()
    page.goto(programme.get_absolute_url())
    grid = page.get_by_role("grid", name="Curriculum map")
    # The first row with a taught cell and an empty one.
    index = page.evaluate(
        """() => Array.from(document.querySelectorAll("#curriculum-map tbody tr.map-row"))
          .findIndex((row) => {
            const codes = Array.from(row.querySelectorAll("td.level-cell"), (td) => td.textContent);
            return codes.includes("") && codes.some(Boolean);
          })"""
    )
    row = page.locator("#curriculum-map tbody tr.map-row").nth(index)
    ability = row.locator("th .code").first.inner_text().strip()
    courses = [
        code.strip()
        for code in page.locator("#curriculum-map thead th[data-course] .code").all_inner_texts()
    ]
    levels = {"I": "Introduced", "R": "Reinforced", "M": "Mastered", "": "not taught"}
    codes = [td.strip() for td in row.locator("td.level-cell").all_inner_texts()]
    assert "" in codes
    assert any(codes)
    for course, code in zip(courses, codes, strict=True):
        name = f"{levels[code]}, course {course}, ability {ability}"
        expect(grid.get_by_role("gridcell", name=name, exact=True)).to_have_count(1)
    snapshot = grid.aria_snapshot()
    assert f'gridcell "{levels[codes[0]]}, course {courses[0]}, ability {ability}"' in snapshot
    # Every level cell is named so (the Required and Reached columns are not level cells).
    assert page.evaluate(
        """() => Array.from(document.querySelectorAll("#curriculum-map td.level-cell"))
          .every((td) => /, course .+, ability ./.test(td.getAttribute("aria-label") || ""))"""
    )
    assert 'gridcell "·"' not in snapshot, [
        line for line in snapshot.splitlines() if 'gridcell "·"' in line
    ][:5]
    # Still one tab stop: only the active cell is in the tab order.
    assert page.locator("#curriculum-map td[tabindex='0']").count() == 1
    _cell(page, 0, 0).focus()
    page.keyboard.press("ArrowRight")
    expect(_cell(page, 0, 1)).to_be_focused()
    expect(_cell(page, 0, 1)).to_have_accessible_name(re.compile(r", course .+, ability "))
    assert page.locator("#curriculum-map td[tabindex='0']").count() == 1
    assert watch.problems == []


def _select(page, rows: int, columns: int) -> None:
    """Select the block of `rows` by `columns` cells at the map's top-left corner from the
    keyboard (Ctrl+Home, then Shift and the arrow keys)."""
    page.locator("#curriculum-map td.level-cell[tabindex='0']").focus()
    page.keyboard.press("Control+Home")
    for _ in range(columns - 1):
        page.keyboard.press("Shift+ArrowRight")
    for _ in range(rows - 1):
        page.keyboard.press("Shift+ArrowDown")


def _sent(preview) -> dict:
    """The preview form's cells, {"cell:course:ability": level}."""
    return preview.locator("input[type=hidden][name^='cell:']").evaluate_all(
        "inputs => Object.fromEntries(inputs.map((input) => [input.name, input.value]))"
    )


def _names(page, cells) -> dict:
    """{(r, c): "cell:course:ability"} for the map's cells at (r, c)."""
    return {
        (r, c): name
        for r, c, name in page.evaluate(
            """(cells) => cells.map(([r, c]) => {
              const row = document.querySelectorAll("#curriculum-map tbody tr.map-row")[r];
              const course = document.querySelectorAll("#curriculum-map thead th[data-course]")[c];
              return [r, c, `cell:${course.dataset.course}:${row.dataset.ability}`];
            })""",
            [list(cell) for cell in cells],
        )
    }


def test_a_block_pasted_over_a_multiple_of_its_size_is_repeated_over_the_selection(
    open_page, seeded, staff_user
):
    """Observed: a row of two levels pasted over two rows of four selected cells wrote only the
    selection's top-left two cells. Spreadsheets (Excel, LibreOffice, Google Sheets) repeat a
    block over a selection that is a multiple of its size both ways, and paste it once over any
    other: the map does the same, the preview listing every cell it would write."""
    _, page, watch = _staff_on_the_map(open_page)
    links = _links()
    block = [(r, c) for r in range(2) for c in range(4)]
    names = _names(page, block)
    before = {cell: _cell(page, *cell).inner_text().strip() for cell in block}
    pair = ["I", "M"]
    _select(page, 2, 4)
    expect(page.locator("#map-selection")).to_have_text("8 cells selected.")
    preview = _paste(page, "\t".join(pair) + "\r\n")
    expect(preview).to_contain_text("Preview of the pasted block")
    wanted = {names[r, c]: pair[c % 2] for r, c in block}
    assert _sent(preview) == wanted
    changing = sum(1 for r, c in block if before[r, c] != pair[c % 2])
    expect(preview.locator("tbody tr")).to_have_count(changing)
    assert changing > 1
    expect(preview).to_contain_text(f"{changing} cells would change")
    assert page.locator("#curriculum-map td.cell--pending").count() == changing
    assert _links() == links
    preview.get_by_role("button", name=f"Save {changing} changes").click()
    status = page.locator("#map-status")
    expect(status).to_contain_text("Saved")
    for r, c in block:
        expect(_cell(page, r, c)).to_have_text(pair[c % 2])
    status.get_by_role("button", name="Undo").click()
    expect(status).to_contain_text("Undone")
    assert _links() == links

    # Three columns are not a multiple of two: the block is pasted once, at the top-left cell.
    _select(page, 2, 3)
    preview = _paste(page, "\t".join(pair))
    assert _sent(preview) == {names[0, 0]: pair[0], names[0, 1]: pair[1]}
    page.keyboard.press("Escape")
    # Nor is a block larger than the selection repeated.
    _select(page, 1, 2)
    preview = _paste(page, "I\tR\tM\nM\tR\tI")
    assert len(_sent(preview)) == 6
    assert watch.problems == []


def test_a_value_that_is_not_a_level_pasted_over_many_cells_is_refused_once(
    open_page, seeded, staff_user
):
    """Observed: "banana" pasted over 30 selected cells filled the preview with 30 identical
    refusals, one a cell, the save hidden below them. It is refused once, saying in how many
    cells, naming the first few."""
    _, page, watch = _staff_on_the_map(open_page)
    _select(page, 5, 6)
    expect(page.locator("#map-selection")).to_have_text("30 cells selected.")
    preview = _paste(page, "banana")
    errors = preview.locator(".map-errors .errorlist li")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text(
        re.compile(r"^“banana” is not a level, in 30 cells: \S+ × \S+, .*, …; use I, R, M or ")  # noqa: RUF001
    )
    expect(preview.get_by_role("button", name=re.compile("^Save"))).to_have_count(0)
    assert watch.problems == []


def test_ctrl_z_with_a_preview_open_cancels_it_and_undoes_nothing(open_page, seeded, staff_user):
    """Observed: with a pasted block's preview open, Ctrl+Z in the grid undid the last save
    behind it, and saving the preview was then refused as changed by someone else (its cells'
    levels were the ones before the undo). Ctrl+Z (or Ctrl+Y) while a preview or an editor is
    open cancels it, as its Cancel does, and undoes nothing; the next Ctrl+Z undoes."""
    _, page, watch = _staff_on_the_map(open_page)
    cell = _cell(page, 0, 0)
    cell.focus()
    before = cell.inner_text().strip()
    saved = "M" if before != "M" else "I"
    page.keyboard.press(saved.lower())
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    status = page.locator("#map-status")
    expect(status).to_contain_text("Saved")
    links, history = _links(), _history_count()
    panel = page.locator("#map-panel")

    for key in ("Control+z", "Control+y", "Control+Shift+Z"):
        # The preview's Save has the focus; back on the cell, the key is pressed there.
        _paste(page, "R\tR")
        expect(panel.get_by_role("button", name=re.compile("^Save"))).to_be_focused()
        cell.focus()
        page.keyboard.press(key)
        expect(panel).to_be_hidden()
        expect(cell).to_be_focused()
        page.wait_for_timeout(300)  # room for an undo's answer, were one sent
        assert (_links(), _history_count()) == (links, history)
        expect(status.get_by_role("button", name="Undo")).to_be_visible()

    # In the panel itself (its Save in focus), Ctrl+Z cancels it too.
    _paste(page, "R\tR")
    page.keyboard.press("Control+z")
    expect(panel).to_be_hidden()
    expect(cell).to_be_focused()
    assert (_links(), _history_count()) == (links, history)

    # A preview still open after a key that did nothing is saved as previewed.
    preview = _paste(page, "R")
    preview.get_by_role("button", name="Save 1 change").click()
    expect(status).to_contain_text("Saved")
    expect(cell).to_have_text("R")
    # With no panel open, Ctrl+Z undoes the last save, as before.
    cell.focus()
    page.keyboard.press("Control+z")
    expect(status.locator("strong")).to_have_text("Undone")
    expect(cell).to_have_text(saved)
    assert watch.problems == []
