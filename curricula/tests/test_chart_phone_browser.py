"""The programme page's coverage chart on a phone stays readable: an SVG drawn 640 units wide
was scaled down to the width of a 390 px screen, its 11- and 12-unit text to about 6 and 7 px.
It now keeps its drawn size, its text at least 11 px, and scrolls sideways in a region of its
own (which a keyboard can reach); the page itself does not scroll sideways."""

import pytest

from conftest import wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The smallest text in the chart as drawn on the screen: its font size in the SVG's units times
# the scale the SVG is drawn at.
SMALLEST_TEXT = """chart => {
    const scale = chart.getBoundingClientRect().width / chart.viewBox.baseVal.width;
    const sizes = [...chart.querySelectorAll("text, tspan")]
        .filter(text => text.textContent.trim())
        .map(text => parseFloat(getComputedStyle(text).fontSize) * scale);
    return Math.min(...sizes);
}"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_on_a_phone_the_chart_s_text_is_at_least_11_px_and_the_chart_scrolls_in_its_region(
    open_page, live_server, seeded, language
):
    from curricula.models import Programme

    programme = Programme.objects.order_by("order", "name").first()
    page, watch = open_page("phone")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(programme.get_absolute_url())
    wait_until_settled(page)
    chart = page.locator("svg.chart").first
    chart.scroll_into_view_if_needed()
    assert chart.locator("g text").count() > 1, "the chart has bars"

    assert chart.evaluate(SMALLEST_TEXT) >= 11
    region = page.locator(".chart-scroll").first
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the chart scrolls in its region"
    assert region.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert watch.problems == []


def test_on_a_desktop_the_chart_is_drawn_at_its_size_without_a_scroll_bar(open_page, seeded):
    from curricula.models import Programme

    programme = Programme.objects.order_by("order", "name").first()
    page, watch = open_page("desktop")
    page.goto(programme.get_absolute_url())
    wait_until_settled(page)
    chart = page.locator("svg.chart").first
    assert chart.evaluate(SMALLEST_TEXT) >= 11
    assert chart.evaluate("c => c.getBoundingClientRect().width") == pytest.approx(640, abs=1)
    region = page.locator(".chart-scroll").first
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth")
    assert watch.problems == []
