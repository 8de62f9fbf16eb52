# ruff: noqa: RUF001, RUF002  (Chinese text takes full-width punctuation)
"""A level read from a Chinese syllabus tier's verb (了解 < 理解 < 掌握) is said to be read on
those tiers, not on Bloom's taxonomy: 理解 is R on the tiers where Bloom's "understand"
introduces (I), so "理解 … (Bloom: apply/analyse)" was untrue. A Bloom verb, English or
Chinese (设计, design), keeps Bloom's wording."""

import html

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseFactory
from suggestions import services
from suggestions.levels import propose_level

from .test_chinese_programme_levels import level_of, nursing_framework

pytestmark = pytest.mark.django_db

TIERS = "了解 I < 理解 R < 掌握 M"


def _review(client, staff_user, course, language: str = "en") -> str:
    client.force_login(staff_user)
    url = reverse("suggestions:course-review", args=[course.pk])
    return html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())


@pytest.mark.parametrize(
    ("outcome", "code"),
    [
        ("理解护理研究的基本过程", "R"),
        ("熟悉护理研究的基本过程", "R"),
        ("初步掌握护理研究的基本过程", "R"),
    ],
)
def test_a_tier_verbs_reason_names_the_tiers(outcome, code):
    """Observed: "R: the outcome “理解…” uses “理解” (Bloom: apply/analyse)."."""
    proposal = propose_level(outcomes=[outcome], matched_terms=["护理研究"])
    assert proposal.code == code
    assert "Bloom" not in proposal.reason
    assert f"(Chinese syllabus tiers: {TIERS})" in proposal.reason


@pytest.mark.parametrize("outcome", ["设计护理研究方案", "Design nursing research"])
def test_a_bloom_verbs_reason_still_names_bloom(outcome):
    proposal = propose_level(outcomes=[outcome], matched_terms=["护理研究", "nursing research"])
    assert proposal.reason.endswith("(Bloom: evaluate/create).")


def test_the_review_page_names_the_tiers_for_a_tier_verb(client, staff_user):
    """Observed: the page said “uses “理解” (Bloom's taxonomy)” in English and “（布鲁姆分类法）”
    in Chinese."""
    _abilities, framework = nursing_framework()
    course = CourseFactory(
        code="NUR403", title="护理研究", description="", outcomes="理解护理研究的基本过程"
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    proposed, level = level_of(course, "N06")
    assert (proposed, level["verb"]) == ("R", "理解")
    assert "Bloom" not in level["reason"]
    english = _review(client, staff_user, course)
    assert f"uses “理解” (the Chinese syllabus tiers: {TIERS})" in english
    assert "uses “理解” (Bloom" not in english
    assert "“理解”（布鲁姆分类法）" not in _review(client, staff_user, course, "zh-hans")


def test_the_review_page_names_the_tiers_for_a_reason_stored_before(client, staff_user):
    """A suggestion generated before keeps its stored parts; the page words them anew."""
    _abilities, framework = nursing_framework()
    course = CourseFactory(
        code="NUR404", title="护理研究", description="", outcomes="理解护理研究的基本过程"
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    suggestion = course.suggestions.get(ability__code="N06")
    suggestion.explanation["level"]["reason"] = "R: … uses “理解” (Bloom: apply/analyse)."
    suggestion.save()
    assert f"(the Chinese syllabus tiers: {TIERS})" in _review(client, staff_user, course)


def test_a_bloom_verb_keeps_bloom_on_the_page(client, staff_user):
    _abilities, framework = nursing_framework()
    course = CourseFactory(
        code="NUR405", title="护理研究", description="", outcomes="设计护理研究方案"
    )
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    assert "uses “设计” (Bloom's taxonomy)" in _review(client, staff_user, course)
