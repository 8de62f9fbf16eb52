"""The gap report's suggested courses on a phone (390 and 320 px), as a curriculum designer
with the right to add links reads them: each suggestion one item (the course's code, title and
proposed level), the review link in reach, nothing wider than the screen."""

import pytest

from conftest import log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = [
    "Relational databases and information management for enterprise applications",
    "Data modelling",
    "Database administration, backup and recovery in production environments",
]

# Each suggested course: its box and its code's, with how many line boxes each takes; and the
# page's and the review link's extent.
SUGGESTIONS = """() => {
  const items = Array.from(document.querySelectorAll('#gap-report .contributor--suggested'));
  const review = document.querySelector('#gap-report .suggested-courses > a:last-child');
  const box = review.getBoundingClientRect();
  return {
    page: document.documentElement.scrollWidth,
    review: {left: box.left, right: box.right, width: box.width},
    items: items.map(item => {
      const code = item.querySelector('.code');
      const rect = item.getBoundingClientRect();
      const strength = item.querySelector('.strength');
      const pill = strength && strength.getBoundingClientRect();
      return {text: item.textContent.trim(), left: rect.left, right: rect.right,
              strength: strength && strength.textContent,
              pillInside: !!pill && pill.left >= rect.left && pill.right <= rect.right,
              boxes: item.getClientRects().length, codeLines: code.getClientRects().length};
    }),
  };
}"""


@pytest.fixture
def suggested_for_a_gap(staff_user):
    from curricula.coverage.services import coverage_recompute
    from curricula.tests.factories import CourseFactory, ProgrammeFactory
    from positions.tests.factories import PositionFactory, RequirementFactory, level
    from suggestions.tests.factories import SuggestionFactory, small_framework

    _framework, abilities = small_framework()
    programme = ProgrammeFactory()
    for i, title in enumerate(TITLES):
        course = CourseFactory(code=f"CS-DB{2041 + i}", title=title)
        programme.programme_courses.create(course=course, order=i)
        SuggestionFactory(
            course=course,
            ability=abilities["DB"],
            proposed_level=level("R"),
            explanation={"matches": [], "strength": {"band": "strong" if i == 0 else "weak"}},
        )
    position = PositionFactory()
    RequirementFactory(position=position, ability=abilities["DB"], min_level=level("M"))
    programme.targets.create(position=position)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


@pytest.mark.parametrize("width", [320, 390])
def test_each_suggested_course_reads_as_one_item_on_a_phone(open_page, suggested_for_a_gap, width):
    page, watch = open_page("phone")
    page.set_viewport_size({"width": width, "height": 844})
    log_in(page, "staff", "staff-pass-123")
    page.goto(suggested_for_a_gap.get_absolute_url())
    wait_until_settled(page)

    seen = page.evaluate(SUGGESTIONS)
    assert len(seen["items"]) == len(TITLES)
    assert seen["page"] <= width
    for item in seen["items"]:
        assert item["codeLines"] == 1, item  # "CS-DB2041" not split at its hyphen
        assert item["boxes"] == 1, item  # one chip, not a chip's pieces over two lines
        assert item["left"] >= 0, item
        assert item["right"] <= width, item
        # How strongly each is suggested, in words inside its own box (observed: no sign at all).
        assert item["strength"] in ("Strong match", "Weak match"), item
        assert item["pillInside"], item
    assert seen["items"][0]["strength"] == "Strong match"
    assert seen["review"]["left"] >= 0
    assert seen["review"]["right"] <= width
    assert seen["review"]["width"] >= 24  # a target a thumb can hit
    assert watch.problems == []


def test_in_chinese_each_suggestion_keeps_its_strength_in_its_box_at_320(
    open_page, suggested_for_a_gap
):
    page, watch = open_page("phone")
    page.set_viewport_size({"width": 320, "height": 844})
    log_in(page, "staff", "staff-pass-123")
    page.set_extra_http_headers({"Accept-Language": "zh-hans"})
    page.goto(suggested_for_a_gap.get_absolute_url())
    wait_until_settled(page)

    seen = page.evaluate(SUGGESTIONS)
    assert seen["page"] <= 320
    assert [item["strength"] for item in seen["items"]] == ["强匹配", "弱匹配", "弱匹配"]
    for item in seen["items"]:
        assert item["boxes"] == 1, item
        assert item["pillInside"], item
        assert item["left"] >= 0, item
        assert item["right"] <= 320, item
    assert watch.problems == []


NEXT_STEPS = """() => {
  const line = document.querySelector('#gap-report .gap-next-steps');
  return {
    page: document.documentElement.scrollWidth,
    links: Array.from(line.querySelectorAll('a')).map(link => {
      const box = link.getBoundingClientRect();
      return {text: link.textContent, left: box.left, right: box.right, height: box.height};
    }),
  };
}"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_gap_with_no_suggestion_shows_its_next_steps_within_a_phone(
    open_page, staff_user, language
):
    """A gap no course is suggested for offers staff to add a link by hand or to generate
    suggestions: at 375 px both links are within the screen and big enough to tap."""
    from curricula.coverage.services import coverage_recompute
    from curricula.tests.factories import CourseFactory, ProgrammeFactory
    from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

    programme = ProgrammeFactory(courses=[CourseFactory(code="EN101")])
    position = PositionFactory()
    ability = AbilityFactory(code="TC2", text="interpret technical texts in a foreign language")
    RequirementFactory(position=position, ability=ability, min_level=level("M"))
    programme.targets.create(position=position)
    coverage_recompute(programme_ids=[programme.pk], force=True)

    page, watch = open_page("phone")
    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, "staff", "staff-pass-123")
    page.set_extra_http_headers({"Accept-Language": language})
    page.goto(programme.get_absolute_url())
    wait_until_settled(page)

    seen = page.evaluate(NEXT_STEPS)
    assert seen["page"] <= 375
    assert len(seen["links"]) == 2
    for link in seen["links"]:
        assert link["left"] >= 0, link
        assert link["right"] <= 375, link
        assert link["height"] >= 16, link
    assert watch.problems == []
