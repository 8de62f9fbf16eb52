# ruff: noqa: RUF001, RUF002  (Chinese text takes full-width commas and stops)
"""Lists and sentences written by the pages in Chinese: the items of a list are separated by the
catalogue's separator (Chinese writes 、, not ", ") and a sentence the page ends after a list or
a label ends with the catalogue's full stop (。, not "."). Before, a programme in Chinese read
"面向职位：网页编辑与美工, PC端…" and a progression finding
"只入门，从未强化或掌握. 只有 CBE101, CBE104…".

The catalogue may not hold these messages yet: `chinese_stand_in` gives them a stand-in
translation (〈msgid〉) for the test, so the tests check that the pages ask the catalogue."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from curricula.coverage.services import coverage_recompute
from curricula.models import Course, Programme

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
SEPARATOR = ("list separator", ", ")
FULL_STOP = ("end of a sentence", ".")


@pytest.fixture
def stand_ins(chinese_stand_in):
    """The catalogue's separator and full stop (its translations, else the stand-ins)."""
    chinese_stand_in(*SEPARATOR)
    chinese_stand_in(*FULL_STOP)
    with translation.override("zh-hans"):
        separator, full_stop = translation.pgettext(*SEPARATOR), translation.pgettext(*FULL_STOP)
    assert (separator, full_stop) != (", ", ".")
    return separator, full_stop


@pytest.fixture
def programme(paper) -> Programme:
    coverage_recompute(force=True)
    # The paper's first programme: two target positions, four courses without a term, findings.
    return Programme.objects.order_by("order").first()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_a_programme_s_target_positions_are_separated_by_the_catalogue_s_separator(
    client, programme, stand_ins
):
    for name in ("curricula:programme-detail", "curricula:programme-report"):
        text = _text(client.get(reverse(name, args=[programme.pk]), **ZH).text)
        prepares = text[text.index("面向职位") :][:400]
        assert f"{stand_ins[0]}PC端与移动端网页设计师" in prepares, name
        assert "）, PC端" not in prepares, name


def test_the_progression_s_unscheduled_courses_and_finding_titles_read_as_chinese(
    client, programme, stand_ins
):
    sep, stop = stand_ins
    text = _text(client.get(reverse("curricula:programme-detail", args=[programme.pk]), **ZH).text)
    assert f"CBE101{sep}CBE102{sep}CBE103{sep}CBE104{stop}" in text
    assert "CBE101, CBE102" not in text
    # A finding's title, then its reason listing the courses.
    assert f"只入门，从未强化或掌握{stop}" in text
    assert "只入门，从未强化或掌握." not in text
    assert f"只有 CBE101{sep}CBE104 培养该能力" in text


def test_in_english_lists_and_sentences_read_as_before(client, programme):
    text = _text(client.get(reverse("curricula:programme-detail", args=[programme.pk])).text)
    assert "CBE101, CBE102, CBE103, CBE104." in text
    assert "Introduced, never reinforced or mastered. Only CBE101, CBE104" in text


def test_search_lists_the_programmes_teaching_a_course_with_the_catalogue_s_separator(
    client, programme, stand_ins, chinese_stand_in
):
    course = Course.objects.get(code="CBE111")  # taught in two programmes
    assert course.programmes.count() == 2
    chinese_stand_in(None, "taught in")
    with translation.override("zh-hans"):
        label = translation.gettext("taught in")
    text = _text(client.get(reverse("search"), {"q": "CBE111"}, **ZH).text)
    taught = text[text.index(label) :][:200]
    assert stand_ins[0] in taught
    assert "运营推广, " not in taught
