"""A message naming several things lists them as the reader's language does: Chinese with 、
between them, not an English ", ". Observed: Chinese sentences listing suggestion ids ("12, 13")
and what an API list takes ("after_id, degree_level, …"), an English list in each; the messages
now go through core.i18n.join_list, which writes the catalogue's list separator."""

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseFactory
from positions.tests.factories import PositionFactory
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_query_parameter_lists_what_the_list_takes_in_chinese(api_client):
    PositionFactory(name="Engineer")

    response = api_client.get(
        "/api/v1/positions/", {"name": "Engineer"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert response.status_code == 400
    message = response.json()["name"][0]
    assert "after_id、degree_level、ordering、page" in message
    assert ", " not in message


def test_the_same_in_english_keeps_its_commas(api_client):
    response = api_client.get("/api/v1/positions/", {"name": "Engineer"})

    assert "after_id, degree_level, ordering, page" in response.json()["name"][0]


def test_suggestions_of_another_review_are_listed_in_chinese(client, staff_user):
    client.force_login(staff_user)
    mine, elsewhere = CourseFactory(), CourseFactory()
    first, second = SuggestionFactory(course=elsewhere), SuggestionFactory(course=elsewhere)

    answer = client.post(
        reverse("suggestions:decide"),
        {"scope": f"course:{mine.pk}", "bulk": "1", "selected": [first.pk, second.pk]},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert answer.status_code == 422
    assert f"{first.pk}、{second.pk}" in answer.content.decode()
    assert f"{first.pk}, {second.pk}" not in answer.content.decode()
