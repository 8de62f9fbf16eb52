"""A decision changes only what it changed on the review page, in Chromium: the decided row
leaves, the next pending suggestion joins the end of the 50 listed, and the other rows are the
same elements as before (a level chosen on one of them stays chosen); the keyboard's focus goes
to the next suggestion."""

import pytest
from playwright.sync_api import expect

from conftest import log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def long_queue(staff_user):
    from curricula.models import Suggestion
    from curricula.tests.factories import CourseFactory
    from positions.tests.factories import AbilityFactory, FrameworkFactory, level
    from suggestions.tests.factories import SuggestionFactory

    course = CourseFactory()
    framework = FrameworkFactory()
    for rank in range(1, 56):
        SuggestionFactory(
            course=course,
            ability=AbilityFactory(framework=framework),
            rank=rank,
            score=1 / rank,
            proposed_level=level("I"),
        )
    return course, list(Suggestion.objects.filter(course=course).best_first())


@pytest.mark.parametrize("key", ["a", "x", "s"])
def test_a_decision_replaces_only_the_decided_row_and_the_focus_goes_to_the_next(
    open_page, long_queue, key
):
    from curricula.models import Suggestion, SuggestionStatus

    course, queue = long_queue
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"/suggestions/courses/{course.pk}/")
    rows = page.locator("[data-suggestion]")
    expect(rows).to_have_count(50)
    # Another row's element, and a level chosen on it, which a re-rendered queue would reset.
    third = page.locator(f"#suggestion-{queue[2].pk}")
    third.evaluate("node => { window.__third = node; }")
    third.locator("[data-level]").select_option("M")
    page.locator(f"#suggestion-{queue[0].pk}").focus()

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.keyboard.press(key)
    assert answer.value.status == 200
    wait_until_settled(page)

    expect(page.locator(f"#suggestion-{queue[0].pk}")).to_have_count(0)
    expect(rows).to_have_count(50)
    expect(rows.last).to_have_attribute("data-suggestion", str(queue[50].pk))
    expect(page.locator(f"#suggestion-{queue[1].pk}")).to_be_focused()
    expect(page.locator(".review-item.is-current")).to_have_attribute(
        "data-suggestion", str(queue[1].pk)
    )
    assert third.evaluate("node => node === window.__third")
    expect(third.locator("[data-level]")).to_have_value("M")
    expected = 55 if key == "s" else 54
    expect(page.locator("#review-shown")).to_contain_text(f"The best 50 of {expected}")
    expect(page.locator("#review-counts")).to_contain_text(f"{expected} pending")
    decided = {"a": SuggestionStatus.ACCEPTED, "x": SuggestionStatus.REJECTED}
    wanted = decided.get(key, SuggestionStatus.PENDING)
    assert Suggestion.objects.get(pk=queue[0].pk).status == wanted

    # The next key acts on the row holding the focus, the one after the decided.
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("x")
    wait_until_settled(page)
    assert Suggestion.objects.get(pk=queue[1].pk).status == SuggestionStatus.REJECTED
    expect(page.locator(f"#suggestion-{queue[2].pk}")).to_be_focused()
    assert watch.problems == []


def test_a_bulk_accept_at_a_level_removes_the_accepted_and_fills_the_list(open_page, long_queue):
    """Keyboard only: space selects, j moves, the bulk level is chosen in its menu, b accepts.
    The accepted rows leave, as many join at the end, and the focus is on the row after them."""
    from curricula.models import CourseAbility

    course, queue = long_queue
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"/suggestions/courses/{course.pk}/")
    page.keyboard.press("j")  # into the list, on the second row
    page.keyboard.press("k")
    page.keyboard.press(" ")
    page.keyboard.press("j")
    page.keyboard.press(" ")
    page.locator("[data-bulk-level]").select_option("M")
    page.locator(f"#suggestion-{queue[1].pk}").focus()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("b")
    wait_until_settled(page)

    links = CourseAbility.objects.filter(course=course)
    assert sorted(links.values_list("ability_id", flat=True)) == sorted(
        s.ability_id for s in queue[:2]
    )
    assert {link.level.code for link in links} == {"M"}
    rows = page.locator("[data-suggestion]")
    expect(rows).to_have_count(50)
    assert rows.evaluate_all("nodes => nodes.map(n => +n.dataset.suggestion)") == [
        s.pk for s in queue[2:52]
    ]
    expect(page.locator(f"#suggestion-{queue[2].pk}")).to_be_focused()
    expect(page.locator("[data-select]:checked")).to_have_count(0)
    assert watch.problems == []
