"""A suggestion is accepted at a level given by its code or its name, in any case and in either
language, as the imports and the map's paste read a level: `{"level": "Mastered"}` was refused
with 'No level has the code "Mastered".'."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from curricula.models import CourseAbility, Suggestion
from suggestions import services
from suggestions.tests.factories import SuggestionFactory, database_course, small_framework

pytestmark = pytest.mark.django_db


def _chinese(name: str) -> str:
    with translation.override("zh-hans"):
        return gettext(name)


@pytest.mark.parametrize(
    ("given", "code"),
    [("Mastered", "M"), ("mastered", "M"), ("REINFORCED", "R"), ("m", "M")],
)
def test_the_api_accepts_a_level_by_its_name_in_any_case(staff_client, given, code):
    suggestion = SuggestionFactory()
    accepted = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": given}, format="json"
    )
    assert accepted.status_code == 201, accepted.content
    assert CourseAbility.objects.get(pk=accepted.json()["link"]).level.code == code


def test_the_api_accepts_a_level_by_its_chinese_name(staff_client):
    suggestion = SuggestionFactory()
    name = _chinese("Introduced")
    assert name != "Introduced"
    accepted = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": name}, format="json"
    )
    assert accepted.status_code == 201, accepted.content
    assert CourseAbility.objects.get(pk=accepted.json()["link"]).level.code == "I"


def test_an_unknown_level_is_refused_naming_the_levels_a_client_may_send(staff_client):
    suggestion = SuggestionFactory()
    refused = staff_client.post(
        f"/api/v1/suggestions/{suggestion.pk}/accept/", {"level": "Expert"}, format="json"
    )
    assert refused.status_code == 400
    (message,) = refused.json()["level"]
    assert "Expert" in message
    assert "code or name" in message
    assert "M (Mastered)" in message


def test_the_review_page_accepts_a_level_by_its_name(client, staff_user):
    framework, abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    suggestion = Suggestion.objects.get(course=course, ability=abilities["DB"])
    client.force_login(staff_user)
    response = client.post(
        reverse("suggestions:decide"),
        {
            "scope": f"course:{course.pk}",
            "single": f"accept:{suggestion.pk}",
            f"level-{suggestion.pk}": "Mastered",
        },
    )
    assert response.status_code == 302
    assert CourseAbility.objects.get(course=course, ability=abilities["DB"]).level.code == "M"
