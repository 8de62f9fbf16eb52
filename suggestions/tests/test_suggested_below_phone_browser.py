"""On a phone (320 px), in English and Chinese: a course suggested for a gap below the level the
requirement needs says so inside its own chip on the gap report, and the programme's review
says so on its row, whose level menu starts at the level needed; nothing wider than the
screen."""

import pytest

from conftest import log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = "proposed level %(proposed)s, below the required %(needed)s"

CHIP = """() => {
  const chip = document.querySelector('#gap-report .contributor--below');
  const box = chip.getBoundingClientRect();
  return {page: document.documentElement.scrollWidth, text: chip.textContent.trim(),
          left: box.left, right: box.right, boxes: chip.getClientRects().length};
}"""

ROW = """() => {
  const note = document.querySelector('.review-item [data-below]');
  const box = note.getBoundingClientRect();
  const menu = note.closest('.review-item').querySelector('select[data-level]');
  return {page: document.documentElement.scrollWidth, text: note.textContent.trim(),
          left: box.left, right: box.right, level: menu.value};
}"""


@pytest.fixture
def below(staff_user):
    from curricula.coverage.services import coverage_recompute
    from curricula.tests.factories import CourseFactory, ProgrammeFactory
    from positions.tests.factories import PositionFactory, RequirementFactory, level
    from suggestions.tests.factories import SuggestionFactory, small_framework

    _framework, abilities = small_framework()
    programme = ProgrammeFactory()
    course = CourseFactory(
        code="CS-DB2041",
        title="Relational databases and information management for enterprise applications",
        title_zh="企业应用中的关系数据库与信息管理",
    )
    programme.programme_courses.create(course=course, order=0)
    SuggestionFactory(course=course, ability=abilities["DB"], proposed_level=level("I"))
    position = PositionFactory()
    RequirementFactory(position=position, ability=abilities["DB"], min_level=level("M"))
    programme.targets.create(position=position)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_on_a_phone_the_gap_report_and_the_review_say_the_level_is_below(
    open_page, below, chinese_stand_in, language
):
    from django.urls import reverse

    chinese_stand_in(None, MESSAGE)
    page, watch = open_page("phone")
    page.set_viewport_size({"width": 320, "height": 844})
    log_in(page, "staff", "staff-pass-123")
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto(below.get_absolute_url())
    wait_until_settled(page)
    chip = page.evaluate(CHIP)
    assert chip["page"] <= 320
    assert "I" in chip["text"]
    assert "M" in chip["text"]
    if language == "en":
        assert "proposed level I, below the required M" in chip["text"]
    assert chip["boxes"] == 1, chip
    assert chip["left"] >= 0, chip
    assert chip["right"] <= 320, chip

    page.goto(reverse("suggestions:programme-review", args=[below.pk]) + "?required=1")
    wait_until_settled(page)
    row = page.evaluate(ROW)
    assert row["page"] <= 320
    assert row["left"] >= 0, row
    assert row["right"] <= 320, row
    assert row["level"] == "M"
    assert watch.problems == []
