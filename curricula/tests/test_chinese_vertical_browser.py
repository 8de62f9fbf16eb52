"""Headings set vertically stand upright in Chinese: on a phone the map's Required and Reached
columns (in print the position page's programme names are written across: see the last test).
Vertical writing already stands Chinese
characters upright, one under the other; the column turned over (rotate 180°), which makes the
English words read bottom to top, stood them on their heads. Before, a phone showed 要求 and 达到
upside down."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADS = ".map thead .col-required .head-label, .map thead .col-reached .head-label"


def _heads(page) -> list[dict]:
    return page.eval_on_selector_all(
        HEADS,
        """heads => heads.map(head => {
            const style = getComputedStyle(head);
            const box = head.getBoundingClientRect();
            return {text: head.textContent.trim(), mode: style.writingMode,
                    orientation: style.textOrientation, transform: style.transform,
                    tall: box.height > box.width};
        })""",
    )


def _open(open_page, live_server, language: str):
    from curricula.models import Programme

    programme = Programme.objects.order_by("order").first()
    page, watch = open_page("phone")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(programme.get_absolute_url())
    return page, watch


def test_on_a_phone_the_map_s_vertical_heads_stand_upright_in_chinese(
    open_page, live_server, seeded
):
    page, watch = _open(open_page, live_server, "zh-hans")
    heads = _heads(page)
    assert [head["text"] for head in heads] == ["要求", "达到"]
    for head in heads:
        assert head["mode"] == "vertical-rl", head
        assert head["tall"], head  # still set vertically, one character under the other
        assert head["transform"] == "none", head  # not turned over
    assert watch.problems == []


def test_on_a_phone_the_map_s_vertical_heads_in_english_still_read_bottom_to_top(
    open_page, live_server, seeded
):
    page, watch = _open(open_page, live_server, "en")
    heads = _heads(page)
    assert [head["text"] for head in heads] == ["Required", "Reached"]
    for head in heads:
        assert head["mode"] == "vertical-rl", head
        assert head["transform"] != "none", head
    assert watch.problems == []


def test_in_print_the_position_page_s_programme_names_read_across_in_chinese(
    open_page, live_server, seeded
):
    """Printed, the programmes' names head the columns of the page's printed slices written
    across (the screen's vertical heads made the table wider than the paper), so Chinese
    names stand upright as on the screen."""
    from positions.models import Position

    position = Position.objects.get(name_zh="网页编辑与美工")
    page, watch = open_page()
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    page.goto(position.get_absolute_url())
    page.emulate_media(media="print")
    columns = page.eval_on_selector_all(
        ".position-print-table .position-print-table__programme",
        """cols => cols.map(col => ({text: col.textContent.trim(),
            shown: col.getClientRects().length > 0,
            mode: getComputedStyle(col).writingMode,
            transform: getComputedStyle(col).transform}))""",
    )
    assert columns
    assert any("跨境电子商务工程师" in column["text"] for column in columns)
    for column in columns:
        assert column["shown"], column
        assert column["mode"] == "horizontal-tb", column
        assert column["transform"] == "none", column
    assert page.locator(".requirement-table").is_hidden()
    assert watch.problems == []
