"""The cell panel's Close button keeps its label on one line in Chinese. English breaks only
between words, so "Close" never broke; Chinese may break between any two characters, and the
panel's heading (an ability's long statement) squeezed the button until 关闭 stood as 关 over 闭,
on a desktop as on a phone, on the map and on the position page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _label_lines(button) -> int:
    """How many lines the button's label takes: the distinct tops of its text's boxes."""
    return button.evaluate(
        """button => {
            const range = document.createRange();
            range.selectNodeContents(button);
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        }"""
    )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_cell_panel_s_close_button_stays_on_one_line_in_chinese(
    open_page, live_server, seeded, width
):
    from curricula.models import Programme
    from positions.models import Position

    programme = Programme.objects.order_by("order").first()
    position = Position.objects.get(name_zh="网页编辑与美工")
    page, watch = open_page(width)
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    for url, cells in (
        (programme.get_absolute_url(), "#curriculum-map td.level-cell"),
        (position.get_absolute_url(), "td.level-cell[data-detail-url]"),
    ):
        page.goto(url)
        page.locator(cells).first.click()
        close = page.locator("#map-panel [data-map-action=close]")
        expect(close).to_be_visible()
        assert close.inner_text() == "关闭"
        assert _label_lines(close) == 1, url
        page.keyboard.press("Escape")
    assert watch.problems == []
