"""The programme page in Chinese, in Chromium: chosen from the language menu, it names the
programme, its positions, areas, courses and levels in Chinese, chart included; no request fails."""

import pytest

from conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_programme_page_reads_in_chinese(open_page, seeded):
    from curricula.models import Programme

    programme = Programme.objects.order_by("order").first()
    page, watch = open_page()
    page.goto(programme.get_absolute_url())
    page.select_option("#language-select", "zh-hans")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "跨境电子商务工程师 — 技术开发"
    assert page.get_by_text("研发能力").first.is_visible()  # an area's rows
    assert page.get_by_text("熟练掌握").first.is_visible()  # the level legend
    assert page.locator("th.course-head .course-head__title").first.inner_text() == "动态网页设计"
    chart = page.request.get(f"/programs/{programme.pk}/chart.svg")
    assert "各能力领域的核心能力" in chart.text()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "programme-zh-desktop.png", full_page=False)
    assert watch.problems == []
