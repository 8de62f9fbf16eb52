"""The what-if's target positions, when there is no position at all to try: observed, a "Target
positions" heading with nothing under it but the hint "Try the programme without one of its
target positions, or with another.", on the decide page of a programme with no target positions in
a database with no positions. Like the app's other empty states, the group says there is none, and
links adding one for staff who may."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from curricula.tests.factories import ProgrammeFactory
from positions.models import Position
from positions.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

NONE_YET = "No positions yet: there is none to try as a target."
HINT = "Try the programme without one of its target positions, or with another."


def _group(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r'aria-labelledby="what-if-group-4">(.*?)</div>', html, re.S)
    assert match, "the what-if's target positions group"
    return match.group(1)


def _page(client, programme):
    return client.get(reverse("curricula:programme-decide", args=[programme.pk]))


def test_with_no_position_at_all_the_group_says_so(client):
    programme = ProgrammeFactory()
    assert not Position.objects.exists()
    group = _group(_page(client, programme))
    assert NONE_YET in group
    assert HINT not in group
    # A reader who may not add positions gets no link to the admin.
    assert reverse("admin:positions_position_add") not in group


def test_staff_who_may_add_a_position_get_a_link(client, staff_user, staff_without_perms):
    programme = ProgrammeFactory()
    client.force_login(staff_user)
    group = _group(_page(client, programme))
    assert f'<a href="{reverse("admin:positions_position_add")}">Add a position</a>' in group
    client.force_login(staff_without_perms)
    assert reverse("admin:positions_position_add") not in _group(_page(client, programme))


def test_a_position_to_try_keeps_the_form(client):
    """One position, not a target: it is offered, and the empty state is not said."""
    programme = ProgrammeFactory()
    PositionFactory(name="Community pharmacist")
    group = _group(_page(client, programme))
    assert HINT in group
    assert "Community pharmacist" in group
    assert NONE_YET not in group


def test_it_is_said_in_chinese(client, staff_user, chinese_stand_in):
    """The sentence and the link are translated, joined as Chinese writes two sentences: with no
    space between them."""
    chinese_stand_in(None, NONE_YET)
    chinese_stand_in(None, "Add a position")
    programme = ProgrammeFactory()
    client.force_login(staff_user)
    response = client.get(
        reverse("curricula:programme-decide", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    add = reverse("admin:positions_position_add")
    with translation.override("zh-hans"):
        none_yet, add_one = gettext(NONE_YET), gettext("Add a position")
    assert none_yet != NONE_YET
    assert f'{none_yet}<a href="{add}">{add_one}</a>' in _group(response)
