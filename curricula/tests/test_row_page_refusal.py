"""A map row's page (the editor without JavaScript) refused a save (a cell someone else
changed since the page was opened) on a page of its own, "Nothing was written" with a link
back to the row: every level the designer had chosen was gone, to be chosen again. The
refusal now shows the row's form again, with the reason above it: each cell keeps the level
chosen, except a cell changed meanwhile, which shows its level now (saving again is then a
choice made knowingly)."""

import re

import pytest
from django.urls import reverse

from curricula.models import CourseAbility
from curricula.tests.test_map_views import workspace  # noqa: F401  (the fixture)
from positions.tests.factories import level

pytestmark = pytest.mark.django_db


def _select(html: str, course_id: int, ability_id: int) -> str:
    """The level selected in the row form's menu for the cell ("" for "·")."""
    start = html.index(f'name="cell:{course_id}:{ability_id}"')
    block = html[start : html.index("</select>", start)]
    found = re.search(r'<option value="([^"]*)" selected>', block)
    return found.group(1) if found else ""


def _base(html: str, course_id: int, ability_id: int) -> str:
    return re.search(rf'name="base:{course_id}:{ability_id}" value="([^"]*)"', html).group(1)


def test_a_refused_row_save_shows_the_row_form_again_with_the_levels_chosen(
    client,
    staff_user,
    workspace,  # noqa: F811
):
    programme, courses = workspace["programme"], workspace["courses"]
    ability = workspace["abilities"]["D3"]  # no course teaches it
    dat1, dat2, mkt1 = courses["DAT1"].pk, courses["DAT2"].pk, courses["MKT1"].pk
    row = reverse("curricula:programme-ability", args=[programme.pk, ability.pk])
    client.force_login(staff_user)
    # Opened with every cell empty; meanwhile someone links DAT2 at I.
    CourseAbility.objects.create(course_id=dat2, ability=ability, level=level("I"))

    response = client.post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {
            "back": row,
            "view": "",
            f"base:{dat1}:{ability.pk}": "",
            f"cell:{dat1}:{ability.pk}": "R",
            f"base:{dat2}:{ability.pk}": "",
            f"cell:{dat2}:{ability.pk}": "M",
            f"base:{mkt1}:{ability.pk}": "",
            f"cell:{mkt1}:{ability.pk}": "",
        },
    )

    assert response.status_code == 400
    html = response.text
    assert "DAT2 × D3 was changed by someone else" in html  # noqa: RUF001
    # The row's form, not a dead end.
    assert 'action="{}"'.format(reverse("curricula:programme-changes", args=[programme.pk])) in html
    assert _select(html, dat1, ability.pk) == "R"  # kept as chosen
    assert _select(html, mkt1, ability.pk) == ""
    # The cell changed meanwhile shows its level now, and is saved over only if chosen again.
    assert _select(html, dat2, ability.pk) == "I"
    assert _base(html, dat2, ability.pk) == "I"
    assert not CourseAbility.objects.filter(course_id=dat1, ability=ability).exists()
    # A way to drop the choices and start from the levels saved.
    assert f'<a href="{row}">Discard</a>' in html


def test_a_refusal_from_elsewhere_still_links_back(client, staff_user, workspace):  # noqa: F811
    """A post not from a row page (no `back`, or another page) keeps the refusal page."""
    programme, ability = workspace["programme"], workspace["abilities"]["D1"]
    course = workspace["courses"]["DAT1"].pk  # holds R
    client.force_login(staff_user)
    response = client.post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {f"cell:{course}:{ability.pk}": "M", f"base:{course}:{ability.pk}": "I"},
    )
    assert response.status_code == 400
    assert "Nothing was written" in response.text
    assert "Back to the map" in response.text
