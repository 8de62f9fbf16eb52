"""Accessibility in a real browser, by axe-core injected into each page by Playwright. One axe
run per page load gives two verdicts:

- WCAG 2.1 A and AA, the level universities are held to: a violation of any impact of a rule axe
  tags wcag2a, wcag2aa, wcag21a or wcag21aa fails;
- every other rule, best practices included: a serious or critical violation fails.

The pages, each audited once per width and language it needs:

- every public page as an anonymous visitor sees it, at 1280 and 390 px, in English (the first
  few also in Chinese), and the pagers and "N more" links of the pages listing the catalogue;
- as staff, at 1280 px in English and in Chinese, the pages a curriculum designer works in: home,
  the positions and a position, the programmes and a programme (the map's cell editor open too),
  certifications, the suggestion review of a course and of a programme, the what-if page (empty
  and previewing a change), and the admin's list and form of course-ability links;
- as staff, at 1280 and 390 px in English, the admin's course, programme and link lists and
  forms, breadcrumbs and autocomplete widgets included.

The API docs page is Swagger UI's (third-party) and left out. axe-core is vendored as a test
fixture (fixtures/axe-core/, MPL-2.0, pinned): no CDN, nothing served to users.
"""

from pathlib import Path

import pytest

from conftest import WIDTHS, log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_VERSION = "4.14.1"
AXE = Path(__file__).resolve().parent / "fixtures" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"critical", "serious"}
NODES_SHOWN = 10

# Every rule axe enables by default, with each violation's tags: the WCAG rules are among them
# (test_the_audit_reports_what_breaks_wcag_and_best_practice checks that they all run).
AXE_RUN = """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(
    v => ({id: v.id, impact: v.impact, tags: v.tags, nodes: v.nodes.map(n => n.target.join(' ')
        + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200))})))"""


def _open(open_page, width: str = "desktop"):
    """A page (and its watch) whose every document gets axe as it starts: about 0.1 s less per
    page load than adding the script tag after it (Playwright sends the 550 kB each time)."""
    page, watch = open_page(width, bypass_csp=True)
    page.context.add_init_script(path=str(AXE))
    return page, watch


def _inject_axe(page) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    assert page.evaluate("axe.version") == AXE_VERSION


def axe_violations(page) -> list[str]:
    """Run axe once on the page as it is now; one line per failing node, "rule (impact, WCAG
    2.1 AA | other rule): selector :: what to fix", for a violation of a WCAG 2.1 A/AA rule of
    any impact and for a serious or critical violation of any other rule."""
    _inject_axe(page)
    lines = []
    for violation in page.evaluate(AXE_RUN):
        wcag = not set(violation["tags"]).isdisjoint(WCAG_21_AA)
        if not wcag and violation["impact"] not in BLOCKING:
            continue
        kind = "WCAG 2.1 AA" if wcag else "other rule"
        nodes = violation["nodes"]
        lines += [f"{violation['id']} ({violation['impact']}, {kind}): {node}" for node in nodes]
        del lines[len(lines) - len(nodes) + NODES_SHOWN :]
        if len(nodes) > NODES_SHOWN:
            lines.append(f"{violation['id']}: and {len(nodes) - NODES_SHOWN} more nodes")
    return lines


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items())


def _audit(page, url: str, ready: str | None = None) -> list[str]:
    """Load the page, wait for htmx (and for `ready` to show), and audit it."""
    response = page.goto(url)
    assert response.status == 200, url
    wait_until_settled(page)
    if ready:
        page.locator(ready).first.wait_for()
    return axe_violations(page)


def _check(page, urls: list[str]) -> dict[str, list[str]]:
    """Audit each page; {url: violation lines} of those with any."""
    found = {url: _audit(page, url) for url in urls}
    return {url: lines for url, lines in found.items() if lines}


def _in_chinese(page) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": page.url}])


def _public_pages() -> list[str]:
    from curricula.models import CourseAbility, Programme
    from positions.models import Placement, Position

    programme = Programme.objects.order_by("order", "name").first()
    link = CourseAbility.objects.filter(course__programmes=programme).first()
    position = Position.objects.filter(requirements__isnull=False).order_by("order").first()
    return [
        "/",
        "/programs/",
        f"/programs/{programme.pk}/",
        f"/programs/{programme.pk}/?status=missing",
        f"/programs/{programme.pk}/map/{link.ability_id}/",
        f"/programs/{programme.pk}/report/",
        f"/programs/{programme.pk}/decide/",
        "/positions/",
        "/positions/?q=data",
        "/positions/?track={}&degree=bachelor".format(
            Placement.objects.filter(degree_level="bachelor").values_list("track_id", flat=True)[0]
        ),
        f"/positions/{position.pk}/",
        f"/positions/{position.pk}/cells/{programme.pk}/{link.ability_id}/",
        f"/courses/{link.course_id}/",
        "/certifications/",
        "/accounts/login/",
    ]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_public_pages_pass_axe_for_an_anonymous_visitor(open_page, seeded, width):
    """Every public page as a visitor who has not logged in sees it, in English (and the first
    few in Chinese), passes axe: no WCAG 2.1 A/AA violation, no serious or critical other one."""
    urls = _public_pages()
    page, watch = _open(open_page, width)
    found = _check(page, urls)
    _in_chinese(page)
    found.update({f"zh {url}": v for url, v in _check(page, urls[:4]).items()})
    assert not found, _report(found)
    assert watch.problems == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_paged_pages_pass_axe(open_page, seeded, monkeypatch, width):
    """The pagers and "N more" links of pages that list the catalogue pass axe: the paper fits
    on one page, so the page sizes are shrunk to show them (the server runs in this process)."""
    from curricula.selectors import positions as position_columns
    from curricula.views import programmes as programme_views
    from positions import selectors as position_selectors
    from positions import views as position_views
    from positions.models import Placement, Position

    monkeypatch.setattr(programme_views, "OVERVIEW_PAGE_SIZE", 2)
    monkeypatch.setattr(programme_views, "PROGRAMME_LIST_PAGE_SIZE", 2)
    monkeypatch.setattr(position_columns, "POSITION_PAGE_COLUMNS", 2)
    monkeypatch.setattr(position_selectors, "TABLE_ONE_CELL_SHOWN", 1)
    monkeypatch.setattr(position_views, "CELL_PER_PAGE", 1)
    position = Position.objects.filter(requirements__isnull=False).order_by("order").first()
    placement = Placement.objects.order_by("track__order", "order", "id").first()
    cell = f"/positions/?track={placement.track_id}&degree={placement.degree_level}"
    urls = ["/?page=2", "/programs/?page=2", f"/positions/{position.pk}/?cols=2", "/positions/"]
    urls += [f"/positions/{position.pk}/?cols=all"]
    urls += [cell, f"{cell}&page=2"]
    page, watch = _open(open_page, width)
    found = _check(page, urls)
    _in_chinese(page)
    found.update({f"zh {url}": v for url, v in _check(page, urls).items()})
    assert not found, _report(found)
    assert watch.problems == []


def _designer_pages() -> dict[str, str]:
    """The pages a curriculum designer works in, on the paper's data, by name."""
    from curricula.models import Programme, Suggestion, SuggestionStatus
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
    return {
        "home": "/",
        "positions": "/positions/",
        "position": f"/positions/{position.pk}/",
        "programmes": "/programs/",
        "programme": f"/programs/{programme.pk}/",
        "certifications": "/certifications/",
        "course review": f"/suggestions/courses/{course.pk}/",
        # Opened from the programme's gap report: the programme named, each row's requirements.
        "course review for a programme": (
            f"/suggestions/courses/{course.pk}/?programme={programme.pk}"
        ),
        "programme review": f"/suggestions/programs/{programme.pk}/",
        "what-if": f"/programs/{programme.pk}/decide/",
        # The preview of a change: statuses now and after, as coloured cells.
        "what-if preview": f"/programs/{programme.pk}/decide/?remove={course.pk}",
    }


def _admin_pages(language: str) -> dict[str, str]:
    """The admin pages staff use most: in English all of them, in Chinese the links' list and
    form (the ones a designer edits the map through)."""
    from curricula.models import Course, CourseAbility, Programme

    course = Course.objects.order_by("code").first()
    programme = Programme.objects.order_by("order").first()
    link = CourseAbility.objects.order_by("pk").first()
    links = {
        "admin links": "/admin/curricula/courseability/",
        "admin link": f"/admin/curricula/courseability/{link.pk}/change/",
    }
    if language != "en":
        return links
    return {
        "admin": "/admin/",
        "admin courses": "/admin/curricula/course/",
        "admin course": f"/admin/curricula/course/{course.pk}/change/",
        "admin course add": "/admin/curricula/course/add/",
        "admin programmes": "/admin/curricula/programme/",
        "admin programme": f"/admin/curricula/programme/{programme.pk}/change/",
        **links,
        "admin link add": "/admin/curricula/courseability/add/",
    }


# What a page fills in after loading, to audit it only once it is there.
READY = {"what-if preview": "#what-if-result .status-cell"}


def _open_the_map_editor(page) -> None:
    """On the programme page, open the editor of the map's first cell as staff do (Enter)."""
    page.locator("#curriculum-map tbody tr.map-row td.level-cell").first.focus()
    page.keyboard.press("Enter")
    page.locator("#map-panel form.cell-editor").wait_for()


@pytest.mark.parametrize(
    ("width", "language"), [("desktop", "en"), ("desktop", "zh-hans"), ("phone", "en")]
)
def test_staff_pages_pass_axe(open_page, seeded, staff_user, width, language):
    """No page staff work in breaks an axe WCAG 2.1 A/AA rule or has a serious or critical
    violation of another: the designer's pages at 1280 px in English and Chinese, the admin's
    at both widths in English (its link pages in Chinese too). No admin page asks for a
    missing favicon."""
    pages = _designer_pages() if width == "desktop" else {}
    pages.update(_admin_pages(language))
    page, watch = _open(open_page, width)
    log_in(page, "staff", "staff-pass-123")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    found: dict[str, list[str]] = {}
    for name, url in pages.items():
        found[name] = _audit(page, url, ready=READY.get(name))
        if name == "programme":
            _open_the_map_editor(page)
            found["map editor"] = axe_violations(page)
    found = {name: lines for name, lines in found.items() if lines}
    assert not found, "\n".join(
        f"{name} ({pages.get(name, 'programme, editor open')})\n  " + "\n  ".join(lines)
        for name, lines in found.items()
    )
    assert watch.problems == []


def test_the_audit_reports_what_breaks_wcag_and_best_practice(open_page):
    """The audit is not blind: a field without a label, grey-on-white text and a deprecated
    ARIA role (WCAG 2.1 A/AA; the last of minor impact) and a dialog without a name (a serious
    best-practice rule) put on a page are reported, each under its rule, while a moderate
    best-practice one (a skipped heading level) is not. Its one run covers every rule a run of
    the WCAG 2.1 A/AA tags alone would."""
    page, _watch = _open(open_page)
    page.goto("/")
    page.locator("main").evaluate(
        """main => main.insertAdjacentHTML('beforeend',
            '<input id=unlabelled type=text><p id=faint style="color:#bbb">Faint text</p>'
            + '<div role=dialog id=nameless>A dialog</div><h6 id=skipped>Deep</h6>'
            + '<div role=directory id=deprecated>An ARIA 1.0 role</div>')"""
    )
    found = axe_violations(page)
    assert any(line.startswith("label ") and "#unlabelled" in line for line in found), found
    assert any(line.startswith("color-contrast ") and "#faint" in line for line in found), found
    assert any(
        line.startswith("aria-deprecated-role (minor, WCAG 2.1 AA)") and "#deprecated" in line
        for line in found
    ), found
    assert any(
        line.startswith("aria-dialog-name (serious, other rule)") and "#nameless" in line
        for line in found
    ), found
    raw = {violation["id"]: violation for violation in page.evaluate(AXE_RUN)}
    assert raw["heading-order"]["impact"] == "moderate"
    assert "best-practice" in raw["heading-order"]["tags"]
    assert not any(line.startswith("heading-order ") for line in found), found
    rules_run = """options => axe.run(document, options).then(r => [].concat(
        r.passes, r.violations, r.incomplete, r.inapplicable).map(result => result.id))"""
    wcag_only = page.evaluate(rules_run, {"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert set(wcag_only) <= set(page.evaluate(rules_run, {}))


def test_favicon_is_served(client):
    """Browsers ask for /favicon.ico whatever a page links: it leads to the site's icon, not a
    404 (the admin's pages also link the icon themselves)."""
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.svg")
    assert finders.find("img/favicon.svg")
    admin_login = client.get("/admin/login/").content.decode()
    assert f'rel="icon" href="{static("img/favicon.svg")}"' in admin_login
