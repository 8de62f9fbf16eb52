"""The what-if's previews put their question in the address (hx-push-url), so the browser's Back
and Forward buttons step through them: each step must show the form and the preview of that
address, with the page's own script working, as a reload of the address would."""

import re

import pytest
from playwright.sync_api import expect

from conftest import wait_until_settled
from curricula.tests.test_map_wide_programme_browser import _mechanical_engineering

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TICKED = """() => Array.from(document.querySelectorAll('.what-if-form input:checked'))
    .map(box => box.value)"""


def test_back_after_two_previews_shows_the_form_and_preview_of_the_address(open_page, live_server):
    """Ticking two courses to take out, then Back: the address said one course was taken out
    and the preview showed it, but no box was ticked (htmx put back its copy of the page, whose
    boxes carry no ticks), and the page's script held the form it had replaced (*Add another
    cell* did nothing). A step through the history now loads its address."""
    from curricula.models import Course

    programme = _mechanical_engineering(courses_per_module=3)
    first, second = (Course.objects.get(code=code).pk for code in ("ME000", "ME001"))
    page, watch = open_page("desktop")
    page.goto(f"/programs/{programme.pk}/decide/")
    wait_until_settled(page)
    result = page.locator("#what-if-result")
    taken_out = page.locator(".what-if-form")

    taken_out.locator(f"input[name=remove][value='{first}']").check()
    page.wait_for_url(re.compile(rf"\?remove={first}$"))
    wait_until_settled(page)
    one_out = result.inner_text()
    taken_out.locator(f"input[name=remove][value='{second}']").check()
    page.wait_for_url(re.compile(rf"\?remove={first}&remove={second}$"))
    wait_until_settled(page)

    page.go_back()
    page.wait_for_url(re.compile(rf"\?remove={first}$"))
    page.wait_for_load_state()
    wait_until_settled(page)
    assert page.evaluate(TICKED) == [str(first)]
    expect(result).to_have_text(one_out)

    # The page's own script works on the form it shows.
    rows = page.locator("[data-what-if-cells] [data-what-if-cell]")
    count = rows.count()
    page.locator("[data-add-cell]").click()
    expect(rows).to_have_count(count + 1)

    page.go_back()
    page.wait_for_url(re.compile(r"/decide/$"))
    page.wait_for_load_state()
    wait_until_settled(page)
    assert page.evaluate(TICKED) == []
    assert watch.problems == []
