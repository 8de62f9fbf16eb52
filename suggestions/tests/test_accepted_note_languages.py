"""An accepted suggestion's link note is written in both languages, whichever language the
reviewer works in: the English note field held Chinese after a reviewer in Chinese accepted,
and the Chinese course page showed an English note after one in English did."""

import pytest
from django.utils import translation

from curricula.models import CourseAbility
from positions.tests.factories import level
from suggestions import services
from suggestions.tests.factories import SuggestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestion():
    return SuggestionFactory(
        explanation={
            "matches": [
                {
                    "query_field": "title",
                    "candidate_field": "label",
                    "term": "Pharmacy",
                    "weight": 0.02,
                },
            ],
            "level": {"code": "R"},
        },
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_note_is_english_and_the_chinese_note_chinese_whoever_accepts(
    suggestion, staff_user, language
):
    with translation.override(language):
        services.suggestion_accept(suggestion=suggestion, user=staff_user, level=level("R"))
    link = CourseAbility.objects.get(course=suggestion.course, ability=suggestion.ability)
    assert link.note.startswith("Accepted suggestion (matched: Pharmacy)")
    assert link.note_zh.startswith("已采纳的建议")
    assert "Pharmacy" in link.note_zh
