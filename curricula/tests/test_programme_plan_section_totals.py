"""A 培养方案's section heading row that carries the section's subtotal: 一、通识教育课程 in the
first (or the code's) column, merged across the code and title columns in a workbook, and the
section's credits and hours in their columns (7, "48学时"). Read past as a heading (its module
as before), its warning saying the numbers were the section's totals and not imported. A row
with a title of its own, a code, a text beside the numbers or a number in the code's column is
no heading: refused as a course missing its key, as before. In CSV and XLSX; through every door
in test_programme_plan_doors.py."""

import pytest
from django.core.exceptions import ValidationError

from curricula.models import Course
from curricula.services import course_catalogue_import
from curricula.tests.plan_imports import (
    PLAN_SHEET,
    PLAN_TITLE,
    course_modules,
    excel_csv,
    report_warnings,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

HEADER = ["课程类别", "课程代码", "课程名称", "英文名称", "学分", "总学时", "开课学期"]
# Lines 3 to 10, the title on line 1 and the header on line 2.
TABLE = [
    ["一、通识教育课程", None, None, None, 7, 112, None],
    [None, "GE101", "思想道德与法治", "Ethics and Law", 3, 48, 1],
    [None, "GE102", "大学英语", "College English", 4, 64, 1],
    ["（一）专业核心课程", None, None, None, "3学分", "48 学时", None],  # noqa: RUF001
    [None, "EC201", "跨境电商平台运营", "Platform Operations", 3, 48, 4],
    ["二、学科基础课", None, None, None, 3, None, None],
    [None, "EC101", "电子商务概论", "Introduction to E-commerce", 3, 48, 2],
    ["A. General Education", None, None, None, "1 credit", None, None],
    [None, "GE201", "体育", "Physical Education", 1, 32, 1],
]
# Each heading merged across the category, code and title columns, its numbers beside it.
MERGES = ("A1:G1", "A3:D3", "A6:D6", "A8:D8", "A10:D10")
WARNINGS = [
    (
        3,
        "A section heading (“一、通识教育课程”): read past, not imported; the courses under it "
        "that give no module are put in the module GE (General education, 通识教育课程). "
        "The numbers on its row (学分 7, 总学时 112) are the section's totals: not imported.",
    ),
    (
        6,
        "A section heading (“（一）专业核心课程”): read past, not imported; the courses under "  # noqa: RUF001
        "it that give no module are put in the module CORE (Core courses, 专业核心课程). "
        "The numbers on its row (学分 3学分, 总学时 48 学时) are the section's totals: not "
        "imported.",
    ),
    (
        8,
        "A section heading (“二、学科基础课”): read past, not imported. No module is named "
        "“学科基础课”, so the courses under it that give no module are put in none (add it in "
        "the admin, Modules, to have them put in it). The number on its row (学分 3) is the "
        "section's total: not imported.",
    ),
    (
        10,
        "A section heading (“A. General Education”): read past, not imported; the courses under "
        "it that give no module are put in the module GE (General education, 通识教育课程). "
        "The number on its row (学分 1 credit) is the section's total: not imported.",
    ),
]
MODULES = {"GE101": "GE", "GE102": "GE", "EC201": "CORE", "EC101": None, "GE201": "GE"}


def _plan(kind: str, table: list[list] = TABLE, header: list = HEADER, merges=None) -> bytes:
    rows = [[PLAN_TITLE], header, *table]
    if merges is None:
        merges = MERGES if table is TABLE else ()
    if kind == "xlsx":
        return xlsx_bytes(rows, merges, sheet=PLAN_SHEET)
    return excel_csv(rows)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_headings_with_their_totals_are_read_past_and_the_courses_put_in_their_modules(
    kind, modules
):
    """Observed: refused, each heading's line "code: This column is required." (and title)."""
    report = course_catalogue_import(content=_plan(kind), file_name=f"方案.{kind}")
    assert report.errors == []
    assert report.created == 5
    assert course_modules() == MODULES
    assert report_warnings(report) == WARNINGS
    assert Course.objects.get(code="EC101").source_ref == f"方案.{kind}, line 9"
    # The section's credits are no course's.
    assert sorted(Course.objects.values_list("credits", flat=True)) == [1, 3, 3, 3, 4]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_dry_run_says_the_same(kind, modules):
    report = course_catalogue_import(content=_plan(kind), file_name=f"方案.{kind}", dry_run=True)
    assert report.errors == []
    assert report_warnings(report) == WARNINGS
    assert not Course.objects.exists()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_heading_in_the_code_column_with_the_totals_beside_it(kind, modules):
    """No category column: the heading in the code's, merged across the titles in a workbook."""
    header = ["课程代码", "课程名称", "英文名称", "学分", "开课学期"]
    table = [
        ["一、通识教育课程", None, None, 40, None],
        ["GE101", "思想道德与法治", "Ethics and Law", 3, 1],
        ["专业核心课程", None, None, "12学分", None],
        ["EC201", "跨境电商平台运营", "Platform Operations", 3, 4],
    ]
    content = _plan(kind, table, header, ("A1:E1", "A3:C3", "A5:C5"))
    report = course_catalogue_import(content=content, file_name=f"方案.{kind}")
    assert report.errors == []
    assert course_modules() == {"GE101": "GE", "EC201": "CORE"}
    assert [w["line"] for w in report.warnings] == [3, 5]
    assert report.warnings[1]["message"].endswith(
        "The number on its row (学分 12学分) is the section's total: not imported."
    )


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_heading_written_into_every_cell_it_was_merged_across(kind, modules):
    """A sheet whose merged headings were unmerged and their cells filled (as a spreadsheet's
    "fill blanks" leaves them, or an export that writes a merge's value into each of its
    cells): the same text in the category, code and title columns is one heading."""
    table = [
        ["一、通识教育课程"] * 4 + [7, 112, None],
        [None, "GE101", "思想道德与法治", "Ethics and Law", 3, 48, 1],
        ["（一）专业核心课程"] * 3 + [None, 3, 48, None],  # noqa: RUF001
        [None, "EC201", "跨境电商平台运营", "Platform Operations", 3, 48, 4],
        ["二、专业教育平台"] * 4 + [None] * 3,
        [None, "EC101", "电子商务概论", "Introduction to E-commerce", 3, 48, 2],
    ]
    content = _plan(kind, table, merges=())
    report = course_catalogue_import(content=content, file_name=f"方案.{kind}")
    assert report.errors == []
    assert course_modules() == {"GE101": "GE", "EC201": "CORE", "EC101": None}
    assert [w["line"] for w in report.warnings] == [3, 5, 7]
    assert "(“一、通识教育课程”)" in report.warnings[0]["message"]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_heading_in_a_first_column_the_title_s_needs_an_enumerator_and_a_heading_word(
    kind, modules
):
    header = ["课程名称", "课程代码", "学分"]
    table = [["一、通识教育课程", None, 40], ["思想道德与法治", "GE101", 3]]
    content = _plan(kind, table, header, ("A1:C1", "A3:B3"))
    report = course_catalogue_import(content=content, file_name=f"方案.{kind}")
    assert report.errors == []
    assert course_modules() == {"GE101": "GE"}
    assert [w["line"] for w in report.warnings] == [3]


@pytest.mark.parametrize(
    "row",
    [
        # An enumerated course title with its credits, its code left out.
        ["1. Introduction to Programming", None, 3],
        ["A. General Education", None, 40],
        # A title ending as a heading does, its code left out.
        ["思想道德修养与法律基础课", None, 3],
    ],
)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_in_the_title_s_column_a_course_with_its_credits_is_still_refused(kind, row):
    header = ["课程名称", "课程代码", "学分"]
    table = [["思想道德与法治", "GE101", 3], row]
    report = course_catalogue_import(content=_plan(kind, table, header), file_name=f"方案.{kind}")
    [error] = report.errors
    assert error["line"] == 4
    assert "code" in error["errors"]
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("row", "missing"),
    [
        # A course's title with its credits, its code left out.
        ([None, None, "Total Quality Management", 3], {"code"}),
        (["Total Quality Management", None, None, 3], {"title"}),
        ([None, "一、通识教育课程", None, 40], {"code"}),
        # A code alone, with its credits.
        (["EC301", None, None, 3], {"title"}),
        (["1.1", None, None, 3], {"title"}),
        # Beside a text that is no number (a course's nature, its term as words).
        (["一、通识教育课程", None, None, 40, "必修"], {"title"}),
        (["一、通识教育课程", None, None, "40 Management"], {"title"}),
        (["一、通识教育课程", None, None, "3-4"], {"title"}),
        # Numbers alone.
        ([None, None, None, 40, 720], {"code"}),
    ],
)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_any_other_row_missing_its_key_is_still_refused(kind, row, missing):
    header = ["课程代码", "课程名称", "英文名称", "学分", "开课学期"]
    table = [["EC101", "电子商务概论", "Introduction to E-commerce", 3, 2], row]
    report = course_catalogue_import(content=_plan(kind, table, header), file_name=f"方案.{kind}")
    assert len(report.errors) == 1, report.errors
    [error] = report.errors
    assert error["line"] == 4
    assert set(error["errors"]) >= missing
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    "row",
    [["一、通识教育课程", "思想道德与法治", None, 40], ["通识教育课程", "通识教育课", None, 40]],
)
def test_a_heading_with_a_title_of_its_own_is_no_heading(row):
    """Its text in the code's column beside a title: a course, as the file writes it."""
    header = ["课程代码", "课程名称", "英文名称", "学分"]
    report = course_catalogue_import(content=_plan("csv", [row], header), file_name="方案.csv")
    assert report.warnings == []
    assert Course.objects.get().title_zh == row[1]


def test_a_number_in_the_code_s_column_is_a_code():
    header = ["课程名称", "课程代码", "学分"]
    report = course_catalogue_import(
        content=_plan("csv", [["一、通识教育课程", 40, 3]], header), file_name="方案.csv"
    )
    assert report.warnings == []
    assert Course.objects.get().code == "40"


def test_a_number_under_no_column_name_is_no_total():
    """Read past with the heading, it would go unseen: refused as a value under no column."""
    header = ["课程代码", "课程名称", "学分", None]
    table = [["一、通识教育课程", None, None, 40], ["GE101", "思想道德与法治", 3, None]]
    with pytest.raises(ValidationError, match="Line 3 has a value in column 4"):
        course_catalogue_import(content=_plan("csv", table, header), file_name="方案.csv")
    assert not Course.objects.exists()
