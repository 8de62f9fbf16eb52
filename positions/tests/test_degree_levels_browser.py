"""The positions grid at a phone's width with other degree levels than the paper's two: a
field placing graduates at one level gives it the row's whole width, one at three sets two side
by side and starts a line for the third; none lies out of sight."""

import pytest

from conftest import wait_until_settled
from positions.tests.factories import PlacementFactory, PositionFactory, TrackFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}

# Each cell of the grid's first row: its box, and whether it lies inside the table's scroll box.
CELLS = """() => {
  const box = document.querySelector("#table-one-heading ~ .table-scroll").getBoundingClientRect();
  const row = document.querySelector(".grid-table tbody tr");
  const name = row.querySelector("th").getBoundingClientRect();
  return Array.from(row.querySelectorAll("td"), (cell) => {
    const r = cell.getBoundingClientRect();
    return {
      left: Math.round(r.left), top: Math.round(r.top), width: Math.round(r.width),
      row_width: Math.round(name.width),
      seen: r.left >= box.left - 1 && r.right <= box.right + 1,
    };
  });
}"""


def _cells(browser, live_server) -> list[dict]:
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/positions/")
        wait_until_settled(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        return page.evaluate(CELLS)
    finally:
        context.close()


def test_one_level_takes_the_rows_width_on_a_phone(browser, live_server):
    PlacementFactory(degree_level="bachelor", track=TrackFactory(name="Nursing"))
    (cell,) = _cells(browser, live_server)
    assert cell["seen"]
    assert cell["width"] >= cell["row_width"] - 2


def test_a_third_level_starts_a_line_of_its_own_on_a_phone(browser, live_server):
    track = TrackFactory(name="Nursing")
    for degree in ("associate", "bachelor", "doctorate"):
        PlacementFactory(track=track, degree_level=degree, position=PositionFactory())
    associate, bachelor, doctorate = _cells(browser, live_server)
    assert all(cell["seen"] for cell in (associate, bachelor, doctorate))
    assert associate["top"] == bachelor["top"] < doctorate["top"]
    assert associate["left"] < bachelor["left"]
    assert doctorate["left"] == associate["left"]
