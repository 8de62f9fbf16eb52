"""Landmarks a screen reader lists by name are told apart (axe's landmark-unique, a moderate
best practice the full audit in test_accessibility_browser.py lets pass): a scrolling region
named by the heading of the section holding it was listed twice under one name (the map, the
progression table, the report's map slices, a position's requirements, the positions' table),
with nothing to say which of the two to jump to. Each box is named after what it holds ("Curriculum
map: table"), a chart's apart from the table of the same figures."""

import pytest

from competency_site.tests.test_accessibility_browser import AXE
from conftest import log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANDMARK_UNIQUE = """() => axe.run(document, {runOnly: {type: 'rule', values: ['landmark-unique']},
    resultTypes: ['violations']}).then(r => r.violations.flatMap(v => v.nodes.map(
    n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' '))))"""


def _pages() -> dict[str, str]:
    from curricula.models import CourseAbility, Programme
    from positions.models import Position

    programme, other = Programme.objects.order_by("order", "name")[:2]
    link = CourseAbility.objects.filter(course__programmes=programme).first()
    position = Position.objects.filter(requirements__isnull=False).order_by("order").first()
    return {
        "programme": f"/programs/{programme.pk}/",
        "report": f"/programs/{programme.pk}/report/",
        "positions": "/positions/",
        "position": f"/positions/{position.pk}/",
        "what-if": f"/programs/{programme.pk}/decide/",
        "ability": f"/programs/{programme.pk}/map/{link.ability_id}/",
        "compare": f"/programs/compare/?p={programme.pk}&p={other.pk}",
    }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_landmark_of_a_designer_s_pages_has_a_name_of_its_own(
    open_page, seeded, staff_user, language
):
    page, watch = open_page(bypass_csp=True)
    page.context.add_init_script(path=str(AXE))
    log_in(page, "staff", "staff-pass-123")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    found = {}
    for name, url in _pages().items():
        assert page.goto(url).status == 200, url
        wait_until_settled(page)
        lines = page.evaluate(LANDMARK_UNIQUE)
        if lines:
            found[f"{name} ({url})"] = lines
    assert not found, "\n".join(f"{k}\n  " + "\n  ".join(v) for k, v in found.items())
    assert watch.problems == []
