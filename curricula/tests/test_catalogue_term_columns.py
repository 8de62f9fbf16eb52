"""Observed (as a user): many a 培养方案 gives no term column (开课学期) but spreads each course's
weekly hours over one column per term (各学期周学时分配: 第1学期 … 第8学期, or Semester 1 …
Semester 8), a course's hours, or a mark (✓, ●), in the column of each term it is taught in and
the others blank. Imported into a programme, those columns were left out, named as ignored, and
no term was set. They now set it: a course's term is the first term whose column has a value (0
and a dash are no hours: blank), two or more a span placed in the first and warned of, naming
the columns; a term column, where the file has one too, is read instead of them."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from curricula.models import Course
from curricula.services import course_catalogue_import
from curricula.tests.plan_imports import post_plan, programme_entries, xlsx_bytes

pytestmark = pytest.mark.django_db


# Hours a week in the column of each term a course is taught in; PHYS101's row gives none (its
# term, 5, stays); SURV201 is taught over terms 1 and 2.
HOURS = (
    "课程代码,课程名称,学分,第1学期,第2学期,第3学期,第4学期\n"
    "MECH202,结构力学,3,,,4,\n"
    "PHYS101,大学物理,4,,,,\n"
    "RC301,混凝土结构设计,3,,,,3\n"
    "SURV201,工程测量,2,2,2,,\n"
)

PLACED = [
    ("MATH101", None),
    ("PHYS101", 5),
    ("MECH202", 3),
    ("RC301", 4),
    ("SURV201", 1),
]


def test_an_import_into_a_programme_reads_a_term_from_the_per_term_hours_columns(
    staff_client, programme
):
    response = post_plan(staff_client, HOURS, programme=programme.pk)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["programme_added"], body["programme_already"], body["programme_terms_set"]) == (
        3,
        1,
        3,
    )
    assert programme_entries(programme) == PLACED
    # The per-term columns are read, not named as left out.
    assert body["ignored_columns"] == []
    # SURV201's hours in two terms: placed in the first, said at its line, naming the columns.
    [warning] = body["warnings"]
    assert (warning["line"], warning["column"]) == (5, "term")
    assert "“第1学期”" in warning["message"]
    assert "“第2学期”" in warning["message"]
    assert "term 1" in warning["message"]


@pytest.mark.parametrize(
    "headers",
    [
        ["第一学期", "第二学期", "第三学期", "第四学期"],
        ["Semester 1", "Semester 2", "Semester 3", "Semester 4"],
        ["term 1", "TERM 2", "Term-3", "Term4"],
        ["Sem 1", "sem 2", "Sem. 3", "SEM 4"],
        ["ｓｅｍｅｓｔｅｒ　１", "第 2 学期", "第３学期", "第四学期"],  # noqa: RUF001 (full width)
    ],
)
def test_per_term_columns_are_read_under_chinese_and_english_headers(
    staff_client, programme, headers
):
    text = (
        f"code,title,{','.join(headers)}\n"
        "MECH202,Structural Mechanics,,,✓,\n"
        "RC301,Concrete Structures,,,,●\n"
        "SURV201,Surveying,*,,,\n"
        "PHYS101,University Physics,,√,,\n"
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


def test_a_workbook_s_hours_set_the_terms_and_its_zeros_and_dashes_are_no_hours(programme):
    content = xlsx_bytes(
        [
            ["课程代码", "课程名称", "第1学期", "第2学期", "第3学期", "第4学期"],
            ["MECH202", "结构力学", 0, 0, 4, 0],
            ["RC301", "混凝土结构设计", "-", "—", None, 3.5],
            ["SURV201", "工程测量", 2, "0", "", None],
            ["PHYS101", "大学物理", 0, "-", None, ""],
        ]
    )

    report = course_catalogue_import(content=content, file_name="方案.xlsx", programme=programme)

    assert report.ok, report.problems
    assert report.ignored_columns == []
    assert report.warnings == []
    assert (report.programme_added, report.programme_terms_set) == (3, 3)
    # PHYS101's cells are all zeros and dashes: its term, 5, is left as it is.
    assert programme_entries(programme) == [
        ("MATH101", None),
        ("PHYS101", 5),
        ("MECH202", 3),
        ("RC301", 4),
        ("SURV201", 1),
    ]


def test_a_dry_run_says_what_the_per_term_columns_would_set_and_writes_nothing(
    staff_client, programme
):
    response = post_plan(staff_client, HOURS, programme=programme.pk, dry_run="true")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True
    assert (body["programme_added"], body["programme_terms_set"]) == (3, 3)
    assert [w["line"] for w in body["warnings"]] == [5]
    assert not Course.objects.filter(code="MECH202").exists()
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]


def test_without_a_programme_the_per_term_columns_are_left_out_and_named_as_before(
    staff_client, programme
):
    response = post_plan(staff_client, HOURS)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ignored_columns"] == ["第1学期", "第2学期", "第3学期", "第4学期"]
    assert body["warnings"] == []
    assert body["programme_terms_set"] == 0
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]


def test_a_term_column_beside_per_term_columns_is_read_and_they_are_named_as_left_out(
    staff_client, programme
):
    text = (
        "code,title,开课学期,Semester 1,Semester 2\n"
        "MECH202,Structural Mechanics,3,,4\n"
        "SURV201,Surveying,2,4,4\n"
    )

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ignored_columns"] == ["Semester 1", "Semester 2"]
    assert body["warnings"] == []
    assert programme_entries(programme)[2:] == [("MECH202", 3), ("SURV201", 2)]


def test_a_single_per_term_column_is_not_read_as_the_terms(staff_client, programme):
    """One column named for a term is too little to say a table spreads its terms over columns
    (a catalogue's "Semester 1" may hold anything): left out and named, as before."""
    response = post_plan(
        staff_client,
        "code,title,Semester 1\nMECH202,Structural Mechanics,4\n",
        programme=programme.pk,
    )

    assert response.status_code == 200, response.content
    assert response.json()["ignored_columns"] == ["Semester 1"]
    assert programme_entries(programme)[2:] == [("MECH202", None)]


def test_a_term_s_column_given_twice_is_refused_as_any_column_named_twice(staff_client, programme):
    text = "code,title,第1学期,第2学期,Semester 1\nMECH202,Structural Mechanics,4,,\n"

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 400, response.content
    [message] = response.json()["file"]
    assert "“第1学期” (column 3)" in message
    assert "“Semester 1” (column 5)" in message
    # Only what the file writes: not the import's own key for the term's column (term_1).
    assert "term_" not in message
    assert not Course.objects.filter(code="MECH202").exists()


def test_a_per_term_cell_that_cannot_be_stored_is_refused_on_the_term_at_its_line(
    staff_client, programme
):
    text = "code,title,第1学期,第2学期\nMECH202,Structural Mechanics,4\x00,\n"

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 400, response.content
    [problem] = response.json()["errors"]
    assert problem["line"] == 2
    assert list(problem["errors"]) == ["term"]


def test_the_command_prints_the_span_warning(tmp_path, programme):
    path = tmp_path / "plan.csv"
    path.write_text(HOURS, encoding="utf-8")
    out, err = StringIO(), StringIO()

    call_command(
        "import_courses", str(path), "--programme", str(programme.pk), stdout=out, stderr=err
    )

    assert programme_entries(programme) == PLACED
    assert "line 5: term: " in err.getvalue()
    assert "“第1学期”" in err.getvalue()


def test_the_command_s_json_gives_the_span_warning(tmp_path, programme):
    path = tmp_path / "plan.csv"
    path.write_text(HOURS, encoding="utf-8")
    out = StringIO()

    call_command(
        "import_courses", str(path), "--programme", str(programme.pk), "--json", stdout=out
    )

    answer = json.loads(out.getvalue())
    assert [(w["line"], w["column"]) for w in answer["warnings"]] == [(5, "term")]
    assert answer["programme_terms_set"] == 3


def test_the_admin_preview_says_the_span_and_its_confirm_sets_the_terms(admin_client, programme):
    upload = SimpleUploadedFile("plan.csv", HOURS.encode(), content_type="text/csv")
    preview = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": upload, "programme": programme.pk},
    )

    assert preview.context["confirm_form"] is not None, preview.content.decode()[:3000]
    page = " ".join(preview.content.decode().split())
    assert "“第1学期”" in page
    assert "“第2学期”" in page
    assert preview.context["result"].ignored_columns == []
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]
    confirm = admin_client.post(
        reverse("admin:curricula_course_process_import"), preview.context["confirm_form"].initial
    )
    assert confirm.status_code == 302
    assert programme_entries(programme) == PLACED


def test_the_service_refuses_a_workbook_naming_a_term_s_column_twice(programme):
    content = xlsx_bytes(
        [["code", "title", "Term 1", "Term 2", "第二学期"], ["MECH202", "Structural Mechanics", 4]]
    )

    with pytest.raises(ValidationError, match="第二学期") as refused:
        course_catalogue_import(content=content, file_name="plan.xlsx", programme=programme)
    assert "term_" not in " ".join(refused.value.messages)
