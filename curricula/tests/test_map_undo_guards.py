"""Guards (a hostile pass found these right; none of the suite said so): a change set's undo
sent through another programme's address is not found (a 404, nothing undone), and one sent
without the CSRF token from a session is refused (403, nothing undone)."""

import pytest
from django.test import Client
from django.urls import reverse

from curricula import services
from curricula.models import CourseAbility
from curricula.selectors.maps import CellInput
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from curricula.tests.test_map_changes import _grid

pytestmark = pytest.mark.django_db


def _saved():
    programme, courses, abilities, _link = _grid()
    change_set = services.programme_map_change(
        programme=programme, cells=[CellInput(courses[1].pk, abilities[0].pk, "M")]
    )
    return programme, change_set


def test_an_undo_through_another_programmes_address_is_not_found(staff_user):
    programme, change_set = _saved()
    other = ProgrammeFactory(
        courses=[CourseFactory()], targets=[target.position for target in programme.targets.all()]
    )
    client = Client()
    client.force_login(staff_user)
    url = reverse("curricula:programme-change-undo", args=[other.pk, change_set.token])
    assert client.post(url, headers={"X-Map-Editor": "1"}).status_code == 404
    assert CourseAbility.history.filter(history_undoes=change_set.token).count() == 0


def test_an_undo_without_the_csrf_token_is_refused(staff_user):
    programme, change_set = _saved()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    url = reverse("curricula:programme-change-undo", args=[programme.pk, change_set.token])
    assert client.post(url, headers={"X-Map-Editor": "1"}).status_code == 403
    assert CourseAbility.history.filter(history_undoes=change_set.token).count() == 0
