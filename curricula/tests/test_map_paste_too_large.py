"""Observed (a hostile pass, and a designer selecting the whole of a wide map): a change set of
more than about 5,050 cells, each sent with the level shown, is more fields than the site reads
(DATA_UPLOAD_MAX_NUMBER_FIELDS), refused before the map's view could say it allows at most
CHANGE_SET_MAX_CELLS cells. The map's panel showed "The request could not be read. Go back and
try again.": nothing said it was too large, nor what to do. Too many fields, or too large a
body, is now said as such; nothing is written either way."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from curricula.models import CourseAbility
from curricula.tests.test_map_changes import _grid

pytestmark = pytest.mark.django_db


def _editor(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


def _said_too_much() -> str:
    return gettext("Too much was sent at once: send it in smaller parts (fewer cells or rows).")


def test_more_fields_than_the_site_reads_says_it_was_too_much(staff_user):
    programme, _courses, _abilities, _link = _grid()
    before = CourseAbility.history.count()
    cells = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS // 2 + 1
    data = {}
    for n in range(1, cells + 1):
        data[f"cell:{n}:{n}"] = "M"
        data[f"base:{n}:{n}"] = ""
    response = _editor(staff_user).post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {**data, "preview": "1"},
        headers={"X-Map-Editor": "1"},
    )
    assert response.status_code == 400
    assert _said_too_much() in response.content.decode()
    assert CourseAbility.history.count() == before


def test_too_large_a_body_says_it_was_too_much(staff_user):
    programme, courses, abilities, _link = _grid()
    before = CourseAbility.history.count()
    response = _editor(staff_user).post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {
            f"cell:{courses[1].pk}:{abilities[1].pk}": "M"
            * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
        },
        headers={"X-Map-Editor": "1"},
    )
    assert response.status_code == 400
    assert _said_too_much() in response.content.decode()
    assert CourseAbility.history.count() == before
