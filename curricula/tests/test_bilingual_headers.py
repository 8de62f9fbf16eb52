"""A header cell written in Chinese and in English, as many Chinese catalogues head their
columns ("课程名称 Course Title", "学分 Credits", "课程代码(Code)", "课程代码/Course Code"), is
read as the column its parts name: both the same one, or one a column and the other none. A cell
whose parts name two different columns is refused, saying which, rather than guessed."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from curricula.models import Course, CourseAbility
from curricula.services import course_ability_import, course_catalogue_import
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


@pytest.mark.parametrize(
    "header",
    [
        ["课程代码 Course Code", "课程名称 Course Title", "英文名称 Title", "学分 Credits"],
        ["课程代码(Code)", "课程名称（title_zh）", "英文名称 (Title)", "学分（Credits）"],  # noqa: RUF001
        ["课程代码/Course Code", "课程名称/Course Name", "Title/英文名称", "Credits / 学分"],
        ["Code 课程代码", "课程名称", "TITLE|英文名称", "学分：Credits"],  # noqa: RUF001
        ["课程代码\nCourse Code", "课程名称\nCourse Title", "英文名称\nTitle", "学分\nCredits"],
    ],
)
def test_a_catalogue_headed_in_chinese_and_english_imports(header):
    rows = [header, ["K1", "数据库", "Databases", "3"], ["K2", "国际物流", "Logistics", "2.5"]]
    report = course_catalogue_import(content=_csv(rows), file_name="c.csv")

    assert (report.errors, report.ignored_columns, report.created) == ([], [], 2)
    course = Course.objects.get(code="K1")
    assert (course.title, course.title_zh, course.credits) == ("Databases", "数据库", 3)


def test_a_bilingual_cell_naming_a_column_in_one_part_only_names_it():
    """ "课程名称 Course Title": 课程名称 is the Chinese title; "Course Title" names no column,
    so the cell is the Chinese title (which a catalogue naming no other title may give)."""
    rows = [["课程代码 Course Code", "课程名称 Course Title"], ["K1", "数据库"]]
    report = course_catalogue_import(content=_csv(rows), file_name="c.csv")
    assert report.errors == []
    assert Course.objects.get(code="K1").title_zh == "数据库"


@pytest.mark.parametrize(
    ("header", "cell", "columns"),
    [
        (["课程代码 Title", "英文名称"], "课程代码 Title", "code, title"),
        (["code", "学分 (Title)"], "学分 (Title)", "credits, title"),
    ],
)
def test_a_bilingual_cell_naming_two_columns_is_refused(header, cell, columns):
    rows = [header, ["K1", "Databases"]]
    with pytest.raises(ValidationError) as raised:
        course_catalogue_import(content=_csv(rows), file_name="c.csv")
    column = header.index(cell) + 1
    assert raised.value.message_dict["file"] == [
        f"The header row (line 1) column {column}, “{cell}”, names two columns ({columns}): "
        "name one."
    ]
    assert not Course.objects.exists()


def test_a_bilingual_cell_and_another_naming_the_same_column_name_it_twice():
    rows = [["code", "课程代码 Code", "title"], ["K1", "K1", "Databases"]]
    with pytest.raises(ValidationError) as raised:
        course_catalogue_import(content=_csv(rows), file_name="c.csv")
    assert raised.value.message_dict["file"] == [
        "The header row (line 1) names the column “code” twice, as “code” (column 1) and "
        "“课程代码 Code” (column 2): keep one."
    ]


def test_links_headed_in_chinese_and_english_import(staff_client):
    framework = FrameworkFactory(name="跨境电商能力")
    AbilityFactory(framework=framework, code="A1")
    CourseFactory(code="CBE101")
    rows = [
        ["课程 Course", "框架(Framework)", "能力代码/Ability", "等级 Level", "备注 Note"],
        ["CBE101", "跨境电商能力", "A1", "M", "实训"],
    ]
    upload = SimpleUploadedFile("links.csv", _csv(rows))
    response = staff_client.post(
        "/api/v1/course-abilities/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 200, response.content.decode()
    link = CourseAbility.objects.get()
    assert (link.course.code, link.ability.code, link.level.code, link.note) == (
        "CBE101",
        "A1",
        "M",
        "实训",
    )
    # In a link file 课程 is the course, so "课程 Course" names it once.
    rows[0][0] = "课程 Level"
    with pytest.raises(ValidationError, match=r"names two columns \(course, level\)"):
        course_ability_import(content=_csv(rows), file_name="links.csv")
