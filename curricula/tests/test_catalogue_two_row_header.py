"""Observed (as a user): a 培养方案 table very often has a two-row header: 学时分配 merged across
理论 and 实践 below it, 各学期周学时分配 merged across the terms 1 … 8, and 课程代码, 课程名称,
学分 merged down over both rows (a CSV export leaves the cells below them blank and the cells
right of a group's heading blank). Such a file was refused at its second line, as a course with
no code, or a value under no column. The second row is now read with the header row above it:
a column under a group is named by the group and its own label (“学时分配 理论”), and the
columns of a group naming the terms whose labels are terms (1 … 8) are the per-term columns an
import into a programme reads the courses' terms from. A data row is never taken for one."""

import io
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from curricula.models import Course
from curricula.services import course_catalogue_import
from curricula.tests.plan_imports import (
    background_import,
    post_plan,
    programme_entries,
)

pytestmark = pytest.mark.django_db


TERMS = [str(term) for term in range(1, 9)]
# As Excel saves the sheet as CSV: a merged cell's value in its first cell only.
PLAN = (
    "课程代码,课程名称,学分,学时分配,,各学期周学时分配,,,,,,,\n"
    ",,,理论,实践,1,2,3,4,5,6,7,8\n"
    "MECH202,结构力学,3,40,8,,,4,,,,,\n"
    "RC301,混凝土结构设计,3,48,0,,,,3,,,,\n"
    "SURV201,工程测量,2,24,8,2,2,,,,,,\n"
)
PLACED = [
    ("MATH101", None),
    ("PHYS101", 5),
    ("MECH202", 3),
    ("RC301", 4),
    ("SURV201", 1),
]
SUB_HEADER = "A second header row (“理论, 实践, 1, 2, 3, 4, 5, 6, 7, 8”)"


def test_a_two_row_header_imported_into_a_programme_sets_the_terms_from_its_term_group(
    staff_client, programme
):
    response = post_plan(staff_client, PLAN, programme=programme.pk)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["programme_added"], body["programme_terms_set"]) == (3, 3, 3)
    assert programme_entries(programme) == PLACED
    # The hours of theory and practice are not read: named by their group and their label.
    assert body["ignored_columns"] == ["学时分配 理论", "学时分配 实践"]
    # The second header row is said at its line; SURV201's span at its own (line 5).
    header, span = body["warnings"]
    assert (header["line"], header["column"]) == (2, "")
    assert header["message"].startswith(SUB_HEADER)
    assert "(line 1)" in header["message"]
    assert (span["line"], span["column"]) == (5, "term")
    assert "“各学期周学时分配 1”" in span["message"]
    assert "“各学期周学时分配 2”" in span["message"]


def test_without_a_programme_a_two_row_header_is_read_and_its_columns_named_as_left_out(
    staff_client, programme
):
    response = post_plan(staff_client, PLAN)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 3
    assert body["ignored_columns"] == [
        "学时分配 理论",
        "学时分配 实践",
        *[f"各学期周学时分配 {term}" for term in TERMS],
    ]
    assert [(w["line"], w["column"]) for w in body["warnings"]] == [(2, "")]
    assert Course.objects.get(code="SURV201").credits == 2
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]


def test_an_english_two_row_header_sets_the_terms(staff_client, programme):
    text = (
        "Course Code,Course Title,Credits,Hours per week by semester,,,,,,,\n"
        ",,,1,2,3,4,5,6,7,8\n"
        "MECH202,Structural Mechanics,3,,,4,,,,,\n"
        "RC301,Concrete Structures,3,,,,3,,,,\n"
        "SURV201,Surveying,2,2,2,,,,,,\n"
    )

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ignored_columns"] == []
    assert [(w["line"], w["column"]) for w in body["warnings"]] == [(2, ""), (5, "term")]
    assert "“Hours per week by semester 1”" in body["warnings"][1]["message"]
    assert programme_entries(programme) == PLACED


def test_a_problem_on_a_data_row_below_a_two_row_header_is_at_its_own_line(staff_client, programme):
    text = PLAN.replace("RC301,混凝土结构设计,3,", "RC301,混凝土结构设计,三学分,")

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 400, response.content
    [problem] = response.json()["errors"]
    assert problem["line"] == 4
    assert list(problem["errors"]) == ["credits"]
    assert programme_entries(programme) == [("MATH101", None), ("PHYS101", 5)]


def _xlsx(rows: list[list], merges: tuple[str, ...]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    for cells in merges:
        workbook.active.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A workbook as published: a title merged across, 课程代码, 课程名称 and 学分 merged down over
# both header rows, the groups merged across their columns; term numbers as numbers.
WORKBOOK_ROWS = [
    ["土木工程专业培养方案"],
    ["课程代码", "课程名称", "学分", "学时分配", None, "各学期周学时分配"],
    [None, None, None, "理论", "实践", 1, 2, 3, 4, 5, 6, 7, 8],
    ["MECH202", "结构力学", 3, 40, 8, None, None, 4],
    ["RC301", "混凝土结构设计", 3, 48, 0, None, None, None, 3],
    ["SURV201", "工程测量", 2, 24, 8, 2, 2],
]
WORKBOOK_MERGES = ("A1:M1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:M2")


def test_a_workbook_s_merged_two_row_header_below_a_title_sets_the_terms(programme):
    content = _xlsx(WORKBOOK_ROWS, WORKBOOK_MERGES)

    report = course_catalogue_import(content=content, file_name="方案.xlsx", programme=programme)

    assert report.ok, report.problems
    assert report.as_dict()["lines_above_header"] == [1]
    assert report.ignored_columns == ["学时分配 理论", "学时分配 实践"]
    assert [(w["line"], w["column"]) for w in report.warnings] == [(3, ""), (6, "term")]
    assert "(line 2)" in report.warnings[0]["message"]
    assert programme_entries(programme) == PLACED


def test_a_workbook_s_two_row_header_without_a_programme_imports_the_courses():
    rows = [row[:] for row in WORKBOOK_ROWS[1:]]
    # Merged down at the top of the sheet; the labels as text, a term as 第N学期.
    rows[1] = [None, None, None, "理论", "实践", *[f"第{term}学期" for term in TERMS]]
    content = _xlsx(rows, ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:M1"))

    report = course_catalogue_import(content=content, file_name="方案.xlsx")

    assert report.ok, report.problems
    assert report.created == 3
    assert report.ignored_columns[:3] == [
        "学时分配 理论",
        "学时分配 实践",
        "各学期周学时分配 第1学期",
    ]
    assert [(w["line"], w["column"]) for w in report.warnings] == [(2, "")]


def test_a_sheet_that_writes_the_merged_heading_into_each_cell_is_read_the_same_way(
    staff_client, programme
):
    """An export that fills a merged cell's value into every cell it covers: the headings
    merged down repeat on the second row, as do the groups' headings across their columns."""
    text = (
        "课程代码,课程名称,学分,周学时分配,周学时分配,周学时分配,周学时分配\n"
        "课程代码,课程名称,学分,一,二,三,四\n"
        "MECH202,结构力学,3,,,4,\n"
        "RC301,混凝土结构设计,3,,,,3\n"
    )

    response = post_plan(staff_client, text, programme=programme.pk)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ignored_columns"] == []
    assert programme_entries(programme)[2:] == [("MECH202", 3), ("RC301", 4)]


# --- a data row is never taken for a second header row ---------------------------------------


def test_a_course_row_without_its_code_right_below_the_header_is_still_refused(staff_client):
    text = "课程代码,课程名称,学分,学时\n,结构力学,3,40\nRC301,混凝土结构设计,3,48\n"

    response = post_plan(staff_client, text)

    assert response.status_code == 400, response.content
    [problem] = response.json()["errors"]
    assert problem["line"] == 2
    assert list(problem["errors"]) == ["code"]
    assert not Course.objects.exists()


def test_a_course_row_without_its_code_below_a_group_is_still_refused_as_before(staff_client):
    text = "课程代码,课程名称,学分,学时分配,\n,结构力学,3,40,8\nRC301,混凝土结构设计,3,48,0\n"

    response = post_plan(staff_client, text)

    assert response.status_code == 400, response.content
    assert response.json() == {
        "file": ["Line 2 has a value in column 5, which the header row (line 1) does not name."]
    }
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    "second",
    [
        ",,3,理论,实践",  # credits under a heading of its own: a course missing code and title
        ",,,40,8",  # hours, not labels
        ",,,理论,",  # a group labelled only in part
        ",,,理论,理论",  # a label given twice
        ",,,3.5,2",  # a number no label is
        ",,,2,3",  # numbers under a heading not the terms': hours, however they run
    ],
)
def test_a_row_that_is_no_second_header_is_refused_as_before(staff_client, second):
    text = f"课程代码,课程名称,学分,学时分配,\n{second}\nRC301,混凝土结构设计,3,48,0\n"

    response = post_plan(staff_client, text)

    assert response.status_code == 400, response.content
    assert not Course.objects.exists()


# --- what every door says of it -----------------------------------------------------------


def test_the_command_says_the_second_header_row_at_its_line(tmp_path, programme):
    path = tmp_path / "plan.csv"
    path.write_text(PLAN, encoding="utf-8")
    err = StringIO()

    call_command(
        "import_courses",
        str(path),
        "--programme",
        str(programme.pk),
        stdout=StringIO(),
        stderr=err,
    )

    assert programme_entries(programme) == PLACED
    assert f"line 2: {SUB_HEADER}" in err.getvalue()


def test_the_admin_preview_says_the_second_header_row_and_its_confirm_imports(
    admin_client, programme
):
    upload = SimpleUploadedFile("plan.csv", PLAN.encode(), content_type="text/csv")
    preview = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": upload, "programme": programme.pk},
    )

    assert preview.context["confirm_form"] is not None, preview.content.decode()[:3000]
    page = " ".join(preview.content.decode().split())
    assert SUB_HEADER in page
    confirm = admin_client.post(
        reverse("admin:curricula_course_process_import"), preview.context["confirm_form"].initial
    )
    assert confirm.status_code == 302
    assert programme_entries(programme) == PLACED


def test_a_background_job_says_the_second_header_row_and_sets_the_terms(
    staff_client, settings, tmp_path, programme, django_capture_on_commit_callbacks
):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")

    job = background_import(
        staff_client, django_capture_on_commit_callbacks, PLAN, programme=programme.pk
    )

    assert job["status"] == "succeeded", job
    assert programme_entries(programme) == PLACED
    warnings = job["report"]["warnings"]
    assert [w["where"] for w in warnings] == ["line 2", "line 5"]
    assert SUB_HEADER in str(warnings[0])
