"""A designer's own link sheet names a course, an ability's code and a level: observed (a nursing
school with one framework, its own) "The file lacks the column(s): framework" for a sheet headed
Course Code, Ability Code, Level, and a designer left to look up the framework's identifier in
an export to fill a column with the same value on every line. The framework column is optional:
an ability code only one framework has is that framework's ability; a code several frameworks
share is refused on its line, naming them, never a guess."""

import pytest

from curricula.models import CourseAbility
from curricula.services import course_ability_import
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db


def test_a_sheet_without_the_framework_column_links_the_one_ability_with_each_code():
    nursing = FrameworkFactory(name="BSc Nursing Proficiencies")
    other = FrameworkFactory(name="ESCO skills")
    medicines = AbilityFactory(framework=nursing, code="P4.1")
    AbilityFactory(framework=other, code="S1.1")
    CourseFactory(code="NUR201")
    content = b"Course Code,Ability Code,Level\nNUR201,P4.1,M\n"

    report = course_ability_import(content=content, file_name="links.csv")

    assert report.ok, report.errors
    link = CourseAbility.objects.get()
    assert (link.course.code, link.ability_id, link.level.code) == ("NUR201", medicines.pk, "M")


def test_a_code_several_frameworks_share_is_refused_on_its_line_naming_them():
    for name in ("BSc Nursing Proficiencies", "Midwifery standards"):
        AbilityFactory(framework=FrameworkFactory(name=name), code="P1")
    CourseFactory(code="NUR101")
    content = b"course,ability,level\nNUR101,P1,I\n"

    report = course_ability_import(content=content, file_name="links.csv")

    assert not report.ok
    [problem] = report.errors
    assert problem["line"] == 2
    message = " ".join(problem["errors"]["ability"])
    assert "several frameworks" in message
    assert "BSc Nursing Proficiencies" in message
    assert "Midwifery standards" in message
    assert "framework column" in message
    assert not CourseAbility.objects.exists()


def test_a_code_no_framework_has_is_refused_saying_so():
    FrameworkFactory(name="BSc Nursing Proficiencies")
    CourseFactory(code="NUR101")
    content = b"course,ability,level\nNUR101,P9,I\n"

    report = course_ability_import(content=content, file_name="links.csv")

    assert not report.ok
    message = " ".join(report.errors[0]["errors"]["ability"])
    assert "No framework has an ability whose code, external identifier or URI is “P9”" in message
