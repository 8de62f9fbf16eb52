"""Headings that wrap leave no single character alone on their last line. Chinese may break
after any character, so a programme card's title on a phone broke as 跨境高级电子商务工程师 —
运营推 / 广: one character orphaned. Headings are balanced instead (lines of even length)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINES = """element => {
    const text = element.textContent, node = element.firstChild, tops = [];
    for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (box.width > 0) tops.push(Math.round(box.top));
    }
    const lines = new Map();
    for (const top of tops) lines.set(top, (lines.get(top) || 0) + 1);
    return [...lines.values()];
}"""


def test_on_a_phone_no_programme_card_title_ends_with_one_character_alone(
    open_page, live_server, seeded
):
    page, watch = open_page("phone")
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    page.goto("/")
    titles = page.locator(".programme-card h3 a")
    assert titles.count() == 6
    wrapped = 0
    for index in range(titles.count()):
        title = titles.nth(index)
        lines = title.evaluate(LINES)
        if len(lines) > 1:
            wrapped += 1
            assert lines[-1] > 1, (title.inner_text(), lines)
    assert wrapped  # the phone's width wraps some of them
    assert watch.problems == []
