"""Nothing moves when the site's scripts run. They are deferred: the browser paints the page
first, then runs them, and what they show or hide (the language menu's Switch button, the map's
tools, the report's Print button) must already be shown or hidden in that first paint. Lighthouse
(`make lighthouse`) found every page's content jumping up 46 px on a desktop screen once site.js
ran ("Avoid large layout shifts", cumulative layout shift 0.06 on most pages, 0.13 on the
programme report): the header was drawn on two rows with the Switch button, then on one.

The page before its scripts have run is the page served with every script answered empty."""

import pytest

from conftest import log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where each part of the page stands: the header, and main's children down to the first table.
LAYOUT = """() => {
  const boxes = [document.querySelector('.site-header'), ...document.querySelectorAll(
    'main > *, main > * > :is(h1, h2, p, div, table)')];
  return boxes.filter((e) => e.getClientRects().length).map((e) => {
    const box = e.getBoundingClientRect();
    const where = `${Math.round(box.top)}+${Math.round(box.height)}`;
    return `${e.tagName.toLowerCase()}.${e.className} ${where}`;
  });
}"""


def _without_scripts(route):
    route.fulfill(status=200, content_type="text/javascript", body="")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_page_is_laid_out_as_its_scripts_will_leave_it(open_page, seeded, staff_user, width):
    from curricula.models import Programme
    from positions.models import Position

    programme = Programme.objects.order_by("order", "name").first()
    position = Position.objects.filter(requirements__isnull=False).order_by("order").first()
    paths = [
        "/",
        programme.get_absolute_url(),
        f"/programs/{programme.pk}/report/",
        f"/positions/{position.pk}/",
    ]
    pages = {}
    for scripts in ("run", "not yet run"):
        page, watch = open_page(width)
        log_in(page, "staff", "staff-pass-123")
        if scripts == "not yet run":
            page.route("**/*.js", _without_scripts)
        for path in paths:
            page.goto(path)
            if scripts == "run":
                wait_until_settled(page)
            pages[scripts, path] = page.evaluate(LAYOUT)
        assert watch.problems == []
    moved = {
        path: [
            (before, after)
            for before, after in zip(pages["not yet run", path], pages["run", path], strict=False)
            if before != after
        ][:3]
        for path in paths
        if pages["not yet run", path] != pages["run", path]
    }
    assert moved == {}


def test_without_scripts_the_page_keeps_its_no_script_controls(browser, live_server, seeded):
    """A browser that runs no scripts still shows the language menu's Switch button and hides
    what only a script makes work (the report's Print button)."""
    from curricula.models import Programme

    programme = Programme.objects.order_by("order", "name").first()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/")
        assert page.locator(".lang-form button[type=submit]").is_visible()
        page.goto(f"/programs/{programme.pk}/report/")
        assert page.locator("button[data-print]").count() == 1
        assert not page.locator("button[data-print]").is_visible()
    finally:
        context.close()
