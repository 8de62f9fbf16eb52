"""Observed (as a user), on term cells a plan writes with a hyphen:

- 1-2 is the first year's second term in a Chinese plan (1-1, 1-2, 2-1 …) and terms 1 to 2 in
  an English sheet. A term column holding only 1-2 (beside blanks) was always read as a span,
  whatever the column's heading. The column now decides by what its other cells write (a year
  and its term: 2-1, 大二上; or a term: 3, 3-4), the most of them; where they do not settle it,
  by its heading (开课学期, Chinese: year and term; term, English: a span), and each 1-2 so read
  is warned of at its line, saying how to write the other reading.
- 2-1~2-2 (year 2 term 1 to year 2 term 2: terms 3 to 4) was read as a span from term 2: the
  cell was split at every hyphen. It is now the span of its two pairs, in every form of span
  the import reads (~ and its full-width form, 至, 到).
- 第-1学期 heading a column was read as term 1 while the same text in a term cell was refused;
  学期-1 is read in both. A hyphen between a term's word (第, 学期, Term) and its number is part
  of the term, in a header and a cell alike.
"""

import pytest

from curricula.resources import read_term, term_of_header, term_pair_rule
from curricula.tests.plan_imports import (
    assert_placed_in_the_span_s_first_term,
    post_plan,
    post_term_cell,
    programme_entries,
)

pytestmark = pytest.mark.django_db


def _import(client, programme, heading: str, cells: list[str]):
    lines = [f"NEW{n},New course {n},{cell}" for n, cell in enumerate(cells, start=1)]
    text = "\n".join([f"code,title,{heading}", *lines]) + "\n"
    return post_plan(client, text, programme=programme.pk)


def _warnings(response) -> list[tuple[int, str]]:
    return [(w["line"], w["message"]) for w in response.json()["warnings"]]


# --- 1-2 in a column whose other cells do not settle it ------------------------------------


def test_a_chinese_headed_column_of_only_1_2_reads_it_as_year_one_term_two_and_warns(
    staff_client, programme
):
    response = _import(staff_client, programme, "开课学期", ["1-2", "", "1-2"])

    assert response.status_code == 200, response.content
    assert programme_entries(programme)[2:] == [("NEW1", 2), ("NEW2", None), ("NEW3", 2)]
    warnings = _warnings(response)
    assert [line for line, _ in warnings] == [2, 4]
    for _line, message in warnings:
        assert message.startswith("“1-2” is read as year 1, term 2 (term 2)"), message
        assert "heading, “开课学期”, is Chinese" in message
        assert "for terms 1 to 2, write 1~2" in message


@pytest.mark.parametrize("heading", ["term", "Semester"])
def test_an_english_headed_column_of_only_1_2_reads_it_as_terms_one_to_two_and_warns(
    staff_client, programme, heading
):
    response = _import(staff_client, programme, heading, ["1-2", "1-2"])

    assert response.status_code == 200, response.content
    assert programme_entries(programme)[2:] == [("NEW1", 1), ("NEW2", 1)]
    warnings = _warnings(response)
    assert [line for line, _ in warnings] == [2, 3]
    for _line, message in warnings:
        assert message.startswith("“1-2” is read as terms 1 to 2"), message
        assert "is not Chinese" in message
        assert "placed in the first, term 1" in message
        assert "for year 1, term 2, write Y1S2" in message


# --- 1-2 where the column's other cells say which ------------------------------------------


def test_the_most_of_the_other_cells_decide_and_1_2_is_warned_of_where_they_disagree(
    staff_client, programme
):
    """Two pairs (2-1, 大二下) against one term (5): 1-2 is a pair, warned of."""
    response = _import(staff_client, programme, "term", ["2-1", "1-2", "大二下", "5"])

    assert response.status_code == 200, response.content
    assert programme_entries(programme)[2:] == [
        ("NEW1", 3),
        ("NEW2", 2),
        ("NEW3", 4),
        ("NEW4", 5),
    ]
    [(line, message)] = _warnings(response)
    assert line == 3
    assert "most of the column's other cells write a year and its term" in message


def test_terms_outnumbering_pairs_read_1_2_as_a_span_in_a_chinese_column(staff_client, programme):
    response = _import(staff_client, programme, "开课学期", ["3", "1-2", "第5学期", "2-1"])

    assert response.status_code == 200, response.content
    assert programme_entries(programme)[2:] == [
        ("NEW1", 3),
        ("NEW2", 1),
        ("NEW3", 5),
        ("NEW4", 3),
    ]
    [(line, message)] = _warnings(response)
    assert line == 3
    assert message.startswith("“1-2” is read as terms 1 to 2")
    assert "most of the column's other cells write a term" in message


def test_a_column_all_of_pairs_reads_1_2_as_one_without_a_word(staff_client, programme):
    response = _import(staff_client, programme, "term", ["1-1", "1-2", "2-1"])

    assert response.status_code == 200, response.content
    assert response.json()["warnings"] == []
    assert programme_entries(programme)[2:] == [("NEW1", 1), ("NEW2", 2), ("NEW3", 3)]


def test_the_import_form_s_help_says_how_1_2_is_read(admin_client):
    response = admin_client.get("/admin/curricula/course/import/")

    help_text = str(response.context["form"].fields["programme"].help_text)
    assert term_pair_rule() in help_text
    assert "1-2" in term_pair_rule()


# --- a span of two year-term pairs --------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    ["2-1~2-2", "2-1～2-2", "2-1至2-2", "2-1到2-2", "2-1 ~ 2-2", "2-1〜2-2"],  # noqa: RUF001
)
def test_a_span_of_two_year_term_pairs_is_placed_in_its_first_term(staff_client, programme, cell):
    response = post_term_cell(staff_client, programme, cell)

    assert_placed_in_the_span_s_first_term(response, programme, 3)
    assert read_term(cell) == (3, True)


@pytest.mark.parametrize(("cell", "term"), [("1-2~2-1", 2), ("1-1至1-2", 1), ("3-2~4-1", 6)])
def test_each_side_of_such_a_span_is_a_year_and_its_term(cell, term):
    assert read_term(cell) == (term, True)


def test_such_a_span_past_the_last_term_is_refused():
    with pytest.raises(ValueError, match="A term is a number from 1 to 20"):
        read_term("10-2~11-1")


# --- 第-1学期: headers and cells alike ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "term"),
    [("第-1学期", 1), ("第\uff0d3学期", 3), ("第 - 2 学期", 2), ("第-三学期", 3), ("学期-1", 1)],
)
def test_a_hyphen_after_di_is_read_alike_in_a_header_and_a_cell(
    staff_client, programme, written, term
):
    assert term_of_header(written) == term
    assert read_term(written) == (term, False)

    response = post_term_cell(staff_client, programme, written)

    assert response.status_code == 200, response.content
    assert response.json()["warnings"] == []
    assert programme_entries(programme)[2:] == [("NEW1", term)]


@pytest.mark.parametrize("written", ["第1-2学期", "第1学期-第2学期"])
def test_a_span_written_with_di_is_still_a_span(written):
    assert read_term(written) == (1, True)
    assert term_of_header(written) is None
