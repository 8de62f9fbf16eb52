"""The pages in a real browser: Debian's Chromium driven by Playwright against live_server.

Every page is browsed at desktop and phone widths with no console error and no failed request,
and a screenshot of each is written to screenshots/; a staff user edits a map cell and sees the
gap report change without a reload; an anonymous user gets no edit control; markup in a name is
shown as text.
"""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conftest import SCREENSHOTS, WIDTHS, load_by, log_in, wait_until_settled

# live_server needs committed data, hence transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_page_at_desktop_and_phone_width_has_no_errors(open_page, seeded):
    """Browse each page at 1280 and 390 px: no console error, no failed request; screenshots."""
    from curricula.models import Programme
    from positions.models import Position

    programme = Programme.objects.order_by("order", "name").first()
    position = Position.objects.get(name="Online marketing specialist")
    course = programme.courses.order_by("code").first()
    target = programme.target_positions.order_by("pk").first()
    ability = target.requirements.order_by("ability__code").first().ability
    pages = {
        "home": "/",
        "programmes": "/programs/",
        "programme": f"/programs/{programme.pk}/",
        # The report was left out: its table of areas made the page scroll sideways on a phone.
        "programme-report": f"/programs/{programme.pk}/report/",
        "programme-decide": f"/programs/{programme.pk}/decide/",
        "programme-ability": f"/programs/{programme.pk}/map/{ability.pk}/",
        "course": f"/courses/{course.pk}/",
        "positions": "/positions/",
        "positions-search": "/positions/?q=data",
        "position": f"/positions/{position.pk}/",
        "certifications": "/certifications/",
        "search": "/search/?q=data",
        "login": "/accounts/login/",
    }
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page, watch = open_page(width)
        for name, url in pages.items():
            response = page.goto(url)
            assert response.status == 200, url
            wait_until_settled(page)
            # Responsive: wide tables scroll inside their region, the page itself never does.
            assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0], url
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        response = page.goto(f"/programs/{programme.pk}/chart.svg")
        assert response.status == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert watch.problems == []
        assert watch.dialogs == []


def test_pages_read_in_simplified_chinese(open_page, seeded):
    """The language switcher posts to /i18n/setlang/ and the navigation comes back in Chinese."""
    page, watch = open_page()
    page.goto("/positions/")
    page.select_option("#language-select", "zh-hans")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("navigation", name="主导航").get_by_text("职位").is_visible()
    page.screenshot(path=SCREENSHOTS / "positions-zh-desktop.png", full_page=True)
    assert watch.problems == []


def test_keyboard_users_move_through_the_languages_and_choose_with_enter(open_page, seeded):
    """Arrow keys on the closed language menu move through the languages and leave the page
    where it is (each press fires a change, which used to submit the form at once); the Switch
    button shows, and Enter (or the button) switches."""
    page, watch = open_page()
    page.goto("/positions/")
    page.evaluate("window.__sameDocument = true")
    switch = page.locator(".lang-form").get_by_role("button", name="Switch")
    assert not switch.is_visible()  # a mouse choice switches at once: no button needed
    page.focus("#language-select")
    page.keyboard.press("ArrowDown")
    switch.wait_for(state="visible")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("window.__sameDocument") is True
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#language-select").input_value() == "zh-hans"
    # The keys below are for the Chinese page's script (which shows the Switch button that Tab
    # then reaches): the page's load is waited for, not only its lang attribute.
    load_by(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert page.url.endswith("/positions/")
    # Back with the keys and the button: Tab reaches it, Enter on it switches.
    page.focus("#language-select")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert watch.problems == []


def test_staff_edits_a_map_cell_and_the_gap_report_follows(open_page, seeded, staff_user):
    """A staff user sets a missing requirement's cell to M: the row turns covered and the gap
    report's missing count drops, without a full page load."""
    from curricula.models import Programme

    programme = Programme.objects.order_by("order", "name").first()
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    page.goto(f"/programs/{programme.pk}/")
    missing_row = page.locator("tr.map-row--missing").first
    row_id = missing_row.get_attribute("id")
    before = page.locator("#gap-report .gap-summary").inner_text()
    page.evaluate("window.__sameDocument = true")

    missing_row.locator("td.level-cell").first.click()
    page.keyboard.press("Enter")
    page.locator("#map-panel form.cell-editor").get_by_label("Mastered").check()
    page.keyboard.press("Enter")

    page.locator(f"#{row_id}.map-row--covered").wait_for()
    page.locator("#gap-report .badge--fresh").wait_for()
    after = page.locator("#gap-report .gap-summary").inner_text()
    assert after != before
    assert page.evaluate("window.__sameDocument") is True  # no full reload
    page.screenshot(path=SCREENSHOTS / "programme-staff-desktop.png", full_page=False)
    assert watch.problems == []


def test_anonymous_visitor_sees_no_edit_control(open_page, seeded):
    from curricula.models import Programme

    programme = Programme.objects.order_by("order", "name").first()
    page, watch = open_page()
    page.goto(f"/programs/{programme.pk}/")
    assert page.locator("table.map td.level-cell").count() > 0
    assert page.locator("table.map select, table.map form").count() == 0
    assert page.locator("table.map[data-editable]").count() == 0
    assert page.locator(".map-tools").count() == 0
    assert watch.problems == []


def test_markup_in_names_is_shown_as_text(open_page, transactional_db):
    """A position, track and ability named with <script> show the text; no script runs."""
    from positions.tests.factories import (
        AbilityFactory,
        PlacementFactory,
        RequirementFactory,
        TrackFactory,
    )

    evil = "<script>alert(1)</script>"
    placement = PlacementFactory(
        position__name=evil, title=evil, track=TrackFactory(name=f"<b>{evil}</b>")
    )
    RequirementFactory(position=placement.position, ability=AbilityFactory(text=f"<i>{evil}</i>"))
    page, watch = open_page()
    page.goto("/positions/")
    assert page.get_by_role("link", name=evil).first.is_visible()
    page.goto(f"/positions/{placement.position.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == evil
    assert evil in page.locator(".requirement-table").inner_text()
    assert watch.dialogs == []
    assert watch.problems == []


def test_a_long_address_in_a_text_wraps_instead_of_widening_the_page(open_page, transactional_db):
    """A course description, its outcomes or a position's description holding a web address
    (a syllabus, a job advert) made the whole page scroll sideways on a phone: an address has
    no space to wrap at."""
    from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
    from positions.tests.factories import PositionFactory, RequirementFactory

    address = "https://www.example-university.edu.cn/curriculum/cross-border-ecommerce/2024/" + (
        "business_data_analysis_syllabus_final_version.pdf"
    )
    position = PositionFactory(name="Analyst", description=f"Advert: {address}")
    requirement = RequirementFactory(position=position)
    course = CourseFactory(
        code="LONG1", description=f"Syllabus: {address}", outcomes=f"Read {address}"
    )
    CourseAbilityFactory(course=course, ability=requirement.ability, note=f"See {address}")
    programme = ProgrammeFactory(
        courses=[course], targets=[position], description=f"Overview: {address}"
    )
    page, watch = open_page("phone")
    for url in (
        course.get_absolute_url(),
        position.get_absolute_url(),
        programme.get_absolute_url(),
        f"/programs/{programme.pk}/map/{requirement.ability_id}/",
    ):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"][0], url
    assert watch.problems == []


def test_a_name_with_no_space_wraps_on_a_375_px_phone(browser, live_server, transactional_db):
    """At 375 px (an iPhone's width) the paper's programme and position pages fit, but a name
    with no space to wrap at (an imported title or code) in a heading, a list or a card made
    them scroll sideways: `overflow-wrap: break-word` still sized a flex or grid box to the
    whole word (the gap report's heading of a target, the targets named under the programme's
    title, a card of the positions page)."""
    from curricula.coverage.services import coverage_recompute
    from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
    from positions.tests.factories import PlacementFactory, PositionFactory, RequirementFactory

    name = "Cross_border_ecommerce_data_analysis_and_operations_specialist_2024"
    position = PositionFactory(name=name)
    requirement = RequirementFactory(position=position)
    course = CourseFactory(code="LONG1", title=name)
    CourseAbilityFactory(course=course, ability=requirement.ability)
    placed = PlacementFactory(position=PositionFactory(name=f"Placed_{name}"), title=name)
    programme = ProgrammeFactory(name=name, courses=[course], targets=[position, placed.position])
    coverage_recompute(force=True)
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=live_server.url)
    try:
        page = context.new_page()
        for url in (
            programme.get_absolute_url(),
            "/positions/",
            position.get_absolute_url(),
            placed.position.get_absolute_url(),
        ):
            page.goto(url)
            wait_until_settled(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
        # Nor does Table I's own box scroll sideways for the long title in it.
        page.goto("/positions/")
        table = page.locator("#table-one-heading ~ .table-scroll")
        assert table.evaluate("(box) => box.scrollWidth <= box.clientWidth")
    finally:
        context.close()


# Each line box a `.code`'s text lies on, counted by where its fragments start (an inline box
# split over lines has one fragment a line).
CODE_LINES = """(code) => {
  const range = document.createRange();
  range.selectNodeContents(code);
  return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
}"""


def test_a_code_longer_than_its_line_wraps_on_a_375_px_phone(
    browser, live_server, transactional_db
):
    """Observed: a course code as long as the field holds (32 characters, an imported one with
    no space) and an ability's (64) made the course page scroll sideways on a phone, and the
    programme's pages with it: `.code` never wrapped. A long code now breaks; a normal one
    ("BUS 101", with its space) still stays on one line."""
    from curricula.coverage.services import coverage_recompute
    from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
    from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

    long_course = "CBEC_DATA_ANALYSIS_2024_ADVANCED"  # max_length 32
    long_ability = "S1.2.3_cross_border_ecommerce_platform_data_analysis_capability1"[:64]
    position = PositionFactory(name="Analyst")
    requirement = RequirementFactory(
        position=position, ability=AbilityFactory(code=long_ability, text="Analyse data")
    )
    missing = RequirementFactory(position=position, ability=AbilityFactory(code=long_ability[1:]))
    course = CourseFactory(code=long_course, title="Data", outcomes="Analyse data")
    normal = CourseFactory(code="BUS 101", title="Business")
    unused = CourseFactory(code=long_course[::-1], title="Nothing required")
    CourseAbilityFactory(course=course, ability=requirement.ability)
    CourseAbilityFactory(course=normal, ability=requirement.ability)
    programme = ProgrammeFactory(courses=[course, normal, unused], targets=[position])
    coverage_recompute(force=True)
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=live_server.url)
    try:
        page = context.new_page()
        for url in (
            course.get_absolute_url(),
            normal.get_absolute_url(),
            programme.get_absolute_url(),
            f"/programs/{programme.pk}/map/{requirement.ability_id}/",
            f"/programs/{programme.pk}/map/{missing.ability_id}/",
            f"/programs/{programme.pk}/decide/",
            f"/programs/{programme.pk}/report/",
            position.get_absolute_url(),
            f"/search/?q={long_course}",
        ):
            page.goto(url)
            wait_until_settled(page)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
            codes = page.locator("main .code")
            assert codes.count(), url
            for code in codes.all():
                if code.is_visible() and len(code.inner_text()) <= 8:
                    assert code.evaluate(CODE_LINES) == 1, (url, code.inner_text())
    finally:
        context.close()


def test_log_in_returns_once_the_session_is_logged_in(open_page, staff_user):
    """Observed: the helper `log_in` waited for an address ending in "/", which the login page's
    own address does. Playwright's click waits for a navigation it sees start, so that held
    while the browser kept up; a login form whose submission starts a moment after the click
    (a renderer busy under load, as when the tests run side by side) left log_in returning on
    the login page, and the test going on as a visitor. Here the submission starts half a
    second late; when log_in returns, the page is the one logged in to, showing the account."""
    page, watch = open_page()
    page.add_init_script(
        """document.addEventListener("submit", (event) => {
          const form = event.target;
          if (!form.matches("form[action$='/accounts/login/']")) return;
          event.preventDefault();
          setTimeout(() => form.submit(), 500);
        }, true);"""
    )
    log_in(page, "staff", "staff-pass-123")
    assert urlsplit(page.url).path == "/"
    assert page.locator(".logout-form .user-name").text_content() == "staff"
    assert any(cookie["name"] == "sessionid" for cookie in page.context.cookies())
    assert watch.problems == []
