"""Accessibility in a real browser: axe-core, injected into each page by Playwright, finds no
critical and no serious violation on any public page, nor on the admin pages staff use for
courses, programmes and links (their change lists and change forms), at 1280 and 390 px.

axe-core is vendored as a test fixture (fixtures/axe-core/, MPL-2.0, pinned): no CDN, nothing
served to users.
"""

from pathlib import Path

import pytest

from conftest import WIDTHS, log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_VERSION = "4.14.1"
AXE = Path(__file__).resolve().parent / "fixtures" / "axe-core" / "axe.min.js"
BLOCKING = {"critical", "serious"}


def axe_violations(page) -> list[str]:
    """Run axe on the page as it is now; one line per serious or critical violation."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    assert page.evaluate("axe.version") == AXE_VERSION
    result = page.evaluate(
        """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(
            v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')
                + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160))})))"""
    )
    return [
        f"{violation['impact']} {violation['id']}: {node}"
        for violation in result
        if violation["impact"] in BLOCKING
        for node in violation["nodes"][:5]
    ]


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


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items())


def _check(page, urls: list[str]) -> dict[str, list[str]]:
    found = {}
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        wait_until_settled(page)
        violations = axe_violations(page)
        if violations:
            found[url] = violations
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
def test_public_pages_have_no_serious_or_critical_violations(open_page, seeded, width):
    """Every public page, in English and in Chinese, passes axe without serious/critical."""
    urls = _public_pages()
    page, watch = open_page(width, bypass_csp=True)
    found = _check(page, urls)
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": page.url}])
    found.update({f"zh {url}": v for url, v in _check(page, urls[:4]).items()})
    assert not found, _report(found)
    assert watch.problems == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_paged_pages_have_no_serious_or_critical_violations(open_page, seeded, monkeypatch, width):
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
    page, watch = open_page(width, bypass_csp=True)
    found = _check(page, urls)
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": page.url}])
    found.update({f"zh {url}": v for url, v in _check(page, urls).items()})
    assert not found, _report(found)
    assert watch.problems == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_admin_course_programme_and_link_pages_have_no_serious_or_critical_violations(
    open_page, seeded, staff_user, width
):
    """The change lists and change forms staff use most, including the admin's own breadcrumbs
    and autocomplete widgets, pass axe; no admin page asks for a missing favicon."""
    from curricula.models import Course, CourseAbility, Programme

    course = Course.objects.order_by("code").first()
    programme = Programme.objects.order_by("order").first()
    link = CourseAbility.objects.order_by("pk").first()
    urls = [
        "/admin/",
        "/admin/curricula/course/",
        f"/admin/curricula/course/{course.pk}/change/",
        "/admin/curricula/course/add/",
        "/admin/curricula/programme/",
        f"/admin/curricula/programme/{programme.pk}/change/",
        "/admin/curricula/courseability/",
        f"/admin/curricula/courseability/{link.pk}/change/",
        "/admin/curricula/courseability/add/",
    ]
    page, watch = open_page(width, bypass_csp=True)
    log_in(page, "staff", "staff-pass-123")
    found = _check(page, urls)
    assert not found, _report(found)
    assert watch.problems == []


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
