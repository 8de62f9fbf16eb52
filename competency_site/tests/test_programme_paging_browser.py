"""The programme page's pagers and the gap report's links, in a real browser: axe finds no
violation on a programme paged in every way (WCAG 2.1 A/AA of any impact, serious or critical
of any other rule), at 1280 and 390 px, and the pagers lead where they say."""

import pytest

from competency_site.tests.test_accessibility_browser import _check, _report
from conftest import WIDTHS
from curricula.coverage.services import coverage_recompute
from curricula.selectors.maps import MAP_PAGE_ROWS
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from curricula.views.programmes import PROGRESSION_PAGE_ROWS
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEXT_ROWS = "Next abilities ›"  # noqa: RUF001


@pytest.fixture
def wide_programme():
    """A target requiring more abilities than a page of rows, all built by one course to I and
    the first half by another to R: the map, the progression and the gap lists are all paged."""
    count = max(MAP_PAGE_ROWS, PROGRESSION_PAGE_ROWS) + 5
    position = PositionFactory(name="Wide target")
    abilities = [AbilityFactory(code=f"R{index:03d}") for index in range(count)]
    for ability in abilities:
        RequirementFactory(position=position, ability=ability, min_level=level("M"))
    first, second = CourseFactory(code="ONE"), CourseFactory(code="TWO")
    for index, ability in enumerate(abilities):
        CourseAbilityFactory(course=first, ability=ability, level=level("I"))
        if index % 2:
            CourseAbilityFactory(course=second, ability=ability, level=level("R"))
    programme = ProgrammeFactory(courses=[first, second], targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_paged_programme_page_passes_axe_and_its_pagers_lead_on(open_page, wide_programme, width):
    url = wide_programme.get_absolute_url()
    page, watch = open_page(width, bypass_csp=True)
    found = _check(
        page,
        [url, f"{url}?rows=2&prog=2", f"{url}?gaps={wide_programme.targets.get().position_id}"],
    )
    assert not found, _report(found)
    page.goto(url)
    pager = page.get_by_role("navigation", name="Ability rows", exact=True)
    pager.get_by_role("link", name=NEXT_ROWS).click()
    page.wait_for_load_state("networkidle")
    assert "?rows=2" in page.url
    first_row = page.locator("#curriculum-map tbody tr.map-row").first
    assert first_row.locator(".code").first.inner_text() == f"R{MAP_PAGE_ROWS:03d}"
    page.get_by_role("link", name="List every requirement of Wide target").click()
    page.wait_for_load_state("networkidle")
    assert "gaps=" in page.url
    assert page.locator("#gap-report .gaps-more").count() == 0
    assert watch.problems == []
