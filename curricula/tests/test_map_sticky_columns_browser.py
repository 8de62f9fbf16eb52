"""The curriculum map's fixed columns (ability, Required, Reached) as a reader moves through a
wide map with the keyboard: what scrolls sideways goes under them, and none of it shows between
or through them."""

import re

import pytest

from conftest import wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# For each row of the map (the header's and the body's), what shows across the fixed columns:
# the cell found at each pixel from the box's left edge to the last fixed column's right edge,
# one point a pixel, at the row's middle; the fixed cells' boxes; and those whose background is
# not opaque (what scrolls under it would show through).
FIXED_COLUMNS = """() => {
    const box = document.querySelector('.map-scroll').getBoundingClientRect();
    const fixed = cell => getComputedStyle(cell).position === 'sticky'
        && getComputedStyle(cell).left !== 'auto';
    const rows = Array.from(document.querySelectorAll('#curriculum-map tr'))
        .filter(tr => !tr.classList.contains('group-row'));
    const opaque = colour => /^rgb\\(/.test(colour);
    const found = [];
    for (const tr of rows) {
        const cells = Array.from(tr.children).filter(fixed);
        if (!cells.length) continue;
        const rects = cells.map(cell => cell.getBoundingClientRect());
        const end = Math.max(...rects.map(r => r.right));
        const y = (Math.max(...rects.map(r => r.top)) + Math.min(...rects.map(r => r.bottom))) / 2;
        if (y < Math.max(box.top, 0) || y > Math.min(box.bottom, innerHeight)) continue;
        const through = [];
        for (let x = Math.ceil(box.left) + 1; x < end - 0.5; x += 1) {
            const cell = document.elementFromPoint(x, y)?.closest('th, td');
            if (!cell || !fixed(cell)) through.push({x, cell: cell ? cell.className : null,
                                                     text: cell ? cell.textContent.trim() : ''});
        }
        found.push({
            row: tr.id || tr.className,
            through: through,
            see_through: cells.filter(cell => !opaque(getComputedStyle(cell).backgroundColor))
                .map(cell => [cell.className, getComputedStyle(cell).backgroundColor]),
            edges: rects.map(r => [r.left, r.right]),
        });
    }
    return found;
}"""

# The text drawn in cells that stand partly under the fixed columns (across their right edge).
DRAWN_UNDER = """() => {
    const first = document.querySelector('#curriculum-map tbody tr.map-row');
    const fixed = Array.from(first.children).filter(c => getComputedStyle(c).position === 'sticky');
    const edge = Math.max(...fixed.map(c => c.getBoundingClientRect().right));
    const drawn = [];
    document.querySelectorAll('#curriculum-map th, #curriculum-map td').forEach(cell => {
        if (getComputedStyle(cell).position === 'sticky'
            && getComputedStyle(cell).left !== 'auto') return;
        const box = cell.getBoundingClientRect();
        if (!(box.left < edge - 0.5 && box.right > edge + 0.5)) return;
        if (cell.classList.contains('module-head') || cell.closest('.group-row')) return;
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const style = getComputedStyle(node.parentElement);
            if (node.textContent.trim() && style.visibility !== 'hidden'
                && !/rgba\\(.*, 0\\)$/.test(style.color)) drawn.push(node.textContent.trim());
        }
        const dot = getComputedStyle(cell, '::before');
        if (dot.content !== 'none' && !/rgba\\(.*, 0\\)$/.test(dot.color)) drawn.push(dot.content);
    });
    return drawn;
}"""


# The focused cell: its column among the courses, its right edge and the box's visible one.
FOCUSED_CELL = """() => {
    const cell = document.activeElement;
    const box = document.querySelector('.map-scroll');
    return {column: Array.from(cell.parentElement.querySelectorAll('td.level-cell')).indexOf(cell),
            right: cell.getBoundingClientRect().right,
            edge: box.getBoundingClientRect().left + box.clientLeft + box.clientWidth};
}"""

# How much of the Required by column shows right of the fixed columns.
SLIVER = """() => {
    const reached = document.querySelector('#curriculum-map thead .col-reached')
        .getBoundingClientRect();
    const by = document.querySelector('#curriculum-map tbody .col-required-by')
        .getBoundingClientRect();
    return {byLeft: by.left, byRight: by.right, shows: by.right - reached.right};
}"""


def _two_positions_many_courses(count: int):
    """A programme preparing for two positions (so the map has its Required by column, with
    the positions' names) over `count` courses."""
    from django.db import transaction

    from curricula.coverage.services import coverage_recompute
    from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
    from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

    with transaction.atomic():
        positions = [
            PositionFactory(
                name="Cross-border e-commerce operations specialist", name_zh="跨境电商运营专员"
            ),
            PositionFactory(
                name="Cross-border e-commerce customer service specialist",
                name_zh="跨境电商客服专员",
            ),
        ]
        abilities = [
            AbilityFactory(text=f"plan a shop's promotion for season {i}") for i in range(8)
        ]
        for ability in abilities:
            for position in positions:
                RequirementFactory(position=position, ability=ability)
        courses = [
            CourseFactory(code=f"EC{i:02d}", title=f"E-commerce practice {i}") for i in range(count)
        ]
        for i, ability in enumerate(abilities):
            CourseAbilityFactory(course=courses[i % count], ability=ability)
        programme = ProgrammeFactory(courses=courses, targets=positions)
        coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_nothing_scrolled_sideways_shows_between_or_through_the_fixed_columns(
    open_page, live_server, language
):
    """Moved with the arrow keys to the last course column of a map a little wider than the
    screen, the map scrolled sideways by less than the Required by column's width: the rest of
    that column, a sliver of its text ("te", "专员"), stood between Reached and the first course
    column in view, as if part of the fixed columns. The fixed columns abut and are opaque, and
    a column partly under them shows no text."""
    programme = _two_positions_many_courses(8)
    page, watch = open_page("desktop")
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(programme.get_absolute_url())
    wait_until_settled(page)
    page.locator(".map-scroll").scroll_into_view_if_needed()

    page.locator("#curriculum-map td.level-cell").first.focus()
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(100)  # the map's script redraws on the next frame after a scroll
    # The last course's cell has the focus, wholly in view (the browser had left most of it,
    # and of its focus ring, past the box's right edge in Chinese: 62 of its 88 px).
    cell = page.evaluate(FOCUSED_CELL)
    assert cell["column"] == 7, cell
    assert cell["right"] <= cell["edge"] + 0.5, cell
    # The map has scrolled sideways, by less than the Required by column: part of it is left.
    sliver = page.evaluate(SLIVER)
    assert 0 < sliver["shows"] < sliver["byRight"] - sliver["byLeft"], sliver

    rows = page.evaluate(FIXED_COLUMNS)
    assert len(rows) >= 4, rows
    assert [row for row in rows if row["through"] or row["see_through"]] == [], rows
    assert page.evaluate(DRAWN_UNDER) == []
    assert watch.problems == []


# The fixed columns' right edge in the header (those that stay in view as the box scrolls
# sideways: sticky with a left, the ability's alone on a phone), and the box's visible right edge.
EDGES = """() => {
    const box = document.querySelector('.map-scroll');
    const fixed = Array.from(document.querySelectorAll('#curriculum-map thead th'))
        .filter(th => getComputedStyle(th).position === 'sticky'
                      && getComputedStyle(th).left !== 'auto');
    return {fixed: Math.max(...fixed.map(th => th.getBoundingClientRect().right)),
            box: box.getBoundingClientRect().left + box.clientLeft + box.clientWidth};
}"""

# Scrolls the map sideways until the `index`th course's head stands across the fixed columns'
# right edge, `by` pixels of it under them; whether it does.
PUT_UNDER = """([index, by]) => {
    const box = document.querySelector('.map-scroll');
    const fixed = Array.from(document.querySelectorAll('#curriculum-map thead th'))
        .filter(th => getComputedStyle(th).position === 'sticky'
                      && getComputedStyle(th).left !== 'auto');
    const edge = Math.max(...fixed.map(th => th.getBoundingClientRect().right));
    const head = document.querySelectorAll('#curriculum-map thead .course-head')[index];
    box.scrollLeft += head.getBoundingClientRect().left - (edge - by);
    const left = head.getBoundingClientRect().left;
    return left < edge - 0.5 && left + head.getBoundingClientRect().width > edge + 0.5;
}"""

# Whether what is drawn at the middle of `element` is that element (not a fixed column over it).
ON_TOP = """element => {
    const box = element.getBoundingClientRect();
    const found = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return element.contains(found) || found.contains(element);
}"""


def _shown_clear_of_the_fixed_columns(page, element) -> None:
    page.wait_for_timeout(100)  # the map's script redraws on the next frame after a scroll
    edges = page.evaluate(EDGES)
    box = element.bounding_box()
    assert box["x"] >= edges["fixed"] - 0.5, (box, edges)
    assert box["x"] + box["width"] <= edges["box"] + 0.5, (box, edges)
    assert element.evaluate(ON_TOP)
    assert "map-under" not in element.evaluate("e => e.closest('th, td').className")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_course_head_partly_under_the_fixed_columns_stays_readable_and_reachable(
    open_page, width
):
    """A column scrolled partly under the fixed columns does not draw its text (map-under), but
    it hid its children (`visibility: hidden`): the course's head link left the accessibility
    tree (a screen reader did not find it) and could not take the focus (which a screen
    reader's reading cursor moves to a link it reads; the grid itself is one Tab stop, its links
    out of the Tab order). The link stays named and focusable; focused, it is scrolled clear of
    the fixed columns and drawn."""
    from playwright.sync_api import expect

    programme = _two_positions_many_courses(14)
    page, watch = open_page(width)
    page.goto(programme.get_absolute_url())
    wait_until_settled(page)
    page.locator(".map-scroll").scroll_into_view_if_needed()

    assert page.evaluate(PUT_UNDER, [3, 20])
    head = page.locator("#curriculum-map thead .course-head").nth(3)
    expect(head).to_have_class(re.compile(r"\bmap-under\b"))
    link = page.get_by_role("link", name="EC03 E-commerce practice 3", exact=True)
    expect(link).to_have_count(1)
    assert "EC03" in page.locator("#curriculum-map thead").aria_snapshot()

    link.focus()
    expect(link).to_be_focused()
    _shown_clear_of_the_fixed_columns(page, link)
    assert watch.problems == []


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_cell_tabbed_to_under_the_fixed_columns_is_brought_clear_of_them(open_page, width):
    """The map's cell last moved to keeps the grid's Tab stop; scrolled partly under the fixed
    columns, then reached again with Tab, it was left there by the browser, out of sight."""
    programme = _two_positions_many_courses(14)
    page, watch = open_page(width)
    page.goto(programme.get_absolute_url())
    wait_until_settled(page)
    page.locator(".map-scroll").scroll_into_view_if_needed()

    page.locator("#curriculum-map td.level-cell").first.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    cell = page.locator("#curriculum-map td.level-cell:focus")
    assert cell.evaluate("c => c.parentElement.querySelectorAll('td.level-cell')[3] === c")
    page.locator("#curriculum-map thead .course-head__link").nth(7).focus()
    assert page.evaluate(PUT_UNDER, [3, 20])
    page.keyboard.press("Tab")
    assert cell.evaluate("c => c === document.activeElement")
    _shown_clear_of_the_fixed_columns(page, cell)
    assert watch.problems == []
