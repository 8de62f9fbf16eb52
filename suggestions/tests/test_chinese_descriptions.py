"""A position is ranked by its Chinese description (description_zh, a local job advert) as by its
English one, against a framework's Chinese statements (text_zh), as a course is by its Chinese
title: through every door that generates (the service behind the review page, the API's
generate call, `manage.py suggest`), with the importance read from it, and editing it refreshes
the stored suggestions."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from curricula.models import Suggestion
from positions import services as positions_services
from positions.models import Ability
from positions.tests.factories import PositionFactory
from suggestions import services
from suggestions.tests.factories import small_framework

pytestmark = pytest.mark.django_db

COLON = "\uff1a"  # a full-width colon, as Chinese text writes it
ADVERT = f"岗位职责{COLON}\n- 管理跨境物流与报关\n加分项{COLON}\n- 策划数字营销活动\n"


@pytest.fixture
def framework():
    framework, abilities = small_framework()
    for code, text_zh in {"LOG": "管理跨境物流", "MKT": "策划数字营销活动"}.items():
        Ability.objects.filter(pk=abilities[code].pk).update(text_zh=text_zh)
    return framework


def _suggested(position) -> dict[str, Suggestion]:
    return {s.ability.code: s for s in Suggestion.objects.filter(position=position)}


def test_a_position_described_only_in_chinese_is_ranked_by_its_chinese_description(
    framework, client, staff_user
):
    """Observed: a position whose only description is Chinese (a local job advert) was ranked
    by its name alone and reported as having no description."""
    position = PositionFactory(name="Trade assistant", description_zh=ADVERT)
    result = services.suggestions_generate(position_ids=[position.pk], framework=framework)
    assert result.positions_without_text == []
    suggested = _suggested(position)
    assert {"LOG", "MKT"} <= set(suggested)
    for code in ("LOG", "MKT"):
        fields = {m["query_field"] for m in suggested[code].explanation["matches"]}
        assert "description_zh" in fields
    # What it says of each: duties are essential, a plus (加分项) optional.
    assert suggested["LOG"].proposed_importance == "essential"
    assert suggested["MKT"].proposed_importance == "optional"
    assert suggested["MKT"].explanation["importance"]["rule"] == "heading"
    # The review page says where each was found.
    client.force_login(staff_user)
    html = client.get(reverse("suggestions:position-review", args=[position.pk])).content.decode()
    assert "(Chinese description → Chinese label)" in html


def test_the_api_and_the_command_generate_for_a_position_described_only_in_chinese(
    framework, staff_client
):
    by_api = PositionFactory(name="Trade assistant", description_zh=ADVERT)
    response = staff_client.post(
        "/api/v1/suggestions/generate/",
        {"positions": [by_api.pk], "framework": framework.pk},
        format="json",
    )
    assert response.status_code == 202, response.content
    assert {"LOG", "MKT"} <= set(_suggested(by_api))

    by_command = PositionFactory(name="Trade assistant", description_zh=ADVERT)
    call_command("suggest", "--all-positions", "--framework", str(framework.pk), stdout=StringIO())
    assert {"LOG", "MKT"} <= set(_suggested(by_command))


def test_editing_a_positions_chinese_description_refreshes_its_suggestions(
    framework, django_capture_on_commit_callbacks
):
    position = PositionFactory(name="Trade assistant", description_zh="管理跨境物流")
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    assert set(_suggested(position)) == {"LOG"}
    with django_capture_on_commit_callbacks(execute=True):
        positions_services.position_update(position=position, description_zh="策划数字营销活动")
    assert set(_suggested(position)) == {"MKT"}


def test_a_suggestion_stored_before_importances_reads_the_chinese_description_now(framework):
    from suggestions.selectors import proposed_importance

    position = PositionFactory(name="Trade assistant", description_zh=ADVERT)
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    Suggestion.objects.filter(position=position).update(proposed_importance="")
    suggested = _suggested(position)
    assert proposed_importance(suggestion=suggested["MKT"]) == "optional"


def test_a_heading_ending_the_english_description_heads_nothing_of_the_chinese_one(framework):
    position = PositionFactory(
        name="Trade assistant",
        description="We ship goods abroad.\nNice to have:\n- Negotiate contracts",
        description_zh="管理跨境物流",
    )
    services.suggestions_generate(position_ids=[position.pk], framework=framework)
    suggested = _suggested(position)
    assert suggested["NEG"].proposed_importance == "optional"
    assert suggested["LOG"].proposed_importance == "essential"
    assert suggested["LOG"].explanation["importance"]["rule"] == "default"
