"""The admin's course import on a phone (375 px), the first step of a new designer's workflow.
Observed in the walkthrough: the preview's table, nine columns of course text, made the whole
page 926 px wide, so the form, the messages and *Confirm import* scrolled sideways with it."""

import pytest

from conftest import load_by, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSV = (
    "code,title,title_zh,description,outcomes,credits\n"
    'SE201,Software testing,软件测试,"Unit, integration and system testing of software.",'
    '"Describe the levels of software testing\nExecute software tests and report the findings",3\n'
)

SEEN = """() => {
  const table = document.querySelector('table.import-preview');
  const region = table.parentElement;
  return {page: document.documentElement.scrollWidth, region: region.clientWidth,
          table: table.scrollWidth, overflow: getComputedStyle(region).overflowX,
          tabindex: region.getAttribute('tabindex'),
          label: region.getAttribute('aria-labelledby') &&
                 document.getElementById(region.getAttribute('aria-labelledby')).textContent};
}"""


def test_the_import_preview_scrolls_in_its_own_box_on_a_phone(open_page, staff_user, tmp_path):
    page, watch = open_page("phone")
    page.set_viewport_size({"width": 375, "height": 844})
    log_in(page, "staff", "staff-pass-123")
    upload = tmp_path / "courses.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.goto("/admin/curricula/course/import/")
    page.set_input_files("input[type=file]", str(upload))
    # Measured once the preview's page has loaded: its table appears while the page is still
    # being read, before the rest of it (and its style sheets) are there to measure.
    load_by(page, page.locator("#content form [type=submit]").first.click)
    page.wait_for_selector("table.import-preview")

    seen = page.evaluate(SEEN)
    assert seen["page"] <= 375, seen
    assert seen["table"] > seen["region"], seen  # the table is wider: its box scrolls
    assert seen["overflow"] == "auto", seen
    # A scrolling box a keyboard can reach, named by the heading above it.
    assert seen["tabindex"] == "0", seen
    assert seen["label"] == "Preview", seen
    assert watch.problems == []
