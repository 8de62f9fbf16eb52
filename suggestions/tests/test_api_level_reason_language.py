"""The API's `explanation.level.reason` is worded in the language asked for (Accept-Language),
by the function the review page words it with (suggestions.reasons.level_reason), from the
level's stored parts. Observed: a Chinese client (Accept-Language: zh-hans) was served the
English sentence stored when the suggestion was generated, while the review page said it in
Chinese. The record keeps its stored sentence; the field and its schema are as they were."""

import pytest
from django.utils import translation

from curricula.models import Suggestion
from suggestions.reasons import level_reason
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db

LEVEL = {
    "code": "M",
    "rule": "outcome",
    "reason": "M: the outcome “Design a schema” uses “design” (Bloom: evaluate/create).",
    "verb": "design",
    "line": "Design a schema",
    "stage": "",
    "place": 0,
    "count": 0,
}


def _served(client, language: str) -> dict:
    response = client.get("/api/v1/suggestions/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response.json()["results"][0]["explanation"]


def test_a_chinese_client_is_told_the_level_s_reason_in_chinese(staff_client):
    SuggestionFactory(explanation={"matches": [], "level": dict(LEVEL)})
    with translation.override("zh-hans"):
        said = level_reason(LEVEL)
    assert "布鲁姆" in said  # the catalogue's Chinese, not the stored English

    served = _served(staff_client, "zh-hans")

    assert served["level"]["reason"] == said
    assert {k: v for k, v in served["level"].items() if k != "reason"} == {
        k: v for k, v in LEVEL.items() if k != "reason"
    }


def test_an_english_client_is_told_it_as_the_review_page_words_it(staff_client):
    SuggestionFactory(explanation={"matches": [], "level": dict(LEVEL)})
    served = _served(staff_client, "en")
    assert served["level"]["reason"] == (
        "M: the outcome “Design a schema” uses “design” (Bloom's taxonomy)."
    )


def test_the_stored_reason_is_kept(staff_client):
    suggestion = SuggestionFactory(explanation={"matches": [], "level": dict(LEVEL)})
    _served(staff_client, "zh-hans")
    suggestion = Suggestion.objects.get(pk=suggestion.pk)
    assert suggestion.explanation["level"]["reason"] == LEVEL["reason"]


def test_a_level_of_a_rule_unknown_keeps_its_stored_reason_and_none_has_none(staff_client):
    SuggestionFactory(explanation={"matches": [], "level": {"code": "R", "reason": "Older."}})
    assert _served(staff_client, "zh-hans")["level"] == {"code": "R", "reason": "Older."}
    Suggestion.objects.all().delete()
    SuggestionFactory(explanation={"matches": [], "level": {"code": "R"}})
    assert _served(staff_client, "zh-hans")["level"] == {"code": "R"}
