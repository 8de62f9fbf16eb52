"""Observed: a term cell writing a span of two year-term pairs with a spaced hyphen between them
(2-1 - 2-2), or an en dash, an em dash or "to", was split at each hyphen (read from term 2, or
refused), where 2-1~2-2 reads as terms 3 to 4. Each is now read as 2-1~2-2 is, in every door
into a programme (the API, the admin's preview and confirm, import_courses --programme), and
weighs as a pair in its column's reading of 1-2 (one_two_reading). A span of plain terms
written with a spaced hyphen (1 - 2) is still terms 1 to 2."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from curricula.resources import read_term, term_cell_kind
from curricula.tests.plan_imports import (
    assert_placed_in_the_span_s_first_term,
    post_plan,
    post_term_cell,
    programme_entries,
)

pytestmark = pytest.mark.django_db

SPANS = ["2-1 - 2-2", "2-1 – 2-2", "2-1 — 2-2", "2-1 to 2-2", "2-1 ‒ 2-2", "2-1  -  2-2"]  # noqa: RUF001


@pytest.mark.parametrize("cell", SPANS)
def test_a_dashed_span_of_two_year_term_pairs_is_read_as_2_1_tilde_2_2(cell):
    assert read_term(cell) == read_term("2-1~2-2") == (3, True)
    assert read_term(cell, year_terms=True) == (3, True)
    assert term_cell_kind(cell) == "pair"


@pytest.mark.parametrize(("cell", "term"), [("1-2 - 2-1", 2), ("1-1 – 1-2", 1), ("3-2 to 4-1", 6)])  # noqa: RUF001
def test_each_side_of_a_dashed_span_is_a_year_and_its_term(cell, term):
    assert read_term(cell) == (term, True)


def test_a_dashed_span_past_the_last_term_is_refused():
    with pytest.raises(ValueError, match="A term is a number from 1 to 20"):
        read_term("10-2 - 11-1")


@pytest.mark.parametrize("cell", ["1 - 2", "1 – 2", "3 - 4"])  # noqa: RUF001
def test_a_spaced_hyphen_between_plain_terms_is_still_a_span_of_terms(cell):
    first = int(cell[0])
    assert read_term(cell) == (first, True)


def test_in_a_column_of_terms_1_dash_2_spaced_is_still_terms_1_to_2(staff_client, programme):
    response = post_plan(
        staff_client,
        "code,title,term\nNEW1,One,1 - 2\nNEW2,Two,3\nNEW3,Three,5\n",
        programme=programme.pk,
    )

    assert response.status_code == 200, response.content
    assert programme_entries(programme)[2:] == [("NEW1", 1), ("NEW2", 3), ("NEW3", 5)]


def test_dashed_spans_weigh_as_pairs_in_the_column_s_reading_of_1_2(staff_client, programme):
    """Two dashed pair spans against one term: the column writes pairs, so 1-2 is year 1,
    term 2 (term 2), as it is beside 2-1~2-2."""
    response = post_plan(
        staff_client,
        "code,title,term\nNEW1,One,1-2\nNEW2,Two,2-1 - 2-2\nNEW3,Three,3-1 to 3-2\nNEW4,Four,5\n",
        programme=programme.pk,
    )

    assert response.status_code == 200, response.content
    assert programme_entries(programme)[2:] == [
        ("NEW1", 2),
        ("NEW2", 3),
        ("NEW3", 5),
        ("NEW4", 5),
    ]
    warnings = [(w["line"], w["message"]) for w in response.json()["warnings"]]
    assert any(
        line == 2 and "most of the column's other cells write a year and its term" in message
        for line, message in warnings
    ), warnings


# --- every door --------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", SPANS)
def test_the_api_places_the_course_in_the_span_s_first_term(staff_client, programme, cell):
    response = post_term_cell(staff_client, programme, cell)

    assert_placed_in_the_span_s_first_term(response, programme, 3)


def test_the_admin_previews_and_confirms_it(admin_client, programme):
    upload = SimpleUploadedFile(
        "plan.csv",
        "code,title,开课学期\nNEW1,One,2-1 – 2-2\n".encode(),  # noqa: RUF001
        content_type="text/csv",
    )
    preview = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": upload, "programme": programme.pk},
    )

    assert preview.context["confirm_form"] is not None, preview.content.decode()[:3000]
    confirm = admin_client.post(
        reverse("admin:curricula_course_process_import"), preview.context["confirm_form"].initial
    )
    assert confirm.status_code == 302
    assert programme_entries(programme)[2:] == [("NEW1", 3)]


def test_the_command_reads_it(programme, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("code,title,开课学期\nNEW1,One,2-1 to 2-2\n", encoding="utf-8")

    call_command(
        "import_courses",
        str(path),
        "--programme",
        str(programme.pk),
        stdout=StringIO(),
        stderr=StringIO(),
    )

    assert programme_entries(programme)[2:] == [("NEW1", 3)]
