"""Target size (WCAG 2.2, 2.5.8): the buttons a curriculum designer presses on the pages they
work in are 24 by 24 CSS px at least, the small ones of the map's tools included."""

import pytest

from conftest import log_in, wait_until_settled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Buttons, and links drawn as buttons, smaller than 24 px either way (those shown).
SMALL_BUTTONS = """() => Array.from(document.querySelectorAll('button, .button'))
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([e, box]) => box.width > 0 && box.height > 0 && (box.width < 24 || box.height < 24))
    .map(([e, box]) => `${e.textContent.trim().slice(0, 30)} ${Math.round(box.width)}x`
                       + `${Math.round(box.height)}`)"""


def test_the_buttons_of_a_designer_s_pages_are_24_px_at_least(open_page, seeded, staff_user):
    """Observed: the small buttons (the map's tools: I, R, M, Clear, Select row, Select column;
    "Add a cell change" on the what-if page; "Review suggested links" and "Edit in the admin")
    stood 20 px high, and the level buttons 18 to 25 px wide, side by side."""
    from curricula.models import CourseAbility, Programme
    from positions.models import Position

    programme = Programme.objects.order_by("order", "name").first()
    link = CourseAbility.objects.filter(course__programmes=programme).first()
    position = Position.objects.filter(requirements__isnull=False).order_by("order").first()
    page, watch = open_page()
    log_in(page, "staff", "staff-pass-123")
    found = {}
    for url in (
        programme.get_absolute_url(),
        f"/programs/{programme.pk}/decide/",
        f"/positions/{position.pk}/",
        f"/courses/{link.course_id}/",
    ):
        page.goto(url)
        wait_until_settled(page)
        small = page.evaluate(SMALL_BUTTONS)
        if small:
            found[url] = small
    assert found == {}
    assert watch.problems == []
