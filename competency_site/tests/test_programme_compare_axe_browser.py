"""The programme comparison as a designer and a screen-reader user meet it: two and three
programmes of the paper compared, at 390 and 1280 px, in English and in Chinese. axe finds
nothing (as test_accessibility_browser holds the other pages to); the page itself never
scrolls sideways; no id is used twice; every figure cell of the three tables is announced
with its row's and its column's header."""

import pytest

from competency_site.tests.test_accessibility_browser import _open, axe_violations
from conftest import WIDTHS, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Per data cell of a table: the text of the header of its row and of its column, as a screen
# reader pairs them (scope=row in the row, scope=col above it at the same index).
HEADERS_OF_CELLS = """table => {
    const cols = [...table.tHead.rows[0].cells];
    return [...table.tBodies[0].rows].flatMap(row => {
        const rowHeader = row.querySelector('th[scope=row]');
        return [...row.cells].filter(cell => cell.tagName === 'TD').map(cell => {
            const col = cols[cell.cellIndex];
            return [rowHeader ? rowHeader.textContent.trim() : '',
                    col && col.tagName === 'TH' ? col.textContent.trim() : ''];
        });
    });
}"""


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_comparison_passes_axe_and_fits_the_page(open_page, seeded, width, language):
    from curricula.models import Programme

    programmes = list(Programme.objects.order_by("order", "name", "pk")[:3])
    page, watch = _open(open_page, width)
    page.goto("/programs/")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    found = {}
    for chosen in (programmes[:2], programmes):
        url = "/programs/compare/?" + "&".join(f"p={p.pk}" for p in chosen)
        page.goto(url)
        wait_until_settled(page)
        problems = axe_violations(page)
        ids = page.evaluate(
            "[...document.querySelectorAll('[id]')].map(e => e.id)"
            ".filter((id, i, all) => all.indexOf(id) !== i)"
        )
        problems += [f"id used twice: {name}" for name in ids]
        if page.evaluate("document.documentElement.scrollWidth") > WIDTHS[width][0]:
            problems.append("the page scrolls sideways")
        for table in ("#compare-summary", "#compare-positions", "#compare-areas"):
            pairs = page.locator(table).evaluate(HEADERS_OF_CELLS)
            problems += [
                f"{table}: a cell lacks a header {pair}" for pair in pairs if not all(pair)
            ]
        if problems:
            found[url] = problems
    assert not found, found
    assert watch.problems == []
