"""Observed (as a user): a catalogue imported into a programme whose columns map each course to
the abilities it builds by code, knowledge K1, K2, skills S1, S2, attitudes A1 (an outcome-based
plan's 知识、能力、素质 matrix, marked H, M, L), had its S1 and S2 read as the columns of terms 1
and 2: each course marked under S1 was placed in term 1, with no word but a warning where it was
marked under both. S1 names a term (Semester 1) where it heads a column alone among the
catalogue's own; beside other codes of the same shape naming no term (K1, A1, LO1, CO1, Q1) it is
one code of them, and the columns are left out and named as any unread column is."""

import pytest

from curricula.resources import term_of_header
from curricula.tests.plan_imports import post_plan, programme_entries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "codes",
    [
        ["K1", "K2", "S1", "S2", "A1"],
        ["LO1", "LO2", "S1", "S2"],
        ["S1", "S2", "S3", "Q1", "Q2"],
        ["CO-1", "CO-2", "S-1", "S-2"],
    ],
)
def test_s_codes_beside_other_codes_are_no_term_s_columns(staff_client, programme, codes):
    marks = ["H", "M", "L", "H", "M"][: len(codes)]
    text = (
        f"code,title,{','.join(codes)}\n"
        f"NEW1,First new course,{','.join(marks)}\n"
        f"NEW2,Second new course,{','.join(reversed(marks))}\n"
    )

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["warnings"] == []
    assert body["ignored_columns"] == codes
    assert programme_entries(programme)[2:] == [("NEW1", None), ("NEW2", None)]


def test_s_codes_alone_still_head_the_terms_columns(staff_client, programme):
    """S1 … S4 beside the catalogue's own columns (code, title, credits) are its terms."""
    text = "code,title,credits,S1,S2,S3,S4\nNEW1,First new course,3,,,4,\n"

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 200, response.content
    assert response.json()["ignored_columns"] == []
    assert programme_entries(programme)[2:] == [("NEW1", 3)]


def test_a_term_s_own_word_is_a_term_s_column_beside_codes(staff_client, programme):
    """Sem 1, Semester 1, 第1学期 name a term whatever codes stand beside them."""
    text = "code,title,K1,Sem 1,Sem 2\nNEW1,First new course,H,,2\n"

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 200, response.content
    assert response.json()["ignored_columns"] == ["K1"]
    assert programme_entries(programme)[2:] == [("NEW1", 2)]


@pytest.mark.parametrize("header", ["Q1", "T1", "LO1", "P1", "CO1", "K1", "A1", "GA1"])
def test_other_codes_name_no_term(header):
    assert term_of_header(header) is None
