"""Observed (as a user), on the term forms Chinese timetables write with a hyphen:

- 学期-1 (or with a full-width hyphen, U+FF0D) heading a column was read as term 1, but the same
  text in a term cell was split at the hyphen and refused.
- A plan giving each course's year and term as 1-1, 1-2, 2-1, 2-2 (第一学年第一学期 …) had them
  read as spans of terms: 2-1 placed in term 2 instead of 3, 2-2 in term 2 instead of 4, each
  warned of as a span. A pair whose second number is a half (1 or 2) no larger than the first
  cannot be a span (a span goes up), so it is read as year and half; 1-2, which can be either,
  is read as year and half only in a column that writes the others so, and as a span elsewhere.
- The term an educational administration system exports (2023-2024-1: the academic year and
  its term) was refused as naming no term, with no word on why: it names a calendar year, not
  the programme's term, so it is still refused, but saying so and what to write instead.

And the forms the refusal and the import form's help list are one table, each read as term 3.
"""

import pytest

from curricula.models import Course
from curricula.resources import TERM_FORMS, read_term, term_of_header
from curricula.tests.plan_imports import post_plan, programme_entries

pytestmark = pytest.mark.django_db


def _import(client, programme, cells: list[str], *, extra: str = ""):
    header = "code,title,开课学期" + (",备注" if extra else "")
    lines = [
        f"NEW{number},New course {number},{cell}" + (f",{extra}" if extra else "")
        for number, cell in enumerate(cells, start=1)
    ]
    return post_plan(client, "\n".join([header, *lines]) + "\n", programme=programme.pk)


@pytest.mark.parametrize(
    ("cell", "term"), [("学期-1", 1), ("学期\uff0d1", 1), ("学期 - 2", 2), ("学期\uff0d三", 3)]
)
def test_a_hyphen_between_xueqi_and_its_number_is_part_of_the_term(
    staff_client, programme, cell, term
):
    response = _import(staff_client, programme, [cell])

    assert response.status_code == 200, response.content
    assert response.json()["warnings"] == []
    assert programme_entries(programme)[2:] == [("NEW1", term)]
    assert read_term(cell) == (term_of_header(cell), False)


def test_a_column_of_year_and_term_pairs_sets_each_course_s_term(staff_client, programme):
    response = _import(staff_client, programme, ["1-1", "1-2", "2-1", "2-2", "4\uff0d2", "3 - 1"])

    assert response.status_code == 200, response.content
    assert response.json()["warnings"] == []
    assert programme_entries(programme)[2:] == [
        ("NEW1", 1),
        ("NEW2", 2),
        ("NEW3", 3),
        ("NEW4", 4),
        ("NEW5", 8),
        ("NEW6", 5),
    ]


@pytest.mark.parametrize(("cell", "term"), [("2-1", 3), ("2-2", 4), ("1-1", 1), ("3-2", 6)])
def test_a_pair_that_cannot_be_a_span_is_read_as_year_and_term_alone(cell, term):
    assert read_term(cell) == (term, False)


def test_one_two_is_still_a_span_where_the_column_writes_no_year_and_term_pair(
    staff_client, programme
):
    """2-1 in another column (a note, a code) says nothing of how the term column is written."""
    response = _import(staff_client, programme, ["1-2", "3"], extra="2-1")

    assert response.status_code == 200, response.content
    [warning] = response.json()["warnings"]
    assert (warning["line"], warning["column"]) == (2, "term")
    assert "term 1" in warning["message"]
    assert programme_entries(programme)[2:] == [("NEW1", 1), ("NEW2", 3)]


def test_a_year_and_term_pair_past_the_last_term_is_refused(staff_client, programme):
    """11-1, the eleventh year's first term, would be term 21."""
    response = _import(staff_client, programme, ["11-1"])

    assert response.status_code == 400, response.content
    [problem] = response.json()["errors"]
    [message] = problem["errors"]["term"]
    assert "A term is a number from 1 to 20, not “11-1”" in message


def test_a_year_and_term_pair_heads_no_term_s_column():
    """A catalogue's header 1-2 (a span, a range of anything) names no one term."""
    assert term_of_header("1-2") is None
    assert term_of_header("2-1") is None


@pytest.mark.parametrize(
    "cell",
    [
        "2023-2024-1",
        "2023-2024-2",
        "2023\u20142024学年第1学期",  # an em dash between the years
        "2023-2024学年第二学期",
        "2023-24-1",
    ],
)
def test_an_academic_year_s_term_is_refused_saying_why_and_what_to_write(
    staff_client, programme, cell
):
    response = _import(staff_client, programme, [cell])

    assert response.status_code == 400, response.content
    [problem] = response.json()["errors"]
    assert problem["line"] == 2
    [message] = problem["errors"]["term"]
    assert f"“{cell}”" in message
    assert "academic year" in message
    assert "第二学年第一学期" in message
    assert not Course.objects.filter(code="NEW1").exists()


def test_every_form_the_refusal_lists_is_read_as_term_three(staff_client, programme):
    response = _import(staff_client, programme, ["秋季"])

    assert response.status_code == 400, response.content
    [message] = response.json()["errors"][0]["errors"]["term"]
    for form in TERM_FORMS:
        assert form in message
        assert read_term(form) == (3, False), form
    for form in ("学期-3", "2-1", "Term-3", "Y2S1"):
        assert form in TERM_FORMS


def test_every_form_the_import_form_s_help_lists_is_read_as_a_term(admin_client):
    response = admin_client.get("/admin/curricula/course/import/")

    assert response.status_code == 200
    help_text = str(response.context["form"].fields["programme"].help_text)
    for form in TERM_FORMS:
        assert form in help_text
    assert "2023-2024-1" in help_text
