"""`importance` on accepting a course's suggestion is refused with a field message (a link has a
level alone), not silently dropped; on a position's suggestion it is taken."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from curricula.models import CourseAbility, Suggestion
from positions.models import Requirement
from positions.tests.factories import PositionFactory
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

REFUSAL = _(
    "A course's suggestion becomes a course-ability link, which has a level but no importance: "
    "importance is for a position's suggestion only."
)


def test_importance_on_a_courses_suggestion_is_a_400_on_importance(staff_client):
    """Observed: 201, the link made and the importance dropped without a word."""
    suggestion = SuggestionFactory()
    response = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/",
        {"level": "R", "importance": "essential"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "position's suggestion only" in " ".join(response.json()["importance"])
    assert not CourseAbility.objects.exists()
    assert Suggestion.objects.get(pk=suggestion.pk).status == "pending"


def test_the_refusal_is_in_chinese_for_a_chinese_reader(staff_client):
    suggestion = SuggestionFactory()
    response = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/",
        {"importance": "optional"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = str(REFUSAL)
    assert response.json()["importance"] == [expected]


def test_importance_on_a_positions_suggestion_is_taken(staff_client):
    suggestion = SuggestionFactory(course=None, position=PositionFactory())
    response = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/",
        {"level": "R", "importance": "optional"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Requirement.objects.get().importance == "optional"


def test_the_openapi_description_names_the_refusal(staff_client):
    schema = staff_client.get("/api/schema/?format=json").json()
    accept = next(
        operations["post"]
        for path, operations in schema["paths"].items()
        if path.endswith("/accept/") and "suggestions" in path
    )
    assert "takes no importance" in accept["responses"]["400"]["description"]
    body = accept["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    importance = schema["components"]["schemas"][body]["properties"]["importance"]
    assert "a 400 for a course's" in importance["description"]
