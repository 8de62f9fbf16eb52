# ruff: noqa: RUF001, RUF002  (Chinese text takes full-width brackets)
"""The gap report's courses reaching a requirement, read in Chinese. Observed in the walkthrough
from an empty catalogue: under 部分覆盖, "SE202 信息安全 (R)" in ASCII brackets, beside the
suggested courses' "信息安全（建议等级 I）" in the catalogue's full-width ones."""

import re

import pytest
from django.urls import reverse

from curricula.coverage.services import coverage_recompute
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def partial(client):
    ability = AbilityFactory(code="SEC1", text="manage ICT security compliance")
    position = PositionFactory(name="ICT security administrator")
    RequirementFactory(position=position, ability=ability, min_level=level("M"))
    course = CourseFactory(code="SE202", title="Information security", title_zh="信息安全")
    CourseAbilityFactory(course=course, ability=ability, level=level("R"))
    programme = ProgrammeFactory(courses=[course], targets=[position])
    coverage_recompute(programme_ids=[programme.pk], force=True)
    return programme


def _contributors(html: str) -> list[str]:
    found = re.findall(
        r'<span class="contributor"><span class="code">(.*?)</span> (.*?)</span>', html
    )
    return [f"{code} {rest}" for code, rest in found]


def test_in_chinese_a_contributing_course_s_level_takes_full_width_brackets(client, partial):
    html = client.get(
        reverse("curricula:programme-gaps", args=[partial.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert _contributors(html) == ["SE202 信息安全（R）"]


def test_in_english_it_keeps_ascii_brackets(client, partial):
    html = client.get(reverse("curricula:programme-gaps", args=[partial.pk])).content.decode()
    assert _contributors(html) == ["SE202 Information security (R)"]


def test_the_printable_report_writes_them_as_the_gap_report_does(client, partial):
    """Observed after the gap report's fix: the printable report's gap lists still wrote "SE202
    信息安全 (R)" in Chinese."""
    url = reverse("curricula:programme-report", args=[partial.pk])
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert _contributors(chinese) == ["SE202 信息安全（R）"]
    assert _contributors(client.get(url).content.decode()) == ["SE202 Information security (R)"]
