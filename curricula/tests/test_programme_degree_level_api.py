"""A programme's degree level through the API: `degree_level` is read (the certification's, or
the programme's own); a client writes `own_degree_level`. Observed: a POST with `degree_level`
was silently ignored, then refused with "needs its own degree level", a sentence naming no
field a client could send."""

import pytest

from curricula.models import Programme
from curricula.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/programs/"


def test_a_programme_given_only_degree_level_is_told_to_send_own_degree_level(staff_client):
    response = staff_client.post(
        URL, {"name": "Accounting", "degree_level": "bachelor"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert "degree_level" in body
    assert "own_degree_level" in body["degree_level"][0]
    assert not Programme.objects.filter(name="Accounting").exists()


def test_a_programme_without_a_degree_level_is_told_which_field_to_send(staff_client):
    response = staff_client.post(URL, {"name": "Accounting"}, format="json")
    assert response.status_code == 400
    (message,) = response.json()["own_degree_level"]
    assert "own_degree_level" in message
    assert "bachelor" in message


def test_a_degree_level_other_than_the_programmes_is_refused_not_ignored(staff_client):
    response = staff_client.post(
        URL,
        {"name": "Accounting", "own_degree_level": "bachelor", "degree_level": "master"},
        format="json",
    )
    assert response.status_code == 400
    assert "own_degree_level" in response.json()["degree_level"][0]


def test_a_programme_read_and_written_back_whole_keeps_working(staff_client):
    """A client's round trip (GET, then PUT what it read) sends degree_level as it was read."""
    programme = ProgrammeFactory(certification=None, own_degree_level="bachelor")
    read = staff_client.get(f"{URL}{programme.pk}/").json()
    body = {
        key: read[key]
        for key in ("name", "own_degree_level", "degree_level", "track", "certification")
    }
    body["description"] = "Changed"
    response = staff_client.patch(f"{URL}{programme.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    body = {"own_degree_level": "master", "degree_level": "master"}
    response = staff_client.patch(f"{URL}{programme.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    programme.refresh_from_db()
    assert programme.own_degree_level == "master"
