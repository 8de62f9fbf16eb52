"""WCAG 2.1 AA in a real browser, the level universities are held to: axe-core checks each page a
curriculum designer and an administrator work in, with the paper's data loaded, against the rules
axe tags wcag2a, wcag2aa, wcag21a and wcag21aa, and fails on a violation of any impact (the
broader audit in test_accessibility_browser.py blocks only serious and critical ones, of every
rule including best practices, on more pages and widths).

The pages: home, the positions and a position, the programmes and a programme (its map and gap
report, and the map's editor open on a cell), certifications, the suggestion review of a course
and of a programme, the programme's what-if page (and a change previewed on it), and the admin's
change list and change form of course-to-ability links. The API docs page is Swagger UI's
(third-party) and left out. One page visits them all in one language; English and Chinese each
get a run.

axe-core is the vendored test fixture (fixtures/axe-core/, 4.14.1).
"""

import pytest

from conftest import log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = "competency_site/tests/fixtures/axe-core/axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def wcag_violations(page) -> list[str]:
    """Run axe's WCAG 2.1 A and AA rules on the page as it is now; one line per failing node:
    "rule (impact): selector :: what to fix"."""
    from django.conf import settings

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(settings.BASE_DIR / AXE))
    result = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
        }).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(
            n => n.target.join(' ') + ' :: '
                + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200))})))""",
        WCAG_21_AA,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node}"
        for violation in result
        for node in violation["nodes"]
    ]


def _pages() -> dict[str, str]:
    """The designer's and administrator's pages on the paper's data, by name."""
    from curricula.models import CourseAbility, Programme, Suggestion, SuggestionStatus
    from positions.models import Position
    from suggestions import services

    programme = Programme.objects.order_by("order", "name").first()
    course = programme.programme_courses.order_by("order").first().course
    # A queue to review: the engine's suggestions for the programme's courses.
    services.suggestions_generate(
        course_ids=programme.programme_courses.values_list("course_id", flat=True)
    )
    assert Suggestion.objects.filter(course=course, status=SuggestionStatus.PENDING).exists()
    position = Position.objects.filter(requirements__isnull=False).order_by("order").first()
    link = CourseAbility.objects.order_by("pk").first()
    return {
        "home": "/",
        "positions": "/positions/",
        "position": f"/positions/{position.pk}/",
        "programmes": "/programs/",
        "programme": f"/programs/{programme.pk}/",
        "certifications": "/certifications/",
        "course review": f"/suggestions/courses/{course.pk}/",
        "programme review": f"/suggestions/programs/{programme.pk}/",
        "what-if": f"/programs/{programme.pk}/decide/",
        # The preview of a change: statuses now and after, as coloured cells.
        "what-if preview": f"/programs/{programme.pk}/decide/?remove={course.pk}",
        "admin links": "/admin/curricula/courseability/",
        "admin link": f"/admin/curricula/courseability/{link.pk}/change/",
    }


def _open_the_map_editor(page) -> None:
    """On the programme page, open the editor of the map's first cell as staff do (Enter)."""
    page.locator("#curriculum-map tbody tr.map-row td.level-cell").first.focus()
    page.keyboard.press("Enter")
    page.locator("#map-panel form.cell-editor").wait_for()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_designer_and_admin_pages_meet_wcag_21_aa(open_page, seeded, staff_user, language):
    """No page a designer or administrator works in breaks an axe WCAG 2.1 A/AA rule."""
    pages = _pages()
    page, watch = open_page(bypass_csp=True)
    log_in(page, "staff", "staff-pass-123")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    found: dict[str, list[str]] = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        wait_until_settled(page)
        if name == "what-if preview":
            page.locator("#what-if-result .status-cell").first.wait_for()
        found[name] = wcag_violations(page)
        if name == "programme":
            _open_the_map_editor(page)
            found["map editor"] = wcag_violations(page)
    found = {name: lines for name, lines in found.items() if lines}
    assert not found, "\n".join(
        f"{name} ({pages.get(name, 'programme, editor open')})\n  " + "\n  ".join(lines)
        for name, lines in found.items()
    )
    assert watch.problems == []


def test_the_audit_reports_what_breaks_wcag(open_page):
    """The audit is not blind: a field without a label and grey-on-white text put on a page
    are reported, each under its rule."""
    page, _watch = open_page(bypass_csp=True)
    page.goto("/")
    page.locator("main").evaluate(
        """main => main.insertAdjacentHTML('beforeend',
            '<input id=unlabelled type=text><p id=faint style="color:#bbb">Faint text</p>')"""
    )
    found = wcag_violations(page)
    assert any(line.startswith("label ") and "#unlabelled" in line for line in found), found
    assert any(line.startswith("color-contrast ") and "#faint" in line for line in found), found
