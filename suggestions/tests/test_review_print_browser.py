"""The review page printed for a committee meeting (Debian's Chromium under print emulation, as
the other browser tests): the suggestions, each whole on its page, without the controls that only
work on a screen."""

import pytest

from conftest import log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each form control drawn, and how; and each suggestion drawn, and whether print keeps it whole.
PRINTED = """() => {
    const drawn = el => el.getClientRects().length > 0;
    return {
        screenOnly: Array.from(document.querySelectorAll(
            '.review-filters, .review-generate, .review-keys, .review-bulk, .review-status'))
            .filter(drawn).map(el => el.className),
        controls: Array.from(document.querySelectorAll(
            'input:not([type=hidden]), select, button, summary, textarea'))
            .filter(drawn)
            .map(el => ({tag: el.localName, name: el.name || '', level: el.matches('[data-level]'),
                         appearance: getComputedStyle(el).appearance,
                         border: getComputedStyle(el).borderTopWidth})),
        items: Array.from(document.querySelectorAll('[data-suggestion]')).filter(drawn)
            .map(el => ({breaks: getComputedStyle(el).breakInside,
                         outline: getComputedStyle(el).outlineStyle})),
    };
}"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_printed_review_page_holds_the_suggestions_without_screen_controls(
    open_page, live_server, queue, language
):
    """Printed, the review page carried the framework menu, *Generate suggestions*' note,
    the keyboard's keys, the bulk menu and a check box and a menu per suggestion, and a
    suggestion ran over two pages (its level on the second). Now the paper holds each
    suggestion whole, its proposed level printed as text."""
    course, _abilities = queue
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"/suggestions/courses/{course.pk}/")
    wait_until_settled(page)
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED)

    assert printed["items"]
    for item in printed["items"]:
        assert item["breaks"] in ("avoid", "avoid-page"), item
        assert item["outline"] == "none", item  # the screen's cursor
    # The only controls drawn are each suggestion's proposed level, drawn as its text.
    assert printed["controls"], "each suggestion's level"
    for control in printed["controls"]:
        assert control["level"], control
        assert control["appearance"] == "none", control
        assert control["border"] == "0px", control
    # The framework menu, the generate form's note, the keys, the bulk menu, the live region.
    assert printed["screenOnly"] == []
    assert watch.problems == []
