"""A course catalogue as Chinese universities publish it, the 培养方案 (programme plan) table
in Excel: a title merged across above the header, the course category merged down over its
courses, a 小计 (subtotal) row after each category, a 合计 (total) row at the end and a note
merged across at the bottom. It imports as published, through every door: the lines above the
header are read past and named, the total and note rows read past with a warning naming their
line. A row missing its code or title that is neither is still refused."""

import io
import json
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from curricula.models import Course, CourseAbility
from curricula.services import course_ability_import, course_catalogue_import
from curricula.tests.admin_import_doors import imported_in_the_background
from curricula.tests.factories import CourseFactory
from curricula.tests.plan_imports import PLAN_SHEET, PLAN_TITLE, excel_csv, xlsx_bytes
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "课程类别",
    "课程代码",
    "课程名称",
    "英文名称",
    "学分",
    "总学时",
    "理论学时",
    "实践学时",
    "开课学期",
]
# Lines 3 to 11 of the sheet, the title on line 1 and the header on line 2.
TABLE = [
    ["专业基础课", "EC101", "电子商务概论", "Introduction to E-commerce", 3, 48, 32, 16, 1],
    [None, "EC102", "国际贸易实务", "International Trade Practice", 3, 48, 40, 8, 2],
    [None, "EC103", "跨境电商物流", "Cross-border Logistics", 2, 32, 24, 8, 3],
    ["小计", None, None, None, 8, 128, 96, 32, None],
    ["专业核心课", "EC201", "跨境电商平台运营", "Platform Operations", 3, 48, 24, 24, 4],
    [None, "EC202", "跨境电商数据分析", "Data Analysis", 3, 48, 24, 24, 5],
    ["小计（专业核心课）", None, None, None, 6, 96, 48, 48, None],  # noqa: RUF001
    ["合计", None, None, None, 14, 224, 144, 80, None],
    ["注：实践学时含课内实验。", None, None, None, None, None, None, None, None],  # noqa: RUF001
]
COURSES = {
    "EC101": ("Introduction to E-commerce", "电子商务概论"),
    "EC102": ("International Trade Practice", "国际贸易实务"),
    "EC103": ("Cross-border Logistics", "跨境电商物流"),
    "EC201": ("Platform Operations", "跨境电商平台运营"),
    "EC202": ("Data Analysis", "跨境电商数据分析"),
}


def _plan(kind: str, table: list[list] | None = None) -> bytes:
    rows = [[PLAN_TITLE], HEADER, *(TABLE if table is None else table)]
    if kind == "xlsx":
        return xlsx_bytes(rows, ("A1:I1", "A3:A5", "A7:A8", "A11:I11"), sheet=PLAN_SHEET)
    return excel_csv(rows)


def _courses() -> dict[str, tuple[str, str]]:
    return {c.code: (c.title, c.title_zh) for c in Course.objects.all()}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_programme_plan_table_imports_as_published(kind):
    """Observed: refused, "Line 2 looks like the header row: remove the lines above it"; with
    the title removed, each 小计, 合计 and 注 row refused as missing its code and title."""
    report = course_catalogue_import(content=_plan(kind), file_name=f"方案.{kind}")
    assert report.errors == []
    assert report.created == 5
    assert _courses() == COURSES
    assert Course.objects.get(code="EC101").credits == Decimal(3)
    # Its lines keep their numbers: the source names the sheet's line.
    assert Course.objects.get(code="EC201").source_ref == f"方案.{kind}, line 7"
    # The title is named as read past, as the columns not read are.
    assert report.as_dict()["lines_above_header"] == [1]
    assert [str(note) for note in report.workbook_notes] == [
        "1 line above the header row is not read: line 1."
    ]
    # 开课学期 (semester) is no column the import reads (no stage: see CHINESE_HEADERS).
    assert report.ignored_columns == ["课程类别", "总学时", "理论学时", "实践学时", "开课学期"]
    assert [(w["line"], w["column"], w["message"]) for w in report.warnings] == [
        (6, "", "A total row (“小计”): read past, not imported."),
        (9, "", "A total row (“小计（专业核心课）”): read past, not imported."),  # noqa: RUF001
        (10, "", "A total row (“合计”): read past, not imported."),
        (11, "", "A note (“注：实践学时含课内实验。”): read past, not imported."),  # noqa: RUF001
    ]
    assert report.warnings_total == 4


@pytest.mark.parametrize(
    "written",
    [
        "小计",
        "小　计",
        " 合 计 ",
        "合计：",  # noqa: RUF001
        "总计（学分）",  # noqa: RUF001
        "共计",
        "Subtotal",
        "SUB TOTAL:",
        "ｔｏｔａｌ",  # noqa: RUF001 (full width, as typed by a Chinese input method)
        "Total credits",
        "Totals",
    ],
)
def test_a_total_row_is_read_past_in_any_case_width_or_spacing(written):
    table = [TABLE[0], [written, None, None, None, 3, 48, None, None, None]]
    report = course_catalogue_import(content=_plan("csv", table), file_name="方案.csv")
    assert report.errors == []
    assert [w["line"] for w in report.warnings] == [4]
    assert _courses() == {"EC101": COURSES["EC101"]}


def test_the_course_category_nature_and_platform_are_columns_not_read():
    """课程类别, 课程性质 and 课程平台 are no names of the module (see CHINESE_HEADERS): a table
    with all three imports, naming them as not read, as it does 开课学期."""
    rows = [
        ["课程平台", "课程类别", "课程性质", "课程代码", "课程名称", "学分", "开课学期"],
        ["专业教育平台", "专业核心课", "必修", "EC201", "跨境电商平台运营", 3, 4],
    ]
    report = course_catalogue_import(content=excel_csv(rows), file_name="方案.csv")
    assert report.errors == []
    assert report.ignored_columns == ["课程平台", "课程类别", "课程性质", "开课学期"]
    assert Course.objects.get(code="EC201").module is None


def test_a_total_written_in_the_code_column_beside_a_category_merged_down_is_read_past():
    """A common layout: the category merged down over its subtotal too, 小计 written in the
    course code's column (merged across the name's)."""
    rows = [
        HEADER,
        ["专业基础课", "EC101", "电子商务概论", "Introduction to E-commerce", 3],
        [None, "小计", None, None, 3],
    ]
    content = xlsx_bytes(rows, ("A2:A3", "B3:D3"), sheet=PLAN_SHEET)
    report = course_catalogue_import(content=content, file_name="方案.xlsx")
    assert report.errors == []
    assert [(w["line"], w["message"]) for w in report.warnings] == [
        (3, "A total row (“小计”): read past, not imported.")
    ]
    assert _courses() == {"EC101": COURSES["EC101"]}


@pytest.mark.parametrize(
    "written",
    ["注：含实验。", "注 1. 含实验", "说明：见附表", "备注", "Note: labs included"],  # noqa: RUF001
)
def test_a_note_row_is_read_past(written):
    table = [TABLE[0], [written]]
    report = course_catalogue_import(content=_plan("csv", table), file_name="方案.csv")
    assert report.errors == []
    assert [w["line"] for w in report.warnings] == [4]


@pytest.mark.parametrize(
    ("row", "missing"),
    [
        # Text that is no total: a course whose code and title were left out.
        (["Totalitarian regimes", None, None, None, 2], {"code", "title"}),
        # A course's title that starts with a total's word, its code left out.
        ([None, None, None, "Total Quality Management", 3], {"code"}),
        ([None, None, None, "Total cost accounting", 3], {"code"}),
        # (专业选修课 there, ending as a section heading does, is one, its credits the
        # section's: test_programme_plan_section_totals.)
        (["专业选修", None, None, None, 2], {"code", "title"}),
        # A total word with a code: a course, its title missing.
        (["小计", "EC301", None, None, 2], {"title"}),
        # A note beside a value is no note.
        (["注：选修", None, None, None, 2], {"code", "title"}),  # noqa: RUF001
        (["Notebook computing", None, None, None, None], {"code", "title"}),
    ],
)
def test_any_other_row_missing_its_code_or_title_is_still_refused(row, missing):
    table = [TABLE[0], row]
    report = course_catalogue_import(content=_plan("csv", table), file_name="方案.csv")
    [error] = report.errors
    assert error["line"] == 4
    assert set(error["errors"]) >= missing
    assert not Course.objects.exists()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_with_no_header_row_recognised_the_file_is_still_refused(kind):
    rows = [[PLAN_TITLE], ["类别", "代号", "名字"], ["专业基础课", "EC101", "电子商务概论"]]
    content = xlsx_bytes(rows, sheet=PLAN_SHEET) if kind == "xlsx" else excel_csv(rows)
    with pytest.raises(ValidationError) as raised:
        course_catalogue_import(content=content, file_name=f"方案.{kind}")
    [message] = raised.value.message_dict["file"]
    assert message.startswith("The file lacks the column(s): code, title.")
    assert "header row" not in message


def test_the_api_answers_the_lines_read_past(staff_client):
    upload = SimpleUploadedFile("方案.xlsx", _plan("xlsx"))
    response = staff_client.post(
        "/api/v1/courses/import/?dry_run=1", {"file": upload}, format="multipart"
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["lines_above_header"] == [1]
    assert [(w["line"], w["column"]) for w in answer["warnings"]] == [
        (6, ""),
        (9, ""),
        (10, ""),
        (11, ""),
    ]
    assert answer["created"] == 5


def test_the_command_says_the_lines_read_past(tmp_path):
    path = tmp_path / "方案.xlsx"
    path.write_bytes(_plan("xlsx"))
    out, err = StringIO(), StringIO()
    call_command("import_courses", str(path), stdout=out, stderr=err)
    assert _courses() == COURSES
    said = err.getvalue()
    assert "1 line above the header row is not read: line 1." in said
    assert "line 6: A total row (“小计”): read past, not imported." in said
    assert "line 11: A note (“注：实践学时含课内实验。”): read past, not imported." in said  # noqa: RUF001


def test_the_command_answers_them_as_json(tmp_path):
    path = tmp_path / "方案.csv"
    path.write_bytes(_plan("csv"))
    out = StringIO()
    call_command("import_courses", str(path), "--json", stdout=out, stderr=StringIO())
    answer = json.loads(out.getvalue())
    assert answer["lines_above_header"] == [1]
    assert answer["warnings_total"] == 4


def test_the_admin_previews_and_imports_the_table(admin_client):
    url = reverse("admin:curricula_course_import")
    upload = SimpleUploadedFile("方案.xlsx", _plan("xlsx"))
    response = admin_client.post(url, {"format": "1", "import_file": upload})
    assert response.status_code == 200
    assert response.context["confirm_form"] is not None, response.content.decode()[:3000]
    page = response.content.decode()
    assert "1 line above the header row is not read: line 1." in page
    assert "A total row (“小计”): read past, not imported." in page
    confirm = response.context["confirm_form"].initial
    response = admin_client.post(reverse("admin:curricula_course_process_import"), confirm)
    assert response.status_code == 302
    assert _courses() == COURSES


# --- course-ability links and requirements read the same way --------------------------------


def test_a_link_file_with_a_title_and_a_total_row_is_read_the_same_way():
    framework = FrameworkFactory(name="跨境电商能力")
    AbilityFactory(framework=framework, code="A1")
    CourseFactory(code="EC101")
    rows = [
        ["课程—能力关联表"],
        ["课程代码", "能力代码", "等级"],
        ["EC101", "A1", "I"],
        ["合计", None, None],
        ["注：等级 I、R、M。"],  # noqa: RUF001
    ]
    report = course_ability_import(content=excel_csv(rows), file_name="links.csv")
    assert report.errors == []
    assert report.as_dict()["lines_above_header"] == [1]
    assert [w["line"] for w in report.warnings] == [4, 5]
    assert CourseAbility.objects.count() == 1


def test_a_background_import_says_the_lines_read_past_on_its_page(
    admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("方案.xlsx", _plan("xlsx"))
    job, page = imported_in_the_background(
        admin_client, settings, tmp_path, django_capture_on_commit_callbacks, upload
    )
    assert job.report["details"]["lines_above_header"] == [1]
    assert "1 line above the header row is not read: line 1." in page
    assert "A total row (“合计”): read past, not imported." in page
    assert _courses() == COURSES


def test_a_hidden_total_row_is_not_said_to_be_read_like_the_others():
    """A row read past is not imported: the note of the rows the sheet hides, which says they
    are read like the others, names only those that are (here the course on line 4)."""
    workbook_rows = [[PLAN_TITLE], HEADER, *TABLE]
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(workbook_rows, sheet=PLAN_SHEET)))
    for line in (1, 4, 6):
        workbook.active.row_dimensions[line].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = course_catalogue_import(content=buffer.getvalue(), file_name="方案.xlsx")
    assert report.errors == []
    assert report.as_dict()["hidden_lines"] == [4]
    assert report.as_dict()["lines_above_header"] == [1]


def test_a_requirement_file_with_a_title_and_a_note_is_read_the_same_way():
    from curricula.services import requirement_import
    from positions.models import Requirement

    framework = FrameworkFactory(name="跨境电商能力")
    AbilityFactory(framework=framework, code="A1")
    rows = [
        ["岗位能力要求表"],
        ["岗位", "能力代码", "重要性", "最低等级"],
        ["跨境电商运营专员", "A1", "核心", "M"],
        ["说明：等级按 I、R、M。"],  # noqa: RUF001
    ]
    report = requirement_import(content=xlsx_bytes(rows, sheet=PLAN_SHEET), file_name="要求.xlsx")
    assert report.errors == []
    assert report.as_dict()["lines_above_header"] == [1]
    assert [w["line"] for w in report.warnings] == [4]
    assert Requirement.objects.count() == 1


def test_a_header_merged_down_over_a_second_header_row_is_not_read_as_a_course():
    """A two-row header below a title (学时 over its kind on the second row, the other headings
    merged down over both rows): the headings merged down are not spread into the second header
    row, which would be read as a course named 课程代码 (学时 is not read), but the row is
    refused as missing its code and title."""
    rows = [
        [PLAN_TITLE],
        ["课程代码", "课程名称", "学时"],
        [None, None, "理论+实践"],
        ["EC101", "电子商务概论", 48],
    ]
    content = xlsx_bytes(rows, ("A1:C1", "A2:A3", "B2:B3"), sheet=PLAN_SHEET)
    report = course_catalogue_import(content=content, file_name="方案.xlsx", dry_run=True)
    assert report.created == 0
    [error] = report.errors
    assert error["line"] == 3
    assert set(error["errors"]) >= {"code", "title_zh"}
