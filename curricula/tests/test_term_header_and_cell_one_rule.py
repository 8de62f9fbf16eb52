"""Observed: term_of_header turned every hyphen and underscore of a header into a space, so a
column headed 第1-学期 was read as term 1's while a cell holding 第1-学期 was refused; and a cell
written Y2-S1 (year 2, term 1) was counted as a plain term, not a year and its term, when its
column's cells were weighed for reading 1-2. A header and a cell now read a term by one rule
(the hyphens that join a term's words: Term-3, 学期-1, 第-1学期, Y2-S1), and Y2-S1 counts as a
year and its term."""

import pytest

from curricula.resources import read_term, term_cell_kind, term_of_header
from curricula.tests.plan_imports import post_plan, programme_entries

pytestmark = pytest.mark.django_db


def _cell_term(text: str) -> int | None:
    try:
        term, span = read_term(text)
    except ValueError:
        return None
    return None if span else term


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("第1-学期", None),
        ("第1_学期", None),
        ("第-1学期", 1),
        ("学期-1", 1),
        ("Term-3", 3),
        ("Sem_3", 3),
        ("Semester - 3", 3),
        ("S-2", 2),
        ("Y2-S1", 3),
        ("Y2_S1", 3),
        ("Year-2 Semester-1", 3),
        ("第3学期", 3),
    ],
)
def test_a_header_names_the_term_a_cell_of_the_same_text_is_read_as(text, term):
    assert term_of_header(text) == term
    assert _cell_term(text) == term


@pytest.mark.parametrize("cell", ["Y2-S1", "Y2_S1", "y2 - s1", "Y2S1", "Year-2 Semester-1"])
def test_a_year_and_its_term_joined_by_a_hyphen_is_weighed_as_a_pair(cell):
    assert term_cell_kind(cell) == "pair"


def test_a_column_writing_y2_s1_reads_its_1_2_as_the_first_year_s_second_term(
    staff_client, programme
):
    content = "code,title,term\nNEW1,New course 1,1-2\nNEW2,New course 2,Y2-S1\n"

    response = post_plan(staff_client, content, programme=programme.pk)

    assert response.status_code == 200, response.content
    assert response.json()["warnings"] == []
    assert programme_entries(programme)[2:] == [("NEW1", 2), ("NEW2", 3)]
