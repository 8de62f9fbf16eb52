"""Comparing programmes on a 375 px phone: chosen from the programme list's link by the form,
the comparison reads without the page scrolling sideways (its tables scroll in regions of their
own, which a keyboard reaches), in English and in Chinese."""

import pytest

from conftest import SCREENSHOTS, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_on_a_375_px_phone_programmes_are_chosen_and_compared_without_sideways_scrolling(
    open_page, live_server, seeded, language
):
    from curricula.models import Programme

    first, second = Programme.objects.order_by("order", "name", "pk")[:2]
    page, watch = open_page("phone")
    page.set_viewport_size({"width": 375, "height": 812})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto("/programs/")
    page.locator("a[href='/programs/compare/']").first.click()
    wait_until_settled(page)
    page.select_option("#compare-p1", str(first.pk))
    page.select_option("#compare-p2", str(second.pk))
    page.locator("form.compare-choice button[type=submit]").click()
    wait_until_settled(page)

    assert f"p={first.pk}" in page.url
    assert f"p={second.pk}" in page.url
    table = page.locator("#compare-abilities")
    assert table.locator("tbody tr").count() > 0
    assert table.locator("th[scope=col]").count() == 4  # ability, required, two programmes
    for region in page.locator(".table-scroll").all():
        assert region.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"compare-phone-{language}.png"), full_page=True)
    assert watch.problems == []


def test_on_a_desktop_the_comparison_fits_the_page(open_page, seeded):
    from curricula.models import Programme

    first, second, third = Programme.objects.order_by("order", "name", "pk")[:3]
    page, watch = open_page("desktop")
    page.goto(f"/programs/compare/?p={first.pk}&p={second.pk}&p={third.pk}&scope=built")
    wait_until_settled(page)
    assert page.locator("#compare-abilities th[scope=col]").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "compare-desktop.png"), full_page=True)
    page.locator("#compare-abilities").screenshot(
        path=str(SCREENSHOTS / "compare-abilities-desktop.png")
    )
    assert watch.problems == []
