"""The what-if panel in a real browser (Debian's Chromium, as the other browser tests):
ticking a catalogue course previews the change in place, at desktop and phone widths, and staff
apply it as one change."""

import re

import pytest
from playwright.sync_api import expect

from conftest import SCREENSHOTS, WIDTHS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAMME = "Cross border senior e-commerce engineer — Operation and promotion"


def _programme():
    from curricula.models import Programme

    return Programme.objects.get(name=PROGRAMME)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_ticking_a_course_previews_the_change_without_a_reload(open_page, seeded, width):
    programme = _programme()
    page, watch = open_page(width)
    page.goto(f"/programs/{programme.pk}/")
    page.get_by_role("link", name="Recommendations and what-if").click()
    page.wait_for_url(re.compile(r"/decide/$"))
    assert page.get_by_text("Proven optimal by branch-and-bound").is_visible()
    page.evaluate("window.__sameDocument = true")

    page.get_by_role("group", name="Bring in from the catalogue").get_by_label(
        re.compile("CBE118")
    ).check()

    page.locator("#what-if-result .status-cell--covered").first.wait_for()
    assert "gaps closed: 1, opened: 0" in page.locator("#what-if-result").inner_text()
    assert page.evaluate("window.__sameDocument") is True
    assert re.search(r"add=\d+", page.url)  # the preview's address can be shared
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"what-if-{width}.png", full_page=True)
    assert page.get_by_role("button", name="Apply as one change").count() == 0
    assert watch.problems == []


def test_staff_apply_the_recommended_courses(open_page, seeded, staff_user):
    from curricula.models import ProgrammeCourse

    programme = _programme()
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"/programs/{programme.pk}/decide/")
    page.get_by_role("link", name="Try these in a what-if").click()
    page.get_by_role("button", name="Apply as one change").click()
    page.wait_for_url(re.compile(rf"/programs/{programme.pk}/$"))
    assert page.get_by_text("Scenario applied").is_visible()
    codes = set(
        ProgrammeCourse.objects.filter(programme=programme).values_list("course__code", flat=True)
    )
    assert {"CBE118", "CBE128"} <= codes
    assert watch.problems == []


def test_finding_a_catalogue_course_narrows_the_list_and_keeps_the_choice(open_page, seeded):
    programme = _programme()
    page, watch = open_page()
    page.goto(f"/programs/{programme.pk}/decide/")
    catalogue = page.get_by_role("group", name="Bring in from the catalogue")
    catalogue.get_by_label(re.compile("CBE118")).check()
    page.locator("#what-if-result .status-cell--covered").first.wait_for()
    assert catalogue.get_by_role("checkbox").count() > 2
    page.evaluate("window.__sameDocument = true")

    catalogue.get_by_label("Find a course").fill("CBE128")

    # Only the match, and the course already ticked, which a search never drops.
    expect(catalogue.get_by_role("checkbox")).to_have_count(2)
    expect(catalogue.get_by_label(re.compile("CBE118"))).to_be_checked()
    expect(catalogue.get_by_label(re.compile("CBE128"))).not_to_be_checked()
    assert page.evaluate("window.__sameDocument") is True
    assert "gaps closed: 1" in page.locator("#what-if-result").inner_text()
    assert watch.problems == []
