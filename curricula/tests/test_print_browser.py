"""What curriculum designers print for committee meetings, as Debian's Chromium lays it out on
landscape A4 under print emulation (as the other browser tests, through Playwright): every
programme column of a position's comparison on the paper, and no control that only works on a
screen."""

import pytest

from conftest import log_in, wait_until_settled
from curricula.tests.test_map_wide_programme_browser import _mechanical_engineering

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A4 landscape less the print style's 10 mm margins, in CSS pixels (277 mm at 96 px an inch).
A4_LANDSCAPE_WIDTH = 1047

# What the printed page shows: text of elements print does not hide, the right edge of each table
# drawn, and the level cells drawn (with their letters).
PRINTED = """() => ({
    text: document.body.innerText,
    width: document.documentElement.scrollWidth,
    tables: Array.from(document.querySelectorAll('table'))
        .filter(t => t.getClientRects().length)
        .map(t => Math.round(t.getBoundingClientRect().right)),
    levels: Array.from(document.querySelectorAll('td'))
        .filter(td => td.getClientRects().length && /^[IRM]/.test(td.innerText.trim())).length,
})"""


def _printed(page, url: str) -> dict:
    page.goto(url)
    wait_until_settled(page)
    return page.evaluate(PRINTED)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_position_s_comparison_prints_every_programme_column_within_the_page(
    open_page, live_server, language
):
    """The position page with its programmes side by side (`?cols=all`, what README says to print
    for the whole comparison) printed 24 programmes as a table 2,300 px wide on a page of 1,047:
    the programmes past the first dozen or so, and their levels, were cut off the paper. The
    first page of 20 columns was cut off too. Printed, the programmes come in slices that fit,
    each naming its programmes."""
    from curricula.services import programme_create

    programme = _mechanical_engineering(courses_per_module=3)
    position = programme.target_positions.get()
    course_ids = list(programme.courses.values_list("pk", flat=True))
    names = [programme.name]
    for i in range(23):
        names.append(f"Mechanical Engineering with a long variant name {i + 1:02d}")
        programme_create(
            name=names[-1],
            track=programme.track,
            own_degree_level="bachelor",
            course_ids=course_ids[: 1 + i % 3],
            target_position_ids=[position.pk],
        )
    page, watch = open_page("desktop")
    page.set_viewport_size({"width": A4_LANDSCAPE_WIDTH, "height": 700})
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.emulate_media(media="print")
    for url, shown in ((position.get_absolute_url(), 20), (f"{position.pk}/?cols=all", 24)):
        url = url if url.startswith("/") else f"/positions/{url}"
        printed = _printed(page, url)
        assert printed["tables"], url
        assert max(printed["tables"]) <= A4_LANDSCAPE_WIDTH + 1, (url, printed["tables"])
        assert printed["width"] <= A4_LANDSCAPE_WIDTH, url
        for name in names[:shown]:
            assert name in printed["text"], (url, name)
        # The paper says which programmes of how many it holds (the pager does not print).
        assert "24" in printed["text"].split(names[0])[0], url
        # Each of the three abilities, in each programme's column: a letter (every programme's
        # first course builds ability 0 to M; the others build fewer).
        assert printed["levels"] >= shown, url
    assert watch.problems == []


def test_the_printed_gap_report_leaves_out_its_screen_only_next_steps(
    open_page, seeded, staff_user
):
    """Printed, each gap no course is suggested for read "No course is suggested for it: Add a
    link by hand; Generate suggestions", and suggested courses ended in *Review*: links to pages
    where things are done, which on paper say nothing. The gaps and the suggested courses stay."""
    from curricula.models import Programme

    programme = Programme.objects.get(
        name="Cross border senior e-commerce engineer — Operation and promotion"
    )
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.set_viewport_size({"width": A4_LANDSCAPE_WIDTH, "height": 700})
    page.emulate_media(media="print")
    page.goto(programme.get_absolute_url())
    wait_until_settled(page)
    assert page.locator(".gap-next-steps").count() > 0
    actions = page.evaluate(
        """() => Array.from(document.querySelectorAll('.position-gaps a'))
            .filter(a => a.getClientRects().length)
            .filter(a => /\\/suggestions\\/programs\\/|\\/map\\//.test(a.getAttribute('href')))
            .map(a => a.textContent.trim())"""
    )
    assert actions == []
    assert page.locator(".position-gaps").first.is_visible()
    assert watch.problems == []
