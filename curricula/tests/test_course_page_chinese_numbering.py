# ruff: noqa: RUF001, RUF002  (Chinese syllabi number their outcomes with full-width punctuation)
"""A Chinese syllabus numbers its outcomes with Chinese numerals (一、 （一）) or parenthesised
digits (⑴, ⒈); the course page lists them without, as it lists "1、" and "①" without, and as
the suggestions' level reading already reads past them."""

import re

import pytest
from django.urls import reverse

from core.outcomes import outcome_items
from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "outcomes",
    [
        "一、理解税务筹划的基本原理\n二、能够设计企业税务筹划方案",
        "（一）理解税务筹划的基本原理\n（二）能够设计企业税务筹划方案",
        "(一) 理解税务筹划的基本原理\n(二) 能够设计企业税务筹划方案",
        "⑴ 理解税务筹划的基本原理\n⑵ 能够设计企业税务筹划方案",
        "⒈理解税务筹划的基本原理\n⒉能够设计企业税务筹划方案",
    ],
)
def test_outcomes_numbered_in_chinese_are_listed_without_their_numbers(client, outcomes):
    """Observed: a catalogue's 税务筹划 course, outcomes "一、理解税务筹划的基本原理" and
    "二、能够设计…", was listed on its page as written, numbers and all."""
    course = CourseFactory(outcomes=outcomes)
    html = client.get(reverse("courses:detail", args=[course.pk])).content.decode()
    assert re.findall(r"<li>([^<]+)</li>", html)[:2] == [
        "理解税务筹划的基本原理",
        "能够设计企业税务筹划方案",
    ]


def test_a_word_starting_with_a_chinese_numeral_keeps_it():
    """Only a numeral closed by 、 or a full stop, or in brackets, is a number."""
    lines = "一次性收入的税务处理\n十分位数的计算\n三维建模\n一.5 倍"
    assert outcome_items(lines) == ["一次性收入的税务处理", "十分位数的计算", "三维建模", "一.5 倍"]
