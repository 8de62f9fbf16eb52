"""The what-if names target positions as its reader knows them: by name (in the reader's
language), not by their database id. Observed: "Already a target position: 4." and "Not a target
position of the programme: 7." on the decide page and from the API, which show only names (the
courses were fixed the same way in 03482d5: by their codes). An unknown id has only itself."""

import pytest
from django.urls import reverse

from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    target = PositionFactory(name="Community pharmacist", name_zh="社区药师")
    other = PositionFactory(name="Hospital pharmacist, clinical")
    programme = ProgrammeFactory(targets=[target])
    return {"programme": programme, "target": target, "other": other}


def _api(api_client, world, body, **headers):
    url = reverse("program-what-if", args=[world["programme"].pk])
    response = api_client.post(url, body, format="json", **headers)
    assert response.status_code == 400, response.content
    return response.json()


def test_the_api_names_target_positions_by_name(api_client, world):
    target, other = world["target"], world["other"]
    answer = _api(api_client, world, {"add_targets": [target.pk]})
    assert answer["add_targets"] == ["Already a target position: “Community pharmacist”."]
    answer = _api(api_client, world, {"remove_targets": [other.pk]})
    assert answer["remove_targets"] == [
        "Not a target position of the programme: “Hospital pharmacist, clinical”."
    ]
    answer = _api(api_client, world, {"add_targets": [target.pk], "remove_targets": [target.pk]})
    assert "Both added and removed: “Community pharmacist”." in answer["remove_targets"]
    answer = _api(api_client, world, {"add_targets": [987654]})
    assert answer["add_targets"] == ["No position has the id 987654."]


def test_the_api_names_them_in_the_readers_language(api_client, world):
    from django.utils import translation

    answer = _api(
        api_client, world, {"add_targets": [world["target"].pk]}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    with translation.override("zh-hans"):
        expected = translation.gettext("Already a target position: %(ids)s.") % {
            "ids": "“社区药师”"
        }
    assert answer["add_targets"] == [expected]


def test_the_decide_page_names_them_too(client, world):
    url = reverse("curricula:programme-decide", args=[world["programme"].pk])
    response = client.get(url, {"remove_target": world["other"].pk})
    html = response.content.decode()
    assert "Not a target position of the programme: “Hospital pharmacist, clinical”." in html
    assert f"programme: {world['other'].pk}." not in html
