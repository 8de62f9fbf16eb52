"""A 培养方案 (programme plan) table whose course list is broken into sections by heading rows,
one text each (merged across the row in a workbook; with the section's totals beside it in
test_programme_plan_section_totals.py): 一、通识教育课程, （一）专业核心课程, 1. 学科基础课,
A. General Education. Each heading is read past with a warning at its line, and
puts the courses under it, to the next heading, in the module it names (by a module's code,
name or Chinese name, its enumerator left out), unless a course's own module cell says another;
a heading naming no module is said so and puts them in none (a file is not refused for it, as
a 课程类别 column is not read as the module: CHINESE_HEADERS). In CSV and XLSX;
through every door in test_programme_plan_doors.py. A row missing its code that reads as no
heading is refused as before."""  # noqa: RUF002

import io

import openpyxl
import pytest

from curricula.models import Course, CourseAbility, Module
from curricula.services import course_ability_import, course_catalogue_import
from curricula.tests.factories import CourseFactory
from curricula.tests.plan_imports import (
    PLAN_SHEET,
    PLAN_TITLE,
    course_modules,
    excel_csv,
    report_warnings,
    xlsx_bytes,
)
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

HEADER = ["课程代码", "课程名称", "英文名称", "学分", "开课学期"]
# Lines 3 to 12, the title on line 1 and the header on line 2.
TABLE = [
    ["一、通识教育课程"],
    ["GE101", "思想道德与法治", "Ethics and Law", 3, 1],
    ["GE102", "大学英语", "College English", 4, 1],
    ["（一）专业核心课程"],  # noqa: RUF001
    ["EC201", "跨境电商平台运营", "Platform Operations", 3, 4],
    ["小计", None, None, 3, None],
    ["二、学科基础课"],
    ["EC101", "电子商务概论", "Introduction to E-commerce", 3, 2],
    ["A. General Education"],
    ["GE201", "体育", "Physical Education", 1, 1],
]
# Each heading merged across the table, as published.
MERGES = ("A1:E1", "A3:E3", "A6:E6", "A9:E9", "A11:E11")
WARNINGS = [
    (
        3,
        "A section heading (“一、通识教育课程”): read past, not imported; the courses under it "
        "that give no module are put in the module GE (General education, 通识教育课程).",
    ),
    (
        6,
        "A section heading (“（一）专业核心课程”): read past, not imported; the courses under "  # noqa: RUF001
        "it that give no module are put in the module CORE (Core courses, 专业核心课程).",
    ),
    (8, "A total row (“小计”): read past, not imported."),
    (
        9,
        "A section heading (“二、学科基础课”): read past, not imported. No module is named "
        "“学科基础课”, so the courses under it that give no module are put in none (add it in "
        "the admin, Modules, to have them put in it).",
    ),
    (
        11,
        "A section heading (“A. General Education”): read past, not imported; the courses under "
        "it that give no module are put in the module GE (General education, 通识教育课程).",
    ),
]
MODULES = {"GE101": "GE", "GE102": "GE", "EC201": "CORE", "EC101": None, "GE201": "GE"}


def _plan(
    kind: str, table: list[list] = TABLE, header: list = HEADER, merges: tuple[str, ...] = MERGES
) -> bytes:
    rows = [[PLAN_TITLE], header, *table]
    if kind == "xlsx":
        return xlsx_bytes(rows, merges, sheet=PLAN_SHEET)
    return excel_csv(rows)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_plan_broken_into_sections_imports_each_course_in_its_heading_module(kind, modules):
    """Observed: refused, each heading's line "code: This column is required." (and its title)."""
    report = course_catalogue_import(content=_plan(kind), file_name=f"方案.{kind}")
    assert report.errors == []
    assert report.created == 5
    assert course_modules() == MODULES
    assert report_warnings(report) == WARNINGS
    # Its lines keep their numbers, the headings read past counted.
    assert Course.objects.get(code="EC101").source_ref == f"方案.{kind}, line 10"
    assert report.as_dict()["lines_above_header"] == [1]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_dry_run_says_the_same_and_writes_nothing(kind, modules):
    report = course_catalogue_import(content=_plan(kind), file_name=f"方案.{kind}", dry_run=True)
    assert report.errors == []
    assert report.created == 5
    assert report_warnings(report) == WARNINGS
    assert not Course.objects.exists()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_files_own_module_wins_over_its_heading(modules, kind):
    """A table with a module column: a course's own module is its module (in a workbook, one
    merged down over two courses is each one's); one whose cell is empty takes its heading's."""
    Module.objects.create(code="LANG", name="Languages", order=3)
    header = ["模块", "课程代码", "课程名称", "学分"]
    table = [
        ["一、通识教育课程"],
        [None, "GE101", "思想道德与法治", 3],
        ["LANG", "GE102", "大学英语", 4],
        [None if kind == "xlsx" else "LANG", "GE103", "大学日语", 4],
        ["（一）专业核心课程"],  # noqa: RUF001
        [None, "EC201", "跨境电商平台运营", 3],
    ]
    content = _plan(kind, table, header, ("A1:D1", "A3:D3", "A5:A6", "A7:D7"))
    report = course_catalogue_import(content=content, file_name=f"方案.{kind}")
    assert report.errors == []
    assert course_modules() == {"GE101": "GE", "GE102": "LANG", "GE103": "LANG", "EC201": "CORE"}
    assert [w["line"] for w in report.warnings] == [3, 7]


def test_a_course_updated_under_a_heading_naming_no_module_keeps_its_module(modules):
    CourseFactory(code="EC101", title="E-commerce", module=Module.objects.get(code="CORE"))
    table = [["1. 学科基础课"], ["EC101", "电子商务概论", "Introduction to E-commerce", 3, 2]]
    report = course_catalogue_import(content=_plan("csv", table), file_name="方案.csv")
    assert report.errors == []
    assert course_modules() == {"EC101": "CORE"}


def test_a_sub_heading_naming_no_module_keeps_the_module_of_the_heading_above(modules):
    table = [
        ["一、通识教育课程"],
        ["（一）必修课"],  # noqa: RUF001
        ["GE101", "思想道德与法治", "Ethics and Law", 3, 1],
        ["（二）选修课"],  # noqa: RUF001
        ["GE102", "大学英语", "College English", 4, 1],
        ["二、专业核心课程"],
        ["EC201", "跨境电商平台运营", "Platform Operations", 3, 4],
    ]
    report = course_catalogue_import(content=_plan("csv", table), file_name="方案.csv")
    assert report.errors == []
    assert course_modules() == {"GE101": "GE", "GE102": "GE", "EC201": "CORE"}
    assert [w["line"] for w in report.warnings] == [3, 4, 6, 8]
    assert "put in the module GE (" in report.warnings[1]["message"]


def test_with_no_modules_at_all_the_headings_are_read_past_all_the_same():
    report = course_catalogue_import(content=_plan("xlsx"), file_name="方案.xlsx")
    assert report.errors == []
    assert report.created == 5
    assert set(course_modules().values()) == {None}
    assert [w["line"] for w in report.warnings] == [3, 6, 8, 9, 11]


@pytest.mark.parametrize(
    "written",
    [
        "一、通识教育课程",
        "（二）专业核心课程",  # noqa: RUF001
        "(2) 专业核心课程",
        "1. 学科基础课",
        "1、学科基础课",
        "A. General Education",
        "I. General Education",
        "IV. Practical training",
        "通识教育课程",
        "专业选修课",
        "创新创业模块",
        "专业教育平台",
        "General education courses",
        "Business module",
    ],
)
def test_a_heading_is_read_past_in_the_code_column(written):
    table = [[written], ["EC101", "电子商务概论", "Introduction to E-commerce", 3, 2]]
    report = course_catalogue_import(content=_plan("csv", table), file_name="方案.csv")
    assert report.errors == []
    assert [w["line"] for w in report.warnings] == [3]
    assert report.created == 1


@pytest.mark.parametrize(
    ("row", "missing"),
    [
        # A course's title, its code left out: text in the title column is no heading.
        ([None, None, "Total Quality Management"], {"code"}),
        ([None, None, "General education courses"], {"code"}),
        ([None, "思想道德修养与法律基础课"], {"code"}),
        ([None, "一、通识教育课程"], {"code"}),
        # A code alone: a course whose titles were left out.
        (["EC301"], {"title"}),
        (["1.1"], {"title"}),
        (["A.1"], {"title"}),
        # A title in the code column that reads as no heading.
        (["Total Quality Management"], {"title"}),
        (["电子商务概论"], {"title"}),
        # A heading beside a value that is no number is no heading (beside numbers alone, its
        # section's totals, it is: test_programme_plan_section_totals).
        (["一、通识教育课程", None, None, "必修"], {"title"}),
    ],
)
def test_any_other_row_missing_its_key_is_still_refused(row, missing):
    table = [["EC101", "电子商务概论", "Introduction to E-commerce", 3, 2], row]
    report = course_catalogue_import(content=_plan("csv", table), file_name="方案.csv")
    [error] = report.errors
    assert error["line"] == 4
    assert set(error["errors"]) >= missing
    assert not Course.objects.exists()


def test_a_heading_in_a_first_column_the_title_s_needs_its_enumerator():
    """Where the title is the first column, a heading merged across lands in it: one with an
    enumerator reads as a heading, a title ending in 课 (a course's, its code left out) does
    not."""
    header = ["课程名称", "课程代码", "学分"]
    table = [["一、通识教育课程"], ["思想道德与法治", "GE101", 3]]
    report = course_catalogue_import(content=_plan("csv", table, header), file_name="方案.csv")
    assert report.errors == []
    assert [w["line"] for w in report.warnings] == [3]
    Course.objects.all().delete()
    table = [["思想道德修养与法律基础课"], ["思想道德与法治", "GE101", 3]]
    report = course_catalogue_import(content=_plan("csv", table, header), file_name="方案.csv")
    [error] = report.errors
    assert error["line"] == 3
    assert "code" in error["errors"]


def test_a_hidden_heading_is_not_said_to_be_read_like_the_others():
    workbook = openpyxl.load_workbook(io.BytesIO(_plan("xlsx")))
    for line in (3, 4):
        workbook.active.row_dimensions[line].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = course_catalogue_import(content=buffer.getvalue(), file_name="方案.xlsx")
    assert report.errors == []
    assert report.as_dict()["hidden_lines"] == [4]


def test_a_refused_file_imports_nothing(modules):
    """All or nothing: a course refused below the headings leaves none imported."""
    table = [*TABLE, ["GE201", None, None, 1, 1]]
    report = course_catalogue_import(content=_plan("xlsx", table), file_name="方案.xlsx")
    [error] = report.errors
    assert error["line"] == 13
    assert not Course.objects.exists()


def test_a_link_file_with_section_headings_is_read_the_same_way():
    framework = FrameworkFactory(name="跨境电商能力")
    AbilityFactory(framework=framework, code="A1")
    CourseFactory(code="EC101")
    rows = [
        ["课程—能力关联表"],
        ["课程代码", "能力代码", "等级"],
        ["一、专业基础课程"],
        ["EC101", "A1", "I"],
    ]
    report = course_ability_import(content=excel_csv(rows), file_name="links.csv")
    assert report.errors == []
    assert report_warnings(report) == [
        (3, "A section heading (“一、专业基础课程”): read past, not imported.")
    ]
    assert CourseAbility.objects.count() == 1
