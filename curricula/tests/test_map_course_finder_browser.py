"""*Find courses* in a real browser: the filter form sends it (and no empty field), the map shows
only the found courses' columns, and the editor's change sets in that view land on those courses
and come back as rows of the same columns."""

import re

import pytest
from playwright.sync_api import expect

from conftest import log_in
from curricula.tests.test_map_browser import _cell, _links, _programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_courses_narrows_the_columns_and_the_editor_writes_to_the_found_course(
    open_page, seeded, staff_user
):
    programme = _programme()
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"/programs/{programme.pk}/")
    heads = page.locator("#curriculum-map th.course-head")
    assert heads.count() > 2
    last = heads.nth(heads.count() - 1)
    code = last.locator(".code").inner_text().strip()
    course_id = int(last.get_attribute("data-course"))

    filters = page.get_by_role("search", name="Filter the map")
    filters.get_by_label("Find courses").fill(code.lower())
    filters.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"courses="))
    assert page.url.endswith(f"?courses={code.lower()}")  # no empty fields
    expect(heads).to_have_count(1)
    expect(heads.first.locator(".code")).to_have_text(code)
    rows = page.locator("#curriculum-map tbody tr.map-row")
    assert rows.first.locator("td.level-cell").count() == 1

    # An edit made in this view is the found course's, and its row comes back one cell wide.
    first = _cell(page, 0, 0)
    ability_id = int(rows.first.get_attribute("id").removeprefix("row-"))
    before = first.inner_text().strip()
    wanted = "M" if before != "M" else "I"
    first.focus()
    page.keyboard.press(wanted.lower())
    page.locator("#map-panel form.cell-editor").wait_for()
    page.keyboard.press("Enter")
    status = page.locator("#map-status")
    expect(status).to_contain_text("Saved")
    expect(_cell(page, 0, 0)).to_have_text(wanted)
    assert rows.first.locator("td.level-cell").count() == 1
    assert (course_id, ability_id, wanted) in _links()
    expect(heads).to_have_count(1)
    assert watch.problems == []
