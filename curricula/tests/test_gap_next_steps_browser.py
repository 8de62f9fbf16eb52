# ruff: noqa: RUF002  (the Chinese separator is full-width)
"""A gap no course is suggested for says what to do next, two links parted by the list
separator: observed walking a programme's gap report, the separator stood apart from the link
before it ("Add a link by hand ; Generate suggestions", and 手动添加关联 ； 生成建议 in Chinese),
each link and the separator laid out as items of the line's flex box, a gap between each."""

import pytest
from playwright.sync_api import expect

from conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The space between the end of the first link and the separator drawn after it, in pixels.
GAP = """(steps) => {
  const link = steps.querySelector("a");
  const range = document.createRange();
  range.setStart(link.nextSibling, 0);
  range.setEnd(link.nextSibling, 1);
  return range.getBoundingClientRect().left - link.getBoundingClientRect().right;
}"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_separator_follows_the_link_before_it(
    open_page, live_server, seeded, staff_user, language
):
    from curricula.models import Programme

    programme = Programme.objects.order_by("order").first()
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"/programs/{programme.pk}/")
    steps = page.locator("#gap-report .gap-next-steps").first
    expect(steps.locator("a")).to_have_count(2)
    assert abs(steps.evaluate(GAP)) < 1
    assert watch.problems == []
