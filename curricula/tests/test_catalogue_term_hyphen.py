"""Observed (as a user): a term cell written with a hyphen between the English word and its
number (Term-1, Sem-1, S-1, Semester-2) was split at the hyphen as a span of two terms and
refused (“Term” names none), while the same text heading a term's column was read as that
term. The hyphen (or an underscore) after the word is now part of the term, as in a header;
a span between two terms (1-2, S1-S2, Term-1 - Term-2) is still placed in its first and
warned of."""

import pytest

from curricula.models import Course
from curricula.resources import read_term, term_of_header
from curricula.tests.plan_imports import (
    assert_placed_in_the_span_s_first_term,
    post_term_cell,
    programme_entries,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("cell", "term"),
    [
        ("Term-1", 1),
        ("Sem-1", 1),
        ("S-1", 1),
        ("Semester-2", 2),
        ("sem.-3", 3),
        ("TERM - 4", 4),
        ("Term_2", 2),
        ("S\u20103", 3),  # the hyphen U+2010, as a word processor writes it
        ("Y2-S1", 3),
        ("Year-2-Semester-1", 3),
    ],
)
def test_a_hyphen_between_the_word_and_its_number_is_part_of_the_term(
    staff_client, programme, cell, term
):
    response = post_term_cell(staff_client, programme, cell)

    assert response.status_code == 200, response.content
    assert response.json()["warnings"] == []
    assert programme_entries(programme)[2:] == [("NEW1", term)]


@pytest.mark.parametrize(
    ("cell", "term"),
    [
        # 1-2 alone under 开课学期 is the first year's second term (test_import_term_readings).
        ("3-4", 3),
        ("S1-S2", 1),
        ("Semester 3 - Semester 4", 3),
        ("Term-1 - Term-2", 1),
        ("Sem-5-Sem-6", 5),
        ("S-1/S-2", 1),
        ("3rd semester-4th semester", 3),
        ("Semester-7-8", 7),
    ],
)
def test_a_span_of_such_terms_is_still_placed_in_its_first_and_warned_of(
    staff_client, programme, cell, term
):
    response = post_term_cell(staff_client, programme, cell)

    assert_placed_in_the_span_s_first_term(response, programme, term)


@pytest.mark.parametrize(
    ("cell", "said"),
    [
        ("Term-", "is not one"),
        ("Term-Fall", "is not one"),
        ("S-0", "A term is a number from 1 to 20"),
        ("Semester-21", "A term is a number from 1 to 20"),
    ],
)
def test_a_hyphenated_cell_naming_no_term_is_still_refused(staff_client, programme, cell, said):
    response = post_term_cell(staff_client, programme, cell)

    assert response.status_code == 400, response.content
    [problem] = response.json()["errors"]
    [message] = problem["errors"]["term"]
    assert f"“{cell}”" in message
    assert said in message
    assert not Course.objects.filter(code="NEW1").exists()


@pytest.mark.parametrize("written", ["Term-1", "Sem-3", "S-4", "Semester-2", "Term_6", "Y2-S1"])
def test_a_cell_reads_a_hyphenated_term_as_the_same_text_heading_a_column_does(written):
    assert read_term(written) == (term_of_header(written), False)
