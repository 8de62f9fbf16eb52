"""Observed (as a user): real 培养方案 write a course's term in forms the import refused: by year
and half (第一学年第二学期, 第1学年第2学期: year Y, half H is term (Y-1)*2+H), by year and upper
or lower half (大一上, 大一下, 一上, 二上, 1下), as 学期1, and in English (S1, Sem 1, Semester 1,
Term 1, 1st semester, 2nd term, Year 2 Semester 1), a term column's cells and the headers of
the columns of one term each alike. They are now read as that term; what names no term (秋季,
0, 21, the third half of a year) is refused as before, and a span is placed in its first."""

import pytest

from curricula.models import Course
from curricula.resources import read_term, term_of_header
from curricula.tests.plan_imports import (
    assert_placed_in_the_span_s_first_term,
    post_plan,
    post_term_cell,
    programme_entries,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cell", "term"),
    [
        ("第一学年第二学期", 2),
        ("第1学年第2学期", 2),
        ("第三学年第一学期", 5),
        ("第 4 学年 第 2 学期", 8),
        ("第十学年第二学期", 20),
        ("大一上", 1),
        ("大一下", 2),
        ("大二上学期", 3),
        ("一上", 1),
        ("一下", 2),
        ("二上", 3),
        ("四下", 8),
        ("1上", 1),
        ("3下", 6),
        ("学期1", 1),
        ("学期 6", 6),
        ("第1学期", 1),
        ("S1", 1),
        ("s4", 4),
        ("Sem 1", 1),
        ("sem. 7", 7),
        ("Semester 1", 1),
        ("SEMESTER 3", 3),
        ("Term 1", 1),
        ("term 6", 6),
        ("1st semester", 1),
        ("2nd term", 2),
        ("3rd Semester", 3),
        ("8th sem", 8),
        ("Year 2 Semester 1", 3),
        ("Y2S2", 4),
    ],
)
def test_a_term_cell_in_a_plan_s_other_forms_sets_the_course_s_term(
    staff_client, programme, cell, term
):
    response = post_term_cell(staff_client, programme, cell)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["warnings"] == []
    assert programme_entries(programme)[2:] == [("NEW1", term)]


@pytest.mark.parametrize(
    ("cell", "term"),
    [("大一上/大一下", 1), ("一下、二上", 2), ("S1-S2", 1), ("Semester 3 - Semester 4", 3)],
)
def test_a_span_in_the_other_forms_is_placed_in_its_first_term_and_warned_of(
    staff_client, programme, cell, term
):
    response = post_term_cell(staff_client, programme, cell)

    assert_placed_in_the_span_s_first_term(response, programme, term)


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("秋季", "is not one"),
        ("0", "A term is a number from 1 to 20"),
        ("21", "A term is a number from 1 to 20"),
        ("S0", "A term is a number from 1 to 20"),
        ("Semester 21", "A term is a number from 1 to 20"),
        ("第十一学年第一学期", "A term is a number from 1 to 20"),
        ("第0学年第1学期", "is not one"),
        ("第1学年第3学期", "is not one"),
        ("第一学年", "is not one"),
        ("大一", "is not one"),
        ("上", "is not one"),
        ("S", "is not one"),
        ("1st", "is not one"),
        ("Fall", "is not one"),
    ],
)
def test_a_cell_naming_no_term_is_still_refused_naming_its_value(
    staff_client, programme, cell, said
):
    response = post_term_cell(staff_client, programme, cell)

    assert response.status_code == 400, response.content
    [problem] = response.json()["errors"]
    assert problem["line"] == 2
    [message] = problem["errors"]["term"]
    assert f"“{cell}”" in message
    assert said in message
    assert not Course.objects.filter(code="NEW1").exists()


def test_the_parser_reads_the_year_and_half_forms_as_the_import_does():
    assert read_term("第二学年第一学期") == (3, False)
    assert read_term("大三下") == (6, False)
    assert read_term("2nd Semester") == (2, False)


@pytest.mark.parametrize(
    "headers",
    [
        ["第一学年第一学期", "第一学年第二学期", "第二学年第一学期", "第二学年第二学期"],
        ["第1学年第1学期", "第1学年第2学期", "第2学年第1学期", "第2学年第2学期"],
        ["1上", "1下", "2上", "2下"],
        ["大一上", "大一下", "大二上", "大二下"],
        ["学期1", "学期2", "学期3", "学期4"],
        ["S1", "S2", "S3", "S4"],
        ["1st semester", "2nd semester", "3rd semester", "4th semester"],
    ],
)
def test_per_term_columns_headed_in_the_other_forms_set_the_terms(staff_client, programme, headers):
    text = (
        f"code,title,{','.join(headers)}\n"
        "MECH202,Structural Mechanics,,,4,\n"
        "RC301,Concrete Structures,,,,3\n"
        "SURV201,Surveying,2,,,\n"
        "PHYS101,University Physics,,2,,\n"
    )

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ignored_columns"] == []
    assert body["warnings"] == []
    assert programme_entries(programme) == [
        ("MATH101", None),
        ("PHYS101", 2),
        ("MECH202", 3),
        ("RC301", 4),
        ("SURV201", 1),
    ]


@pytest.mark.parametrize("header", ["1", "三", "第一学年", "大一", "S1-S2", "学期", "Year 1"])
def test_a_header_naming_no_single_term_is_no_term_s_column(header):
    """A bare number or numeral heads hours or a count as often as a term (it names one only
    under the terms' heading of a two-row header); a year or a span is no one term."""
    assert term_of_header(header) is None


def test_the_refusal_of_a_cell_naming_no_term_names_the_forms_a_term_is_read_in(
    staff_client, programme
):
    """Observed: the message named only the oldest forms (3, 第3学期, 第三学期), as if a plan
    written by year and half or in English had to be rewritten as numbers."""
    text = "code,title,开课学期\nNEW1,First new course,秋季\n"

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 400, response.content
    [message] = response.json()["errors"][0]["errors"]["term"]
    for form in (
        "3",
        "第3学期",
        "第三学期",
        "第二学年第一学期",
        "大二上",
        "S3",
        "Semester 3",
        "3rd term",
    ):
        assert form in message
        # Each example is itself read as term 3, the message's own example.
        assert read_term(form) == (3, False)
    assert "from 1 to 20" in message
