"""Files saved by LibreOffice Calc, the spreadsheet many curriculum designers use, read by the
imports as Calc shows them. The files are in fixtures/libreoffice/, made by LibreOffice 7.4 as
its README says; the tests need no LibreOffice."""

from decimal import Decimal
from pathlib import Path

import pytest

from curricula.map_imports import ABILITIES_AS_ROWS, map_import_plan
from curricula.models import Course
from curricula.services import course_catalogue_import
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "libreoffice"

# The catalogue typed in Calc (catalogue-typed.fods) as Calc shows it: a code typed 7 in a column
# formatted 000, another typed 1.1 in a column formatted 0.00, a date, a TRUE, credits formatted
# 0.00, a title typed as '=… (text), a number as a title, two paragraphs in one cell.
TYPED_CATALOGUE = {
    "007": ("Data structures", "数据结构", "2024-09-01", Decimal("3.5")),
    "008": ("=Not a formula", "离散数学", "TRUE", Decimal("3")),
    "1.10": ("101", "计算机导论", "第一行\n第二行", Decimal("2")),
}


def _imported(file_name: str) -> dict[str, tuple]:
    report = course_catalogue_import(
        content=(FIXTURES / file_name).read_bytes(), file_name=file_name
    )
    assert report.ok, report.errors
    assert report.created == 3
    return {
        course.code: (course.title, course.title_zh, course.description, course.credits)
        for course in Course.objects.all()
    }


def test_a_catalogue_calc_saved_as_csv_imports_as_calc_shows_it():
    """Observed: Calc saves a CSV as its cells show (its default), credits formatted 0.00 as
    3.50 and 3.00, which the import refused ("no more than 1 decimal place"): the same number
    as 3.5 and 3, with zeros after it."""
    assert _imported("catalogue-typed.csv") == TYPED_CATALOGUE


def test_a_catalogue_calc_saved_as_xlsx_imports_as_the_csv_calc_saves_of_it():
    """Observed: the same sheet saved as XLSX imported courses "7" and "1.1" (numbers whose
    format shows 007 and 1.10), descriptions "2024-09-01 00:00:00" (a date shown without a time)
    and "True" (a logical cell, which Calc shows TRUE). Read as shown, as the CSV Calc saves of it
    is; the Notes sheet after it and the formatted empty rows below the table are not read."""
    assert _imported("catalogue-typed.xlsx") == TYPED_CATALOGUE


@pytest.fixture
def matrix_programme():
    """A programme with courses 007, 101 and K2 whose target requires indicators 1.10, 2.1 and
    1.1 of one framework: 1.1 is what a sheet read 1.10 as when it took the number for the code."""
    position = PositionFactory()
    first = AbilityFactory(code="1.10", text="Plan campaigns", text_zh="策划活动")
    for code, text_zh in (("2.1", "沟通协作"), ("1.1", "需求分析")):
        AbilityFactory(code=code, text=text_zh, text_zh=text_zh, framework=first.framework)
    for ability in first.framework.abilities.all():
        RequirementFactory(position=position, ability=ability)
    courses = [CourseFactory(code=code) for code in ("007", "101", "K2")]
    return ProgrammeFactory(courses=courses, targets=[position])


@pytest.mark.parametrize("file_name", ["map-typed.csv", "map-typed.xlsx"])
def test_a_chinese_map_matrix_calc_saved_is_read_at_the_indicators_calc_shows(
    matrix_programme, file_name
):
    """A 课程支撑矩阵 typed in Calc (map-typed.fods): indicators as rows under a title, 1.10 the
    number 1.1 formatted 0.00, course 007 the number 7 formatted 000. Observed: the XLSX read
    course "7" (no such course) and indicator 1.10 as 1.1, another indicator of the map, whose
    cell it would have filled; the CSV Calc saves of it (semicolons, text quoted) read them as
    shown."""
    report = map_import_plan(
        programme=matrix_programme,
        content=(FIXTURES / file_name).read_bytes(),
        file_name=file_name,
    )
    assert report.ok, report.problem_messages()
    assert report.orientation == ABILITIES_AS_ROWS
    assert {
        (cell.course_code, cell.ability_code, cell.after.code) for cell in report.plan.changes
    } == {
        ("007", "1.10", "M"),
        ("101", "2.1", "M"),
        ("K2", "1.10", "I"),
        ("K2", "2.1", "R"),
    }


def test_credits_with_zeros_after_them_past_the_column_are_refused_on_their_line():
    """A number of thirty digits and a decimal zero, shortened as 3.50 is, is still more digits
    than credits keep: refused on its line, as before (the shortening never fails the import)."""
    report = course_catalogue_import(
        content=b"code,title,credits\nX1,t,123456789012345678901234567890.0\n",
        file_name="c.csv",
        dry_run=True,
    )
    assert [problem["line"] for problem in report.errors] == [2]
    assert "credits" in report.errors[0]["errors"]
