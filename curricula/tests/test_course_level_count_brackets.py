# ruff: noqa: RUF001, RUF002  (Chinese text takes full-width brackets)
"""A course page's abilities, grouped by level, each group headed with how many it holds.
Observed in the walkthrough in Chinese: "I 初步接触 (1)", ASCII brackets in a Chinese heading
where the rest of the site writes （1）."""

import re

import pytest

from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.tests.factories import AbilityFactory, level

pytestmark = pytest.mark.django_db


def _headings(html: str) -> list[str]:
    found = re.findall(r'<h3 id="level-[^"]*-heading">(.*?)</h3>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", h).split()) for h in found]


@pytest.fixture
def course():
    course = CourseFactory(code="SE201", title="Software testing", title_zh="软件测试")
    CourseAbilityFactory(course=course, ability=AbilityFactory(), level=level("I"))
    return course


def test_in_chinese_the_count_takes_full_width_brackets(client, course):
    html = client.get(course.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    (heading,) = _headings(html)
    assert heading.endswith("初步接触（1）"), heading


def test_in_english_as_before(client, course):
    (heading,) = _headings(client.get(course.get_absolute_url()).content.decode())
    assert heading.endswith("Introduced (1)"), heading
