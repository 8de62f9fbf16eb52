"""The programme page's gap report in Chromium while a worker recomputes it: the report polls
for itself, and a keyboard user inside it keeps their place (the control they were on, the
requirements they had unfolded) when it refreshes; a poll that finds nothing new leaves the
report's content alone, so a screen reader has nothing to read again."""

import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each change to the report's content (nodes added or removed, text changed), counted from when
# the test starts watching; attributes are left out (htmx marks a polling element while it asks).
WATCH_CONTENT = """() => {
  window.__reportChanges = 0;
  new MutationObserver((records) => { window.__reportChanges += records.length; })
    .observe(document.querySelector("main"), {childList: true, subtree: true, characterData: true});
}"""

ACTIVE = """() => {
  const active = document.activeElement;
  return active.closest("#gap-report") ? active.dataset.marked || "unmarked" : active.tagName;
}"""

# When (in ms of the page's clock, from now) htmx sends each of the report's polls.
POLLED_AT = """() => {
  const start = Date.now();
  window.__polledAt = [];
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.requestConfig.path.includes("/gaps/")) {
      window.__polledAt.push(Date.now() - start);
    }
  });
}"""


def _computing_programme():
    """The first programme, its stored report claimed by a worker that has not finished."""
    from curricula.models import Programme, ProgrammeCoverage

    programme = Programme.objects.order_by("order", "name").first()
    ProgrammeCoverage.objects.filter(programme=programme).update(state="computing")
    return programme


# The report polls on htmx's timers: the tests install Playwright's clock before loading the
# page and run it on to each poll, instead of waiting each interval out (the page's time still
# flows as well; the server's is not touched).
POLL_MS = 1000


def _polls(page, count: int, every_ms: int = POLL_MS) -> list[int]:
    """The report's next `count` polls, the page's clock run on `every_ms` for each; their
    statuses."""
    statuses = []
    for _ in range(count):
        with page.expect_response(lambda r: "/gaps/" in r.url) as polled:
            page.clock.run_for(every_ms)
        statuses.append(polled.value.status)
    return statuses


def _finish(programme) -> None:
    from curricula.coverage.services import coverage_recompute

    coverage_recompute(programme_ids=[programme.pk], force=True)


def test_the_focused_control_keeps_the_focus_when_the_report_refreshes(
    open_page, seeded, staff_user
):
    programme = _computing_programme()
    page, watch = open_page()
    page.clock.install()
    log_in(page, "staff", "staff-pass-123")
    page.goto(programme.get_absolute_url())
    expect(page.locator("#gap-report .badge--computing")).to_be_visible()
    review = page.locator("#gap-report").get_by_role("link", name="Review suggested links")
    review.focus()
    review.evaluate("(link) => { link.dataset.marked = 'old review'; }")
    page.evaluate(WATCH_CONTENT)

    # While the worker computes, the polls find nothing new: nothing in the report changes.
    _polls(page, 2)
    assert page.evaluate("window.__reportChanges") == 0
    assert page.evaluate(ACTIVE) == "old review"

    # Computed: the report is swapped for the fresh one, and the focus is on its Review link.
    _finish(programme)
    page.clock.run_for(POLL_MS)
    expect(page.locator("#gap-report .badge--fresh")).to_be_visible()
    assert page.evaluate("window.__reportChanges") > 0
    assert page.evaluate(ACTIVE) == "unmarked"  # the new report's link, not a detached one
    assert page.evaluate("document.activeElement.textContent.trim()") == "Review suggested links"
    page.keyboard.press("Shift+Tab")  # and the keyboard goes on from there
    assert page.evaluate("document.activeElement.closest('#gap-report') === null")
    assert watch.problems == []


def test_of_two_alike_controls_the_focused_one_keeps_the_focus_and_stays_unfolded(
    open_page, seeded
):
    """Two targets each fold away "1 covered requirement": the second one, opened from the
    keyboard, is the one focused and open after the refresh (not the first alike)."""
    programme = _computing_programme()
    page, watch = open_page()
    page.clock.install()
    page.goto(programme.get_absolute_url())
    summaries = page.locator("#gap-report details.covered-details > summary")
    assert summaries.count() >= 2
    assert summaries.nth(0).inner_text() == summaries.nth(1).inner_text()
    summaries.nth(1).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#gap-report details.covered-details").nth(1)).to_have_attribute("open", "")

    _finish(programme)
    page.clock.run_for(POLL_MS)
    expect(page.locator("#gap-report .badge--fresh")).to_be_visible()
    details = page.locator("#gap-report details.covered-details")
    assert page.evaluate(
        "() => document.activeElement === document.querySelectorAll("
        "'#gap-report details.covered-details > summary')[1]"
    )
    expect(details.nth(1)).to_have_attribute("open", "")
    expect(details.nth(0)).not_to_have_attribute("open", "")
    assert watch.problems == []


def test_a_report_waiting_long_is_polled_less_often(open_page, seeded, staff_user):
    """The page follows the interval each "nothing new" answer asks for (HX-Trigger
    gap-report-poll, site.js): a report that has waited for hours (no worker) is asked for every
    30 s, not every second."""
    from datetime import timedelta

    from django.utils import timezone

    from curricula.models import ProgrammeCoverage

    programme = _computing_programme()
    ProgrammeCoverage.objects.filter(programme=programme).update(
        state="stale", stale_since=timezone.now(), claimed_at=None
    )
    page, watch = open_page()
    page.clock.install()
    log_in(page, "staff", "staff-pass-123")
    page.goto(programme.get_absolute_url())
    report = page.locator("#gap-report")
    expect(report).to_have_attribute("data-hx-trigger", "every 1s")
    assert _polls(page, 1) == [204]

    ProgrammeCoverage.objects.filter(programme=programme).update(
        stale_since=timezone.now() - timedelta(hours=3)
    )
    assert _polls(page, 1) == [204]
    expect(report).to_have_attribute("data-hx-trigger", "every 30s")
    polls = []
    page.on("request", lambda request: polls.append(request.url) if "/gaps/" in request.url else 0)
    page.evaluate(POLLED_AT)
    # The page's clock run on 31 s: its one poll comes after the first 25 s. (Counting requests
    # alone would not tell: htmx sends no poll while one is on its way, so a page still asking
    # every second sends one at once and queues the rest until its answer is in.)
    page.clock.run_for(25_000)
    assert _polls(page, 1, every_ms=6_000) == [204]
    polled_at = page.evaluate("window.__polledAt")
    assert len(polled_at) == 1, polled_at
    assert polled_at[0] >= 25_000, polled_at
    assert len(polls) == 1
    assert watch.problems == []
