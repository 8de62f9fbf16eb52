"""Observed (a hostile pass, a careless user): a row page's Save (or the status's Undo) sent
twice without JavaScript, a double click, saves (or undoes) once, and the browser shows the
second answer: "Nothing to save: every cell already had that level." (or a 409, "This change
has been undone already."). The first answer's "Saved · Undo" (or "Undone · Redo"), waiting in
the session for the map, was overwritten or never shown: the change just made had no Undo."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from curricula.models import CourseAbility
from curricula.tests.test_map_changes import _grid

pytestmark = pytest.mark.django_db


def _editor(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


def _token(page: str) -> str:
    return re.search(r"/changes/([0-9a-f]{32})/undo/", page)[1]


def test_a_save_sent_twice_keeps_the_first_saves_undo(staff_user):
    programme, courses, abilities, _link = _grid()
    client = _editor(staff_user)
    url = reverse("curricula:programme-changes", args=[programme.pk])
    # As the row page posts it: the level chosen beside the level it showed.
    key = f"{courses[1].pk}:{abilities[0].pk}"
    data = {f"cell:{key}": "M", f"base:{key}": ""}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert CourseAbility.history.filter(course_id=courses[1].pk).count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "Nothing to save" not in page
    token = _token(page)
    assert CourseAbility.history.filter(history_change_set=token).count() == 1
    undone = client.post(reverse("curricula:programme-change-undo", args=[programme.pk, token]))
    assert undone.status_code == 302
    assert not CourseAbility.objects.filter(course=courses[1], ability=abilities[0]).exists()


def test_an_undo_sent_twice_shows_the_first_undos_redo(staff_user):
    programme, courses, abilities, _link = _grid()
    client = _editor(staff_user)
    saved = client.post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {f"cell:{courses[1].pk}:{abilities[0].pk}": "M"},
    )
    token = _token(client.get(saved["Location"]).content.decode())
    undo = reverse("curricula:programme-change-undo", args=[programme.pk, token])
    first = client.post(undo)
    second = client.post(undo)
    assert first.status_code == 302
    assert second.status_code == 302, second.content.decode()[:500]
    page = client.get(second["Location"]).content.decode()
    assert "Undone" in page
    assert "Redo" in page
    assert not CourseAbility.objects.filter(course=courses[1], ability=abilities[0]).exists()


def test_a_refused_second_undo_from_the_maps_script_is_still_a_409(staff_user):
    """The script sends one change at a time; an undo it sends of a set undone already (by
    another tab) is told so, as before."""
    programme, courses, abilities, _link = _grid()
    client = _editor(staff_user)
    saved = client.post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {f"cell:{courses[1].pk}:{abilities[0].pk}": "M"},
    )
    token = _token(client.get(saved["Location"]).content.decode())
    undo = reverse("curricula:programme-change-undo", args=[programme.pk, token])
    assert client.post(undo, headers={"X-Map-Editor": "1"}).status_code == 200
    assert client.post(undo, headers={"X-Map-Editor": "1"}).status_code == 409


def test_a_save_that_changes_nothing_still_says_so(staff_user):
    """Without a save of the same cells waiting to be shown, nothing to save is said."""
    programme, courses, abilities, _link = _grid()
    client = _editor(staff_user)
    response = client.post(
        reverse("curricula:programme-changes", args=[programme.pk]),
        {f"cell:{courses[0].pk}:{abilities[0].pk}": "R"},
    )
    assert "Nothing to save" in client.get(response["Location"]).content.decode()
