"""In Chromium, a programme's review accepts a suggestion proposed below its gap's required level
at the level its row shows (the level needed), whether by its own accept key or ticked and
accepted in bulk at "each one's level as shown in its row"; and so without JavaScript, from the
gap chip's course review too. (See test_bulk_accept_row_levels for what was observed.)"""

import pytest
from playwright.sync_api import expect

from conftest import log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gap(staff_user):
    """A programme whose target needs DB at R, which no course builds: C1 suggested for it at I
    (below), C2 at M (enough), each a course of the programme."""
    from suggestions.tests.factories import programme_with_gap_suggested_below

    return programme_with_gap_suggested_below(below_score=0.9)


def _level(suggestion) -> str:
    from curricula.models import CourseAbility

    return CourseAbility.objects.get(
        course=suggestion.course, ability=suggestion.ability
    ).level.code


def _review(page, programme) -> None:
    page.goto(f"/suggestions/programs/{programme.pk}/?required=1")
    wait_until_settled(page)


def test_ticked_and_accepted_in_bulk_by_key_each_at_its_row_s_level(open_page, gap):
    programme, below, enough = gap
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    _review(page, programme)
    row = page.locator(f"#suggestion-{below.pk}")
    expect(row.locator("[data-below]")).to_contain_text("below the required R")
    expect(row.locator("select[data-level]")).to_have_value("R")
    expect(page.locator("[data-bulk-level]")).to_have_value("")
    expect(page.locator("[data-bulk-level] option").first).to_have_text(
        "each one's level as shown in its row"
    )
    page.keyboard.press("j")  # into the list: the first row (C1, the best)
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(page.locator("[data-suggestion].is-current")).to_have_attribute(
        "data-suggestion", str(below.pk)
    )
    page.keyboard.press(" ")  # select it
    page.keyboard.press("j")
    page.keyboard.press(" ")  # and C2
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.keyboard.press("b")
    expect(page.locator("[data-suggestion]")).to_have_count(0)
    assert _level(below) == "R"
    assert _level(enough) == "M"
    assert watch.problems == []


def test_the_accept_key_accepts_at_the_level_the_row_shows(open_page, gap):
    programme, below, _enough = gap
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    _review(page, programme)
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(page.locator("[data-suggestion].is-current")).to_have_attribute(
        "data-suggestion", str(below.pk)
    )
    page.keyboard.press("a")
    expect(page.locator(f"#suggestion-{below.pk}")).to_have_count(0)
    assert _level(below) == "R"
    assert watch.problems == []


@pytest.mark.parametrize("start", ["programme", "chip"])
def test_without_javascript_bulk_accept_takes_the_row_s_level(browser, live_server, gap, start):
    """No script: the form posts each row's menu with the selected boxes, and the page comes
    back after the redirect; from the gap chip, the course's review keeps the programme."""
    programme, below, enough = gap
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, "staff", "staff-pass-123")
        if start == "chip":
            page.goto(programme.get_absolute_url())
            page.locator("#gap-report .contributor--below").first.click()
            page.wait_for_url(f"**/suggestions/courses/{below.course_id}/?programme={programme.pk}")
        else:
            page.goto(f"/suggestions/programs/{programme.pk}/?required=1")
        row = page.locator(f"#suggestion-{below.pk}")
        expect(row.locator("[data-below]")).to_contain_text("below the required R")
        expect(row.locator("select[data-level]")).to_have_value("R")
        row.locator("[data-select]").check()
        page.get_by_role("button", name="Accept selected").click()
        page.wait_for_load_state()
        expect(page.locator(".messages, [role=status]").first).to_contain_text("Accepted 1")
        assert _level(below) == "R"
        if start == "chip":
            assert page.url.endswith(f"?programme={programme.pk}"), page.url
        else:
            # The other row is still there, and still pending.
            expect(page.locator(f"#suggestion-{enough.pk}")).to_have_count(1)
    finally:
        context.close()
