"""A reader's browser says its time zone once (static/js/site.js puts it in a cookie), and the
next page shows times in it: a designer in Beijing on a site left at UTC read "Computed 2 a.m."
for what happened at 10 a.m. their time."""

import datetime

import pytest
from playwright.sync_api import expect

from core.times import BROWSER_ZONE_COOKIE
from curricula.models import ProgrammeCoverage
from curricula.tests.test_area_order import programme  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WHEN = datetime.datetime(2026, 2, 3, 2, 0, tzinfo=datetime.UTC)


def test_the_next_page_shows_times_in_the_browser_s_zone(
    open_page,
    settings,
    programme,  # noqa: F811
):
    settings.TIME_ZONE = "UTC"
    ProgrammeCoverage.objects.filter(programme=programme).update(computed_at=WHEN)
    page, watch = open_page(timezone_id="Asia/Shanghai")
    page.goto(f"/programs/{programme.pk}/report/")
    computed = page.locator("main time").first
    # The first page, before the browser has said anything: the site's zone, said.
    expect(computed).to_have_attribute("datetime", "2026-02-03T02:00:00+00:00")
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies[BROWSER_ZONE_COOKIE] == "Asia/Shanghai"
    page.reload()
    expect(computed).to_have_attribute("datetime", "2026-02-03T10:00:00+08:00")
    expect(computed).to_have_text("Feb. 3, 2026, 10 a.m. UTC+08:00")
    expect(page.locator(".site-footer")).to_contain_text("Asia/Shanghai")
    assert watch.problems == []
