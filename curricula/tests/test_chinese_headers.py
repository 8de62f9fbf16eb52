"""A catalogue or a link file with Chinese column headers (课程代码, 课程名称, 学分, ...), as a
Chinese curriculum designer writes one, imports through every door: the admin (preview, then
confirm), the API and `manage.py import_courses`. The names are read as English ones are
(case, spaces, full width); a column named twice, one way or the other, is refused."""

import csv
import io
import json
from io import StringIO

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from certifications.models import TrainingStage
from curricula.models import Course, CourseAbility, Module
from curricula.services import course_ability_import, course_catalogue_import
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}

# A designer's catalogue: the Chinese name, then the English one, and the usual columns.
CATALOGUE = [
    [
        "课程代码",
        "课程名称",
        "英文名称",
        "课程描述",
        "学习成果",
        "学分",
        "模块",
        "培养阶段",
        "授课语言",
    ],
    [
        "CBE101",
        "跨境电商导论",
        "Introduction to cross-border e-commerce",
        "平台与规则。",
        "了解跨境电商平台\n掌握店铺运营",
        "3",
        "国际商务模块",
        "理论教学",
        "zh",
    ],
    ["CBE102", "国际物流", "International logistics", "", "", "2.5", "IB", "1", "zh"],
]


@pytest.fixture(autouse=True)
def _english():
    """A request in Chinese leaves Chinese active in the test's thread (LocaleMiddleware does
    not reset it): each test starts, and leaves the next one, in English."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def places():
    return (
        Module.objects.create(code="IB", name="International business", name_zh="国际商务模块"),
        TrainingStage.objects.create(
            code="theory", name="Theory teaching", name_zh="理论教学", order=1
        ),
    )


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _file(kind: str, rows: list[list]) -> bytes:
    return _xlsx(rows) if kind == "xlsx" else _csv(rows)


def _assert_catalogue_imported(places) -> None:
    module, stage = places
    first = Course.objects.get(code="CBE101")
    assert first.title == "Introduction to cross-border e-commerce"
    assert first.title_zh == "跨境电商导论"
    assert first.description == "平台与规则。"
    assert first.outcomes == "了解跨境电商平台\n掌握店铺运营"
    assert first.credits == 3
    assert (first.module, first.stage, first.language) == (module, stage, "zh")
    second = Course.objects.get(code="CBE102")
    assert (second.title, second.title_zh) == ("International logistics", "国际物流")
    assert (second.credits, second.module, second.stage) == (2.5, module, stage)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_command_imports_a_catalogue_with_chinese_headers(tmp_path, places, kind):
    """课程名称 is the Chinese title and 英文名称 the title: the course shows each in its
    language."""
    path = tmp_path / f"课程目录.{kind}"
    path.write_bytes(_file(kind, CATALOGUE))
    out, err = StringIO(), StringIO()
    call_command("import_courses", str(path), "--json", stdout=out, stderr=err)
    report = json.loads(out.getvalue())
    assert (report["created"], report["errors"], report["ignored_columns"]) == (2, [], [])
    _assert_catalogue_imported(places)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_api_imports_a_catalogue_with_chinese_headers(staff_client, places, kind):
    upload = SimpleUploadedFile(f"catalogue.{kind}", _file(kind, CATALOGUE))
    response = staff_client.post(
        "/api/v1/courses/import/", {"file": upload}, format="multipart", **ZH
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["created"] == 2
    _assert_catalogue_imported(places)


@pytest.mark.parametrize(("kind", "format_"), [("csv", "0"), ("xlsx", "1")])
def test_the_admin_previews_then_confirms_a_catalogue_with_chinese_headers(
    admin_client, places, kind, format_
):
    upload = SimpleUploadedFile(f"catalogue.{kind}", _file(kind, CATALOGUE))
    preview = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": format_, "import_file": upload}, **ZH
    )
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None, preview.content.decode()[:3000]
    assert preview.context["result"].totals["new"] == 2
    assert not Course.objects.exists(), "the preview writes nothing"
    confirm = admin_client.post(
        reverse("admin:curricula_course_process_import"),
        preview.context["confirm_form"].initial,
        **ZH,
    )
    assert confirm.status_code == 302
    _assert_catalogue_imported(places)


def test_other_chinese_names_and_how_they_are_written_are_read_alike(places):
    """Full-width letters, an ideographic space (U+3000) around a name, spaces inside it: read
    as an English header is (case, spaces, full width)."""
    rows = [
        [
            "\u3000课程编号 ",
            "课程 名",
            "英文名称",
            "课程简介",
            "教学目标",
            "ＣＲＥＤＩＴＳ",  # noqa: RUF001
            "课程模块",
            "训练阶段",
            "语言\u3000",
        ],
        ["K1", "数据库", "Databases", "关系模型。", "设计数据库", "2", "IB", "理论教学", "zh"],
    ]
    report = course_catalogue_import(content=_csv(rows), file_name="c.csv")
    assert (report.errors, report.ignored_columns) == ([], [])
    course = Course.objects.get(code="K1")
    assert (course.title, course.title_zh) == ("Databases", "数据库")
    assert (course.description, course.outcomes, course.credits) == ("关系模型。", "设计数据库", 2)
    assert (course.module, course.stage, course.language) == (*places, "zh")
    report = course_catalogue_import(
        content=_csv([["课程号", "课程目标", "英文名称"], ["K1", "设计数据库", "Databases"]]),
        file_name="c.csv",
    )
    assert (report.errors, report.unchanged) == ([], 1)


def test_a_catalogue_with_only_a_chinese_title_gives_it_to_new_courses_as_their_title():
    """A catalogue naming its courses only in Chinese (课程名称, no 英文名称): a new course takes
    that name as its title as well; a course it updates keeps its own title and gets the
    Chinese one."""
    kept = CourseFactory(code="K2", title="Web development", title_zh="")
    rows = [["课程代码", "课程名称", "学分"], ["K1", "数据库原理", "3"], ["K2", "网页开发", "2"]]
    report = course_catalogue_import(content=_csv(rows), file_name="c.csv")
    assert report.errors == []
    assert (report.created, report.updated) == (1, 1)
    new = Course.objects.get(code="K1")
    assert (new.title, new.title_zh) == ("数据库原理", "数据库原理")
    kept.refresh_from_db()
    assert (kept.title, kept.title_zh) == ("Web development", "网页开发")
    again = course_catalogue_import(content=_csv(rows), file_name="c.csv")
    assert (again.errors, again.unchanged) == ([], 2)


def test_a_chinese_title_cell_left_empty_is_required_when_it_is_the_only_title():
    report = course_catalogue_import(
        content=_csv([["课程代码", "课程名称"], ["K1", ""]]), file_name="c.csv"
    )
    assert [error["line"] for error in report.errors] == [2]
    assert list(report.errors[0]["errors"]) == ["title_zh"]
    assert not Course.objects.exists()


def test_a_mixed_english_and_chinese_header_is_read(places):
    """Columns named some in English, some in Chinese; columns the import does not read are
    named as written."""
    rows = [
        ["code", "课程名称", "title", "学分", "module", "开课学院"],
        ["K1", "数据库", "Databases", "3", "国际商务模块", "信息学院"],
    ]
    report = course_catalogue_import(content=_csv(rows), file_name="c.csv")
    assert report.errors == []
    assert report.ignored_columns == ["开课学院"]
    course = Course.objects.get(code="K1")
    assert (course.title, course.title_zh, course.credits) == ("Databases", "数据库", 3)
    assert course.module == places[0]


@pytest.mark.parametrize(
    ("header", "name", "first", "second"),
    [
        (["code", "title", "课程代码"], "code", 1, 3),
        (["课程代码", "课程编号", "英文名称"], "code", 1, 2),
        (["code", "英文名称", "Title"], "title", 2, 3),
        (["code", "title_zh", "title", "课程名称"], "title_zh", 2, 4),
        (["code", "title", "学分", "CREDITS"], "credits", 3, 4),
    ],
)
def test_a_column_named_twice_in_english_and_in_chinese_is_refused(header, name, first, second):
    rows = [header, ["K1", "Databases", "3", "4"][: len(header)]]
    with pytest.raises(ValidationError) as raised:
        course_catalogue_import(content=_csv(rows), file_name="c.csv")
    # The headers as the file writes them, and the column both mean.
    assert raised.value.message_dict["file"] == [
        f"The header row (line 1) names the column “{name}” twice, as “{header[first - 1]}” "
        f"(column {first}) and “{header[second - 1]}” (column {second}): keep one."
    ]
    assert not Course.objects.exists()


def test_a_column_named_twice_is_refused_naming_the_headers_as_written_in_chinese_too(
    chinese_stand_in,
):
    """Observed: "课程代码" and "课程编号" were refused as naming "code" twice, a header the file
    does not have: the message names both as the file writes them."""
    chinese_stand_in(
        None,
        "The header row (line %(line)d) names the column “%(name)s” twice, as “%(first_name)s” "
        "(column %(first)d) and “%(second_name)s” (column %(second)d): keep one.",
    )
    rows = [["课程代码", "英文名称", "课程编号"], ["K1", "Databases", "K1"]]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        course_catalogue_import(content=_csv(rows), file_name="c.csv")
    [message] = raised.value.message_dict["file"]
    assert "“课程代码”" in message
    assert "“课程编号”" in message
    assert not Course.objects.exists()


def test_the_api_refuses_a_column_named_twice_with_its_line(staff_client):
    rows = [["课程代码", "code", "英文名称"], ["K1", "K1", "Databases"]]
    upload = SimpleUploadedFile("c.csv", _csv(rows))
    response = staff_client.post("/api/v1/courses/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["file"] == [
        "The header row (line 1) names the column “code” twice, as “课程代码” (column 1) and "
        "“code” (column 2): keep one."
    ]
    assert not Course.objects.exists()


def test_a_missing_column_is_named_with_its_chinese_names_for_a_chinese_reader():
    """In Chinese, the refusal names the Chinese headers that would do for each missing column;
    in English it reads as before."""
    content = _csv([["课程", "学分"], ["数据库", "3"]])
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        course_catalogue_import(content=content, file_name="c.csv")
    [message] = raised.value.message_dict["file"]
    missing = message.split("。")[0]
    for name in ("code", "课程代码", "课程编号", "课程号", "title", "英文名称", "课程名称"):
        assert name in missing, name
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        course_catalogue_import(content=content, file_name="c.csv")
    [message] = raised.value.message_dict["file"]
    assert message.startswith("The file lacks the column(s): code, title. Expected: code, ")
    assert "课程代码" not in message


def test_the_api_names_the_chinese_headers_to_a_chinese_reader(staff_client):
    upload = SimpleUploadedFile("c.csv", _csv([["名称", "学分"], ["数据库", "3"]]))
    response = staff_client.post(
        "/api/v1/courses/import/", {"file": upload}, format="multipart", **ZH
    )
    assert response.status_code == 400
    [message] = response.json()["file"]
    assert "课程代码" in message
    assert "课程名称" in message


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_title_above_a_chinese_header_row_is_read_past(kind):
    """Refused before: "Line 3 looks like the header row: remove the lines above it." """
    rows = [["2026 级课程目录"], [], ["课程代码", "课程名称"], ["K1", "数据库"]]
    report = course_catalogue_import(content=_file(kind, rows), file_name=f"c.{kind}")
    assert report.errors == []
    assert report.as_dict()["lines_above_header"] == [1]
    assert Course.objects.get(code="K1").title_zh == "数据库"


# --- course-ability links --------------------------------------------------------------------


@pytest.fixture
def catalogue(db):
    framework = FrameworkFactory(name="跨境电商能力")
    AbilityFactory(framework=framework, code="A1")
    CourseFactory(code="CBE101")
    return framework


LINKS = [
    ["课程", "框架", "能力代码", "等级", "备注"],
    ["CBE101", "跨境电商能力", "A1", "M", "实训"],
]


def _assert_linked() -> None:
    link = CourseAbility.objects.get()
    assert (link.course.code, link.ability.code, link.level.code, link.note) == (
        "CBE101",
        "A1",
        "M",
        "实训",
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_api_imports_links_with_chinese_headers(staff_client, catalogue, kind):
    upload = SimpleUploadedFile(f"links.{kind}", _file(kind, LINKS))
    response = staff_client.post(
        "/api/v1/course-abilities/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 200, response.content.decode()
    assert response.json()["created"] == 1
    _assert_linked()


@pytest.mark.parametrize(("kind", "format_"), [("csv", "0"), ("xlsx", "1")])
def test_the_admin_previews_then_confirms_links_with_chinese_headers(
    admin_client, catalogue, kind, format_
):
    upload = SimpleUploadedFile(f"links.{kind}", _file(kind, LINKS))
    preview = admin_client.post(
        reverse("admin:curricula_courseability_import"),
        {"format": format_, "import_file": upload},
        **ZH,
    )
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None, preview.content.decode()[:3000]
    assert not CourseAbility.objects.exists()
    confirm = admin_client.post(
        reverse("admin:curricula_courseability_process_import"),
        preview.context["confirm_form"].initial,
        **ZH,
    )
    assert confirm.status_code == 302
    _assert_linked()


@pytest.mark.parametrize(
    "header",
    [
        ["课程代码", "框架", "能力", "程度"],
        ["course", "框架", "ability", "层次"],
        ["课程编号", "framework", "能力代码", "level"],
    ],
)
def test_other_chinese_link_headers_and_mixed_ones_are_read(catalogue, header):
    rows = [header, ["CBE101", "跨境电商能力", "A1", "R"]]
    report = course_ability_import(content=_csv(rows), file_name="links.csv")
    assert (report.errors, report.created) == ([], 1)


def test_the_workbook_s_chinese_provenance_sheet_is_refused_for_naming_the_ability_twice(
    catalogue,
):
    """The programme workbook's provenance sheet, in Chinese, heads its columns 课程, 课程名称,
    能力代码, 能力 (the ability's statement), 等级, 备注, ...: it names the ability twice. (It
    names no framework, which a link file may leave out: a code one framework holds is enough.)"""
    rows = [
        [
            "课程",
            "课程名称",
            "能力代码",
            "能力",
            "等级",
            "备注",
            "数据来源",
            "来源出处",
            "最后修改",
        ],
        ["CBE101", "跨境电商导论", "A1", "了解平台", "M", "", "导入", "", ""],
    ]
    with pytest.raises(ValidationError) as raised:
        course_ability_import(content=_xlsx(rows), file_name="workbook.xlsx")
    assert raised.value.message_dict["file"] == [
        "The header row (line 1) names the column “ability” twice, as “能力代码” (column 3) and "
        "“能力” (column 4): keep one."
    ]
    rows[0].insert(1, "框架")
    rows[1].insert(1, "跨境电商能力")
    with pytest.raises(ValidationError) as raised:
        course_ability_import(content=_xlsx(rows), file_name="workbook.xlsx")
    assert raised.value.message_dict["file"] == [
        "The header row (line 1) names the column “ability” twice, as “能力代码” (column 4) and "
        "“能力” (column 5): keep one."
    ]


def test_a_large_catalogue_with_chinese_headers_is_imported_by_the_admin_s_background_job(
    admin_client, settings, tmp_path, places, django_capture_on_commit_callbacks
):
    """Past ADMIN_IMPORT_INLINE_ROWS the admin hands the file to a background import job,
    which reads its headers the same way."""
    from positions.models import ImportJob, ImportStatus

    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    upload = SimpleUploadedFile("catalogue.xlsx", _xlsx(CATALOGUE))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:curricula_course_import"), {"format": "1", "import_file": upload}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    _assert_catalogue_imported(places)
