"""The what-if panel in a real browser (Debian's Chromium, as the other browser tests):
ticking a catalogue course previews the change in place, at desktop and phone widths, and staff
apply it as one change."""

import re

import pytest
from playwright.sync_api import expect

from conftest import SCREENSHOTS, WIDTHS, log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROGRAMME = "Cross border senior e-commerce engineer — Operation and promotion"


def _programme():
    from curricula.models import Programme

    return Programme.objects.get(name=PROGRAMME)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_ticking_a_course_previews_the_change_without_a_reload(open_page, seeded, width):
    programme = _programme()
    page, watch = open_page(width)
    page.goto(f"/programs/{programme.pk}/")
    page.get_by_role("link", name="Recommendations and what-if").click()
    page.wait_for_url(re.compile(r"/decide/$"))
    assert page.get_by_text("Proven optimal by branch-and-bound").is_visible()
    page.evaluate("window.__sameDocument = true")

    page.get_by_role("group", name="Bring in from the catalogue").get_by_label(
        re.compile("CBE118")
    ).check()

    page.locator("#what-if-result .status-cell--covered").first.wait_for()
    assert (
        "requirements with a better status: 1, with a worse status: 0"
        in page.locator("#what-if-result").inner_text()
    )
    assert page.evaluate("window.__sameDocument") is True
    assert re.search(r"add=\d+", page.url)  # the preview's address can be shared
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"what-if-{width}.png", full_page=True)
    assert page.get_by_role("button", name="Apply as one change").count() == 0
    assert watch.problems == []


def test_staff_apply_the_recommended_courses(open_page, seeded, staff_user):
    from curricula.models import ProgrammeCourse

    programme = _programme()
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"/programs/{programme.pk}/decide/")
    page.get_by_role("link", name="Try these in a what-if").click()
    page.get_by_role("button", name="Apply as one change").click()
    page.wait_for_url(re.compile(rf"/programs/{programme.pk}/$"))
    assert page.get_by_text("Scenario applied").is_visible()
    codes = set(
        ProgrammeCourse.objects.filter(programme=programme).values_list("course__code", flat=True)
    )
    assert {"CBE118", "CBE128"} <= codes
    assert watch.problems == []


def test_finding_a_catalogue_course_narrows_the_list_and_keeps_the_choice(open_page, seeded):
    programme = _programme()
    page, watch = open_page()
    page.goto(f"/programs/{programme.pk}/decide/")
    catalogue = page.get_by_role("group", name="Bring in from the catalogue")
    catalogue.get_by_label(re.compile("CBE118")).check()
    page.locator("#what-if-result .status-cell--covered").first.wait_for()
    assert catalogue.get_by_role("checkbox").count() > 2
    page.evaluate("window.__sameDocument = true")

    catalogue.get_by_label("Find a course").fill("CBE128")

    # Only the match, and the course already ticked, which a search never drops.
    expect(catalogue.get_by_role("checkbox")).to_have_count(2)
    expect(catalogue.get_by_label(re.compile("CBE118"))).to_be_checked()
    expect(catalogue.get_by_label(re.compile("CBE128"))).not_to_be_checked()
    assert page.evaluate("window.__sameDocument") is True
    assert "requirements with a better status: 1" in page.locator("#what-if-result").inner_text()
    assert watch.problems == []


# --- The page's defects, fixed -----------------------------------------------------------------


def _box(page, selector: str) -> dict:
    return page.evaluate(
        """(selector) => {
            const style = getComputedStyle(document.querySelector(selector));
            return {radius: style.borderTopLeftRadius, border: style.borderTopColor,
                    padding: style.paddingTop, font: style.fontFamily};
        }""",
        selector,
    )


def test_the_budget_field_is_styled_like_the_other_fields(open_page, seeded):
    page, watch = open_page()
    page.goto(f"/programs/{_programme().pk}/decide/")
    assert _box(page, "#budget") == _box(page, "#rec-area")
    assert _box(page, "#budget")["radius"] == "6px"
    assert watch.problems == []


def test_nothing_to_recommend_is_said_plainly(open_page, seeded):
    from curricula.decisions.selectors import recommendations_detail
    from positions.models import CompetencyArea

    programme = _programme()
    area = next(
        area
        for area in CompetencyArea.objects.all()
        if recommendations_detail(programme=programme, area_id=area.pk)["gaps"] == 0
    )
    page, watch = open_page()
    page.goto(f"/programs/{programme.pk}/decide/?area={area.pk}")
    recommendations = page.locator("#recommendations")
    expect(recommendations).to_contain_text("No essential gap within these filters")
    expect(recommendations).not_to_contain_text("candidate course")
    assert watch.problems == []


def _rows_changed(programme, url: str) -> int:
    """The requirement rows the scenario in `url` changes, as the what-if engine counts them."""
    from urllib.parse import parse_qs, urlsplit

    from django.http import QueryDict

    from curricula.decisions import requests, selectors

    query = QueryDict(urlsplit(url).query)
    assert parse_qs(urlsplit(url).query)
    asked = requests.scenario_request(requests.scenario_form_data(query))
    inputs = selectors.programme_inputs(programme=programme)
    scenario = requests.scenario_check(programme_in=inputs[0], request=asked)
    changed = selectors.what_if_detail(programme=programme, scenario=scenario, inputs=inputs)
    return changed["diff"]["changed"]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_any_number_of_cell_changes_previewed_in_view(open_page, seeded, width):
    from curricula.models import Programme

    programme = Programme.objects.get(name=PROGRAMME)
    page, watch = open_page(width)
    page.goto(f"/programs/{programme.pk}/decide/")
    page.evaluate("window.__sameDocument = true")
    group = page.get_by_role("group", name="Change cells")
    courses = group.locator('select[name="cell_course"]').first.locator("option")
    abilities = group.locator('select[name="cell_ability"]').first.locator("option")
    for row in range(5):
        if row:
            group.get_by_role("button", name="Add a cell change").click()
        expect(group.locator('select[name="cell_level"]')).to_have_count(row + 1)
        group.locator('select[name="cell_course"]').nth(row).select_option(
            courses.nth(1).get_attribute("value")
        )
        group.locator('select[name="cell_ability"]').nth(row).select_option(
            abilities.nth(row + 1).get_attribute("value")
        )
        group.locator('select[name="cell_level"]').nth(row).select_option("M")
    page.get_by_role("button", name="Preview", exact=True).click()

    result = page.locator("#what-if-result")
    # The ticks above preview as they go: wait for the address of the preview of all five, not
    # for the first rows shown (an earlier tick's preview had them already on a loaded machine).
    page.wait_for_url(lambda url: len(re.findall(r"cell_course=\d", url)) == 5, timeout=15_000)
    result.locator("tbody tr").first.wait_for(timeout=15_000)
    assert len(re.findall(r"cell_course=", page.url)) == 5
    expect(result.locator("tbody tr")).to_have_count(_rows_changed(programme, page.url))
    assert page.evaluate("window.__sameDocument") is True
    # Focus moves after htmx settles the swap, a moment after the rows are in: wait for it.
    expect(result).to_be_focused()
    top = result.bounding_box()["y"]
    assert 0 <= top < WIDTHS[width][1] * 0.6, "the preview is in view, near the top"
    expect(result).not_to_contain_text("No requirement changes status.")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]
    page.screenshot(path=SCREENSHOTS / f"what-if-cells-{width}.png", full_page=False)
    assert watch.problems == []


def test_preview_statuses_are_chinese_in_chinese(open_page, seeded):
    page, watch = open_page()
    page.goto(f"/programs/{_programme().pk}/decide/")
    page.select_option("#language-select", "zh-hans")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    from curricula.models import Course

    closing = Course.objects.get(code="CBE118").pk
    page.locator(f'#what-if-catalogue input[name="add"][value="{closing}"]').check()
    statuses = page.locator("#what-if-result .status-text")
    statuses.first.wait_for()
    texts = set(statuses.all_inner_texts())
    assert texts
    assert not {text.lower() for text in texts} & {"missing", "partial", "covered"}
    assert watch.problems == []


def test_trying_a_target_position_added_or_removed(open_page, seeded):
    programme = _programme()
    page, watch = open_page()
    page.goto(f"/programs/{programme.pk}/decide/")
    group = page.get_by_role("group", name="Target positions")
    group.get_by_text("Add a target position").click()
    group.get_by_label("Market researcher").check()
    result = page.locator("#what-if-result")
    expect(result).to_contain_text("Market researcher")
    expect(result).to_contain_text("new target")
    assert "add_target=" in page.url

    group.get_by_label("Market researcher").uncheck()
    group.get_by_role("checkbox", name=re.compile("^Without ")).first.check()
    expect(result).to_contain_text("no longer a target")
    assert watch.problems == []


def test_without_javascript_the_add_button_brings_one_more_row(browser, live_server, seeded):
    """No script: the add button asks the server for the form with one more empty row, and the
    preview button lands on the preview. Each lands, after one redirect, on the address htmx
    would push: the form's empty fields (`course_q=&cell_course=&...`) filled it before."""
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(f"/programs/{_programme().pk}/decide/")
        group = page.get_by_role("group", name="Change cells")
        assert group.locator('select[name="cell_level"]').count() == 1
        group.get_by_role("button", name="Add a cell change").click()
        page.wait_for_url(re.compile(r"cell_rows=2"))
        assert page.url.endswith("/decide/?cell_rows=2#what-if-group-3"), page.url
        assert group.locator('select[name="cell_level"]').count() == 2
        group.get_by_role("button", name="Add a cell change").click()
        page.wait_for_url(re.compile(r"cell_rows=3"))
        assert group.locator('select[name="cell_level"]').count() == 3

        from curricula.models import Course

        closing = Course.objects.get(code="CBE118").pk
        page.locator(f'#what-if-catalogue input[name="add"][value="{closing}"]').check()
        page.get_by_role("button", name="Preview", exact=True).click()
        page.wait_for_url(re.compile(r"#what-if-result$"))
        assert page.url.endswith(f"/decide/?add={closing}#what-if-result"), page.url
        assert (
            "requirements with a better status: 1" in page.locator("#what-if-result").inner_text()
        )
    finally:
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_tick_far_from_the_preview_offers_a_link_to_it(open_page, seeded, width):
    """Desktop shows the preview beside the form; on a phone, where it follows the whole form,
    a tick brings up a link to it rather than moving the page away from the form."""
    page, watch = open_page(width)
    page.goto(f"/programs/{_programme().pk}/decide/")
    page.get_by_role("group", name="Bring in from the catalogue").get_by_label(
        re.compile("CBE118")
    ).check()
    result = page.locator("#what-if-result")
    expect(result).to_contain_text("requirements with a better status: 1")
    jump = page.get_by_role("link", name="Preview updated: show it")
    if width == "desktop":
        expect(jump).to_be_hidden()
        assert 0 <= result.bounding_box()["y"] < WIDTHS[width][1]
    else:
        expect(jump).to_be_visible()
        jump.click()
        expect(jump).to_be_hidden()
        # A function, not an expression: the site's CSP refuses evaluating a string, which
        # Playwright does for an expression each time it polls (a page error, at random).
        page.wait_for_function(
            "() => document.getElementById('what-if-result').getBoundingClientRect().top"
            " < innerHeight"
        )
    assert watch.problems == []


def test_switching_the_language_keeps_the_scenario_being_tried(open_page, seeded):
    """The language menu sent the reader back to the address the page was loaded at: the
    scenario the preview had put in the address (?add=…) was lost, ticks and preview."""
    from curricula.models import Course

    page, watch = open_page()
    page.goto(f"/programs/{_programme().pk}/decide/")
    closing = Course.objects.get(code="CBE118").pk
    page.locator(f'#what-if-catalogue input[name="add"][value="{closing}"]').check()
    page.wait_for_url(re.compile(rf"add={closing}"))
    page.select_option("#language-select", "zh-hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert re.search(rf"add={closing}", page.url)
    expect(page.locator(f'#what-if-catalogue input[name="add"][value="{closing}"]')).to_be_checked()
    expect(page.locator("#what-if-result .status-cell--covered").first).to_be_visible()
    assert watch.problems == []


def test_enter_in_find_a_course_searches_and_the_focus_stays(open_page, seeded):
    """Enter in the course search submitted the form with its first submit button, *Add a cell
    change*: an empty cell row appeared, the focus left the search for it, and the address took
    the button's cell_rows and #what-if-group-3."""
    page, watch = open_page()
    page.goto(f"/programs/{_programme().pk}/decide/")
    search = page.get_by_label("Find a course")
    search.fill("CBE128")
    catalogue = page.locator("#what-if-catalogue")
    expect(catalogue.get_by_role("checkbox")).to_have_count(1)
    search.press("Enter")
    wait_until_settled(page)
    expect(search).to_be_focused()
    expect(page.locator("[data-what-if-cell]")).to_have_count(1)
    expect(catalogue.get_by_role("checkbox")).to_have_count(1)
    assert "cell_rows" not in page.url
    assert "#what-if-group-3" not in page.url
    expect(page.get_by_role("button", name="Preview", exact=True)).to_have_count(1)
    # The next change previews as usual, without the button's value.
    catalogue.get_by_role("checkbox").check()
    expect(page.locator("#what-if-result")).to_contain_text("requirements with a better status")
    assert "cell_rows" not in page.url
    assert watch.problems == []


def test_without_javascript_enter_in_find_a_course_previews_with_the_search(
    browser, live_server, seeded
):
    """No script: Enter in the course search is the Preview button, the list narrowed."""
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(f"/programs/{_programme().pk}/decide/")
        page.get_by_label("Find a course").fill("CBE128")
        page.get_by_label("Find a course").press("Enter")
        page.wait_for_url(re.compile(r"course_q=CBE128"))
        assert "cell_rows" not in page.url
        assert page.locator('select[name="cell_level"]').count() == 1
        assert page.locator("#what-if-catalogue").get_by_role("checkbox").count() == 1
    finally:
        context.close()


def test_a_catalogue_search_on_a_phone_brings_no_link_to_the_preview(open_page, seeded):
    """The link to the preview ("Preview updated") came up after any swap on the page, a search
    of the catalogue included, which changes no preview."""
    page, watch = open_page("phone")
    page.goto(f"/programs/{_programme().pk}/decide/")
    with page.expect_response(lambda response: "course_q=CBE" in response.url):
        page.get_by_label("Find a course").fill("CBE12")
    wait_until_settled(page)
    expect(page.get_by_role("link", name="Preview updated: show it")).to_be_hidden()
    assert watch.problems == []


def _query(url: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl, urlsplit

    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def test_the_address_bar_holds_only_what_carries_a_value_and_reads_back(open_page, seeded):
    """Searching the catalogue put every empty field in the address bar (`?course_q=CBE&
    cell_course=&cell_ability=&cell_level=`), and so did each preview: the address now holds
    the search and the ticks, and opened again it shows the same search, ticks and preview."""
    from curricula.models import Course

    page, watch = open_page()
    page.goto(f"/programs/{_programme().pk}/decide/")
    closing = Course.objects.get(code="CBE128").pk
    page.get_by_label("Find a course").fill("CBE12")
    page.wait_for_url(re.compile(r"course_q=CBE12"))
    assert _query(page.url) == [("course_q", "CBE12")]
    page.locator(f'#what-if-catalogue input[name="add"][value="{closing}"]').check()
    page.wait_for_url(re.compile(rf"add={closing}"))
    expect(page.locator("#what-if-result")).to_contain_text("requirements with a better status")
    assert _query(page.url) == [("course_q", "CBE12"), ("add", str(closing))]
    preview = page.locator("#what-if-result").inner_text()

    page.goto(page.url)
    expect(page.get_by_label("Find a course")).to_have_value("CBE12")
    expect(page.locator(f'#what-if-catalogue input[name="add"][value="{closing}"]')).to_be_checked()
    assert page.locator("#what-if-result").inner_text() == preview
    page.go_back()  # the history holds the short addresses too
    assert _query(page.url) == [("course_q", "CBE12")]
    assert watch.problems == []


# The share of a control's box the floating link to the preview covers, the control focused.
_UNDER_THE_JUMP = """() => {
    const jump = document.querySelector('[data-what-if-jump]').getBoundingClientRect();
    const box = document.activeElement.getBoundingClientRect();
    const across = Math.min(jump.right, box.right) - Math.max(jump.left, box.left);
    const down = Math.min(jump.bottom, box.bottom) - Math.max(jump.top, box.top);
    return Math.max(0, across) * Math.max(0, down) / (box.width * box.height);
}"""


def test_the_link_to_the_preview_never_covers_the_control_holding_the_focus(open_page, seeded):
    """Observed: on a phone the floating "Preview updated: show it" link (fixed at the bottom
    of the screen, above the page) covered half of "Find a course" and of the cell-change
    selects when the reader had scrolled them to the bottom of the screen and tabbed to them
    (WCAG 2.4.11, focus not obscured): the page now keeps room for it below the focus."""
    page, watch = open_page("phone")
    page.goto(f"/programs/{_programme().pk}/decide/")
    page.get_by_role("group", name="Bring in from the catalogue").get_by_label(
        re.compile("CBE118")
    ).check()
    jump = page.get_by_role("link", name="Preview updated: show it")
    expect(jump).to_be_visible()
    for control in ("#what-if-course-q", "#cell-course-1", "#cell-ability-1"):
        # The control at the bottom of the screen, the focus on the one before it, then Tab.
        page.locator(control).evaluate(
            """control => {
                control.scrollIntoView({block: 'end'});
                const all = [...control.form.elements].filter(e => e.offsetParent);
                all[all.indexOf(control) - 1].focus({preventScroll: true});
            }"""
        )
        page.keyboard.press("Tab")
        expect(page.locator(control)).to_be_focused()
        expect(jump).to_be_visible()
        assert page.evaluate(_UNDER_THE_JUMP) == 0, control
    assert watch.problems == []


def test_a_refused_cell_row_is_marked_beside_itself_as_the_preview_answers(open_page, seeded):
    """Observed: what the what-if form refused about a cell row (a level chosen, no ability) was
    said in the preview's list alone, tied to no row. The preview swaps only its result, so the
    page's script ties the answer's message to the row's selects, said beside the row, and takes
    it away once the row is whole; a row added after a refused one starts clean."""
    programme = _programme()
    page, watch = open_page()
    page.goto(f"/programs/{programme.pk}/decide/")
    group = page.get_by_role("group", name="Change cells")
    course = group.locator("#cell-course-1")
    ability = group.locator("#cell-ability-1")
    course.select_option(index=1)
    group.locator("#cell-level-1").select_option("M")
    message = "Cell change 1: choose an ability, or set its level to “No change”."
    expect(page.locator("#what-if-result")).to_contain_text(message)
    for select in (course, ability, group.locator("#cell-level-1")):
        expect(select).to_have_attribute("aria-invalid", "true")
        expect(select).to_have_accessible_description(message)
    expect(group.locator("#cell-errors-1")).to_have_text(message)

    group.get_by_role("button", name="Add a cell change").click()
    expect(group.locator("#cell-course-2")).to_be_focused()
    for kind in ("course", "ability", "level"):
        expect(group.locator(f"#cell-{kind}-2")).not_to_have_attribute("aria-invalid", "true")
    expect(group.locator("[data-cell-errors]")).to_have_count(1)

    ability.select_option(index=1)
    expect(page.locator("#what-if-result")).not_to_contain_text(message)
    expect(ability).not_to_have_attribute("aria-invalid", "true")
    expect(group.locator("[data-cell-errors]")).to_have_count(0)
    assert watch.problems == []
