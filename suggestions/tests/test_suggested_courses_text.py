# ruff: noqa: RUF001, RUF002  (Chinese text takes full-width brackets and separators)
"""The gap report's suggested courses read as text, not only as chips: observed in Chinese
"数据库 (建议等级 M)" with ASCII brackets where the product writes （）, and, without the
stylesheet (a screen reader, a text browser), two suggested courses run together as
"C1 Databases (proposed level M)C2 Data modelling (proposed level R)"."""

import re

import pytest
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.models import Suggestion
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory, RequirementFactory, level
from suggestions import services
from suggestions.tests.factories import SuggestionFactory, database_course, small_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def gaps(client, staff_user):
    framework, abilities = small_framework()
    course = database_course(code="DB1", title_zh="数据库")
    other = database_course(code="DB2", title_zh="数据建模")
    other.title = "Data modelling"
    other.save()
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=course, order=0)
    programme.programme_courses.create(course=other, order=1)
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    SuggestionFactory(course=other, ability=abilities["DB"], proposed_level=level("R"))
    position = PositionFactory()
    # Needing R, no course is proposed below it (see test_suggested_below_required_level).
    RequirementFactory(position=position, ability=abilities["DB"], min_level=level("R"))
    programme.targets.create(position=position)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    client.force_login(staff_user)
    first = Suggestion.objects.get(course=course, ability=abilities["DB"]).proposed_level.code
    return client, programme, first


def _suggested_text(html: str) -> str:
    """The suggested courses as a text browser reads them: tags dropped, spaces folded."""
    match = re.search(
        r'<span class="suggested-courses small">(.*?) '
        r'<a class="screen-only" href="[^"]*\?required=1"',
        html,
        re.S,
    )
    assert match, html
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def test_in_chinese_the_proposed_level_takes_full_width_brackets(gaps):
    client, programme, first = gaps
    html = client.get(
        reverse("curricula:programme-gaps", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    text = _suggested_text(html)
    assert f"DB1 数据库（建议等级 {first}）" in text
    assert "DB2 数据建模（建议等级 R）" in text
    assert " (" not in text


def test_several_suggested_courses_are_separated_in_text(gaps):
    client, programme, first = gaps
    html = client.get(reverse("curricula:programme-gaps", args=[programme.pk])).content.decode()
    label, _colon, courses = _suggested_text(html).partition(": ")
    assert label == "Suggested"
    # Each course then says how strongly it is suggested (see the tests below).
    assert sorted(c.rpartition(")")[0] + ")" for c in courses.split("; ")) == [
        f"DB1 Databases (proposed level {first})",
        "DB2 Data modelling (proposed level R)",
    ]
    html = client.get(
        reverse("curricula:programme-gaps", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    label, _colon, courses = _suggested_text(html).partition("：")
    assert sorted(c.rpartition("）")[0] + "）" for c in courses.split("；")) == [
        f"DB1 数据库（建议等级 {first}）",
        "DB2 数据建模（建议等级 R）",
    ]


@pytest.fixture
def strong_and_weak(client, staff_user):
    """Two courses suggested for one gap: one the engine stands by (score 0.9, placed first by
    both rankings), one it barely proposes (0.1, placed by neither), and one stored before
    strengths were (its score alone)."""
    _framework, abilities = small_framework()
    programme = ProgrammeFactory()
    rows = [
        ("ST1", "Databases", "数据库", 0.9, {"band": "strong", "lexical_rank": 1}),
        ("WK1", "Web design", "网页设计", 0.1, {"band": "weak", "lexical_rank": 40}),
        ("OLD", "Old course", "旧课程", 0.05, None),
    ]
    for order, (code, title, title_zh, score, strength) in enumerate(rows):
        course = CourseFactory(code=code, title=title, title_zh=title_zh)
        programme.programme_courses.create(course=course, order=order)
        explanation = {"matches": [], "level": {"code": "R"}}
        if strength:
            explanation["strength"] = strength
        SuggestionFactory(
            course=course,
            ability=abilities["DB"],
            proposed_level=level("R"),
            score=score,
            explanation=explanation,
        )
    position = PositionFactory()
    # Needing R, no course is proposed below it (see test_suggested_below_required_level).
    RequirementFactory(position=position, ability=abilities["DB"], min_level=level("R"))
    programme.targets.create(position=position)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    client.force_login(staff_user)
    return client, programme


def test_each_suggested_course_says_how_strongly_it_is_suggested(strong_and_weak):
    """Observed: a 0.9 and a 0.1 suggestion read alike ("ST1 Databases (proposed level R)"). Each
    now carries the review page's strength label, in words (not colour alone), with the score in
    its title as the review page gives it; one stored before strengths shows its score."""
    client, programme = strong_and_weak
    html = client.get(reverse("curricula:programme-gaps", args=[programme.pk])).content.decode()
    _label, _colon, courses = _suggested_text(html).partition(": ")
    assert courses.split("; ") == [
        "ST1 Databases (proposed level R) Strong match",
        "WK1 Web design (proposed level R) Weak match",
        "OLD Old course (proposed level R) score 0.050",
    ]
    assert (
        '<span class="strength strength--strong" title="score 0.9000" data-strength="strong">'
        "Strong match</span>" in html
    )
    assert 'title="score 0.1000" data-strength="weak">Weak match</span>' in html


def test_in_chinese_the_strength_is_in_chinese(strong_and_weak):
    client, programme = strong_and_weak
    html = client.get(
        reverse("curricula:programme-gaps", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    _label, _colon, courses = _suggested_text(html).partition("：")
    assert courses.split("；") == [
        "ST1 数据库（建议等级 R） 强匹配",
        "WK1 网页设计（建议等级 R） 弱匹配",
        "OLD 旧课程（建议等级 R） 得分 0.050",
    ]
    assert 'title="得分 0.9000"' in html
