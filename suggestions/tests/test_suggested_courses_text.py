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
from curricula.tests.factories import ProgrammeFactory
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
    RequirementFactory(position=position, ability=abilities["DB"], min_level=level("M"))
    programme.targets.create(position=position)
    coverage_recompute(programme_ids=[programme.pk], force=True)
    client.force_login(staff_user)
    first = Suggestion.objects.get(course=course, ability=abilities["DB"]).proposed_level.code
    return client, programme, first


def _suggested_text(html: str) -> str:
    """The suggested courses as a text browser reads them: tags dropped, spaces folded."""
    match = re.search(
        r'<span class="suggested-courses small">(.*?) <a href="[^"]*\?required=1"', html, re.S
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
    assert sorted(courses.split("; ")) == [
        f"DB1 Databases (proposed level {first})",
        "DB2 Data modelling (proposed level R)",
    ]
    html = client.get(
        reverse("curricula:programme-gaps", args=[programme.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    label, _colon, courses = _suggested_text(html).partition("：")
    assert sorted(courses.split("；")) == [
        f"DB1 数据库（建议等级 {first}）",
        "DB2 数据建模（建议等级 R）",
    ]
