"""What the map editor's status (a live region) tells a screen reader after each save, in a real
browser (Debian's Chromium through Playwright, as test_map_browser.py)."""

import re

import pytest
from playwright.sync_api import expect

from curricula.tests.test_map_browser import _cell, _focus_by_keys, _staff_on_the_map
from curricula.tests.test_map_paste_browser import _paste

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_STATUS = """() => {
  const status = document.getElementById("map-status");
  window.statusTexts = [];
  new MutationObserver(() => window.statusTexts.push(status.textContent)).observe(
    status, {childList: true, characterData: true, subtree: true});
}"""


def _heard(page, words: str) -> int:
    """How many times the status came to read `words` (a screen reader announces a change of
    its text, not the same text set again)."""
    texts = [text.strip() for text in page.evaluate("window.statusTexts")]
    return sum(
        1 for i, text in enumerate(texts) if text == words and (i == 0 or texts[i - 1] != words)
    )


# The live regions (an alert, a status, any aria-live but "off") shown on the page whose own
# text (not that of a live region inside them) holds `text`: each is said by a screen reader.
LIVE_REGIONS_SAYING = """(text) => {
  const selector = "[aria-live], [role=alert], [role=status], [role=log]";
  const implicit = {alert: "assertive", status: "polite", log: "polite"};
  const squeeze = (words) => words.replace(/\\s+/g, " ");
  return Array.from(document.querySelectorAll(selector)).filter((region) => {
    const live = region.getAttribute("aria-live") || implicit[region.getAttribute("role")];
    if (!live || live === "off") return false;
    if (region.closest("[hidden], [aria-hidden=true]") || !region.getClientRects().length)
      return false;
    const own = region.cloneNode(true);
    own.querySelectorAll(selector).forEach((inner) => inner.remove());
    return squeeze(own.textContent).includes(squeeze(text));
  }).length;
}"""


def _save_level(page, r: int, c: int, level: str) -> None:
    _focus_by_keys(page, r, c)
    page.keyboard.press(level.lower())
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    expect(page.locator("#map-panel")).to_be_hidden()


def test_a_second_save_of_as_many_cells_is_announced_again(open_page, seeded, staff_user):
    """Observed: a designer going down a column, saving one cell after another, heard "Saved ·
    1 cell · Undo" after the first save only: each later save swapped in the same words, the
    live region's text did not change, and a screen reader said nothing (the cells flashed,
    which it does not see). So with "Nothing to save" said twice. The words are taken away
    and said again, as the status's other messages are."""
    _, page, watch = _staff_on_the_map(open_page)
    page.evaluate(WATCH_STATUS)
    status = page.locator("#map-status")
    levels = [_cell(page, r, 0).inner_text().strip() for r in (0, 1)]
    for r, before in enumerate(levels):
        _save_level(page, r, 0, "M" if before != "M" else "I")
        expect(status).to_contain_text("Saved")
    words = status.text_content().strip()
    assert words.startswith("Saved · 1 cell · ")
    page.wait_for_function(
        """(words) => window.statusTexts.filter(
             (text, i, all) => text.trim() === words && (i === 0 || all[i - 1].trim() !== words)
           ).length >= 2""",
        arg=words,
        timeout=3000,
    )
    assert _heard(page, words) == 2, page.evaluate("window.statusTexts")
    # The focus is back on the cell saved, the flash on it, and the status's Undo still works.
    expect(_cell(page, 1, 0)).to_be_focused()
    expect(_cell(page, 1, 0)).to_have_class(re.compile(r"\bcell--flash\b"))
    page.keyboard.press("Control+z")
    expect(status.locator("strong")).to_have_text("Undone")
    expect(_cell(page, 1, 0)).to_have_text(levels[1])

    # Enter on a level the cell already has, twice: "Nothing to save" is said twice.
    for _ in range(2):
        expect(_cell(page, 1, 0)).to_be_focused()
        page.keyboard.press("Enter")
        page.locator("#map-panel form.cell-editor").wait_for()
        page.keyboard.press("Enter")
        expect(page.locator("#map-panel")).to_be_hidden()
        expect(status).to_have_text("Nothing to save: every cell already had that level.")
    page.wait_for_function(
        """(words) => window.statusTexts.filter(
             (text, i, all) => text.trim() === words && (i === 0 || all[i - 1].trim() !== words)
           ).length >= 2""",
        arg="Nothing to save: every cell already had that level.",
        timeout=3000,
    )
    assert watch.problems == []


def test_a_pasted_blocks_preview_tells_a_screen_reader_what_it_would_do(
    open_page, seeded, staff_user
):
    """Observed: pasting a block the map already held, a screen reader heard "Preview of the
    pasted block, dialog" and nothing of what it would do: the focus went to the panel, whose
    "0 cells would change …" and "Nothing to save" it does not read unless asked; a block with
    values outside the map was heard as "Save 2 changes, button", its values left out unsaid.
    The panel is described by its summary, read with its name as the focus enters it."""
    _, page, watch = _staff_on_the_map(open_page)
    level = _cell(page, 0, 0).inner_text().strip()
    _focus_by_keys(page, 0, 0)
    _paste(page, level or "-")
    panel = page.locator("#map-panel")
    expect(panel).to_have_accessible_description(
        "0 cells would change: 0 new, 0 changed, 0 cleared; 1 already as pasted. "
        "Nothing to save: every cell already had that level."
    )
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()

    # A row pasted at the last column: all but its first value fall outside the map.
    columns = page.locator("#curriculum-map thead th[data-course]").count()
    _focus_by_keys(page, 1, columns - 1)
    before = _cell(page, 1, columns - 1).inner_text().strip()
    _paste(page, ("M" if before != "M" else "I") + "\tI\tR")
    expect(panel).to_have_accessible_description(
        re.compile(r"^1 cell would change: .* 2 pasted values fell outside the map and are left")
    )
    expect(panel.get_by_role("button", name="Save 1 change")).to_be_focused()
    assert watch.problems == []


def test_an_undo_refused_as_its_cells_changed_since_is_offered_no_more(
    open_page, seeded, staff_user
):
    """Observed: an undo refused (409) because a cell of its set had changed since left the
    status offering Undo for that set, which every later click or Ctrl+Z sent to be refused
    again. The status says why in its place, naming the cell, and Ctrl+Z sends nothing more.
    Observed too: the panel (an alert) and the status (a live region) both carried the reason,
    so a screen reader heard it twice; it is said once, by the panel, and shown in both."""
    from curricula import services
    from curricula.models import Programme
    from curricula.selectors.maps import CellInput

    programme, page, watch = _staff_on_the_map(open_page)
    page.evaluate(WATCH_STATUS)
    status = page.locator("#map-status")
    before = _cell(page, 0, 0).inner_text().strip()
    saved = "M" if before != "M" else "I"
    _save_level(page, 0, 0, saved)
    expect(status.get_by_role("button", name="Undo")).to_be_visible()
    course_id, ability_id = page.evaluate(
        """() => [
          document.querySelector("#curriculum-map thead th[data-course]").dataset.course,
          document.querySelector("#curriculum-map tbody tr.map-row").dataset.ability,
        ]"""
    )
    # Someone else sets the cell to another level meanwhile.
    services.programme_map_change(
        programme=Programme.objects.get(pk=programme.pk),
        cells=[CellInput(int(course_id), int(ability_id), "R" if saved != "R" else "I")],
    )
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    expect(_cell(page, 0, 0)).to_be_focused()
    page.keyboard.press("Control+z")
    panel = page.locator("#map-panel")
    expect(panel).to_contain_text("1 cell has changed since, so nothing was undone.")
    # Said once: the panel (an alert) says it; the status shows it, unsaid, until asked again.
    reason = "1 cell has changed since, so nothing was undone."
    assert page.evaluate(LIVE_REGIONS_SAYING, reason) == 1
    expect(status.get_by_role("button", name="Undo")).to_have_count(0)
    expect(status).to_contain_text(
        re.compile(
            r"^Saved · 1 cell · 1 cell has changed since, so nothing was undone\. "
            r"Changed since: \S+ × \S+ \(now [IR]\)\.\s*$"  # noqa: RUF001
        )
    )
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(_cell(page, 0, 0)).to_be_focused()
    assert page.evaluate(LIVE_REGIONS_SAYING, reason) == 1
    words = status.text_content().strip()
    page.keyboard.press("Control+z")
    # Said again, not sent again.
    page.wait_for_function(
        """(words) => window.statusTexts.filter(
             (text, i, all) => text.trim() === words && (i === 0 || all[i - 1].trim() !== words)
           ).length >= 2""",
        arg=words,
        timeout=3000,
    )
    page.wait_for_timeout(300)  # room for an undo's request, were one sent
    assert len(posts) == 1
    expect(panel).to_be_hidden()
    expect(status).to_have_text(words)
    # The refusal itself, and the browser's console line about it, are all that went wrong.
    assert [problem for problem in watch.problems if "409" not in problem] == []
