"""The curriculum map's fixed columns (ability, Required, Reached) as a reader moves through a
wide map with the keyboard: what scrolls sideways goes under them, and none of it shows between
or through them."""

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
