"""The header's search box in Chromium, at desktop and phone widths: English words by stem,
Chinese words, results grouped by kind that lead to the pages."""

import re

import pytest
from playwright.sync_api import expect

from conftest import SCREENSHOTS, WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_header_search_finds_words_in_english(open_page, seeded, width):
    page, watch = open_page(width)
    page.goto("/positions/")
    header = page.get_by_role("banner")
    box = header.get_by_role(
        "searchbox", name="Search positions, abilities, courses and programmes"
    )
    box.fill("operations")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=operations"))

    positions = page.get_by_role("region", name=re.compile("^Positions"))
    expect(positions.get_by_role("link", name="Operating manager", exact=True)).to_be_visible()
    expect(positions.get_by_role("link", name="Internet operating manager")).to_be_visible()
    courses = page.get_by_role("region", name=re.compile("^Courses"))
    expect(courses).to_contain_text("Network Operations Management")
    programmes = page.get_by_role("region", name=re.compile("^Programmes"))
    expect(programmes.get_by_role("link").first).to_be_visible()
    expect(page.get_by_role("region", name=re.compile("^Abilities"))).to_be_visible()
    expect(box).to_have_value("operations")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"search-{width}.png", full_page=True)

    positions.get_by_role("link", name="Operating manager", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Operating manager")
    assert watch.problems == []


def test_the_header_search_finds_chinese_words(open_page, seeded):
    from curricula.models import Course

    Course.objects.create(code="ZH-OPS", title="跨境电商运营")
    Course.objects.create(code="ZH-LOG", title="国际货运营销")
    page, watch = open_page()
    page.goto("/")
    box = page.get_by_role("banner").get_by_role("searchbox")
    box.fill("运营")
    box.press("Enter")
    courses = page.get_by_role("region", name=re.compile("^Courses"))
    expect(courses).to_contain_text("跨境电商运营")
    expect(courses).not_to_contain_text("国际货运营销")
    assert watch.problems == []
