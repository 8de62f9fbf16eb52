"""The positions page in Chromium at a phone's width (375 x 812, an iPhone's): Table I shows
each track's positions for every degree without a tall blank, and nothing scrolls sideways."""

from collections import Counter

import pytest

from conftest import wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}

# For each row of Table I: how far its bottom lies below the end of the content of the cells
# one can see (inside the table's scroll box), less the cells' padding; and the cells one
# cannot see without scrolling the table sideways.
TABLE_ONE_ROWS = """() => {
  const box = document.querySelector("#table-one-heading ~ .table-scroll").getBoundingClientRect();
  return Array.from(document.querySelectorAll(".grid-table tbody tr"), (row) => {
    const bottom = row.getBoundingClientRect().bottom;
    const cells = Array.from(row.children);
    const seen = cells.filter((cell) => {
      const r = cell.getBoundingClientRect();
      return r.left >= box.left - 1 && r.right <= box.right + 1;
    });
    const ends = seen.map((cell) => {
      const padding = parseFloat(getComputedStyle(cell).paddingBottom);
      const last = Math.max(...Array.from(cell.children, (c) => c.getBoundingClientRect().bottom));
      return last + padding;
    });
    return {
      track: row.querySelector(".track-name").textContent,
      blank: Math.round(bottom - Math.max(...ends)),
      hidden: cells.length - seen.length,
    };
  });
}"""


def test_table_one_on_a_phone_has_no_tall_blank_and_no_column_out_of_sight(
    browser, live_server, seeded
):
    """At 375 px Table I (a track column and two degree columns of 12rem and more) was wider
    than the screen: the Master column lay out of sight, scrolled sideways, and where it held
    the longer list its row stood up to 200 px taller than anything one could see, a tall blank
    under the Bachelor column."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/positions/")
        wait_until_settled(page)
        rows = page.evaluate(TABLE_ONE_ROWS)
        assert len(rows) == 3
        assert [row for row in rows if row["blank"] > 24] == []
        assert [row for row in rows if row["hidden"]] == []
        # Every degree says which it is, beside the track's positions.
        headers = page.locator(".grid-table thead th")
        assert [h.inner_text() for h in headers.all() if h.is_visible()][-2:] == [
            "BACHELOR",
            "MASTER",
        ]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        table = page.locator("#table-one-heading ~ .table-scroll")
        assert table.evaluate("(box) => box.scrollWidth <= box.clientWidth")
        # Laid out anew, it is still a table to a screen reader, with all its headers.
        nodes = context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
        roles = Counter(
            node["role"]["value"] for node in nodes if not node.get("ignored") and "role" in node
        )
        assert (roles["table"], roles["columnheader"], roles["rowheader"], roles["cell"]) == (
            1,
            3,
            3,
            6,
        )
    finally:
        context.close()
