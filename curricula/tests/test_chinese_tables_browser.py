"""Tables in Chinese on a phone keep their words whole. Chinese may break between any two
characters, so a table squeezed into 390 px gave its columns the width of one character: the
programmes list set each programme's name one character a line (跨/境/电/子/…, sixteen lines)
and its headings 培/养/方/案, 学/历/层/次. English, which breaks only between words, kept them
readable (the table scrolls sideways instead). A heading, a degree and a track now keep their
words whole and a row's name column keeps a reading width; the table scrolls, as in English."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINES = """element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    return new Set([...range.getClientRects()].filter(r => r.width > 0)
        .map(r => Math.round(r.top))).size;
}"""


def test_on_a_phone_the_programmes_list_keeps_names_and_headings_readable_in_chinese(
    open_page, live_server, seeded
):
    page, watch = open_page("phone")
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    page.goto("/programs/")
    headings = page.locator(".data-table thead th")
    assert headings.first.inner_text() == "培养方案"
    # On a phone each programme stands as a block: the header row is for screen readers, and
    # each value is drawn under its column's Chinese name (the heading's own words).
    labels = page.locator(".data-table tbody tr").first.locator("td[data-label]")
    assert labels.count() == headings.count() - 1
    for index in range(labels.count()):
        assert (
            labels.nth(index).get_attribute("data-label")
            == headings.nth(index + 1).inner_text().strip()
        )
    names = page.locator(".data-table tbody th[scope=row] a")
    assert names.first.inner_text() == "跨境电子商务工程师 — 技术开发"
    for index in range(names.count()):
        assert names.nth(index).evaluate(LINES) <= 3, names.nth(index).inner_text()
    # A degree and a track, short names, each on one line (研发类, not 研/发/类).
    short = page.locator(".data-table tbody td.keep-words")
    assert short.count() == 2 * names.count()
    for index in range(short.count()):
        assert short.nth(index).evaluate(LINES) == 1, short.nth(index).inner_text()
    # The table scrolls inside its region; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert watch.problems == []
