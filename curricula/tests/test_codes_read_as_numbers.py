"""A code a spreadsheet read as a number is named where an import refuses it. Observed: a CSV
download opened in LibreOffice Calc or Excel with default settings comes back with course 007 as
7 and indicator 1.10 as 1.1, and the import said only "No course has the code “7”". The refusal
now names the known codes it may have been (core.number_codes), at every door that looks codes
up: the map import, the course-ability link import (course and ability), the requirement
import (ability)."""

import pytest
from django.utils import translation

from curricula.map_imports import map_import_plan
from curricula.services import course_ability_import, requirement_import
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db

HINT = "A spreadsheet may have read the code as a number"


def _map(programme, *lines: str) -> list[str]:
    content = ("\n".join(lines) + "\n").encode()
    report = map_import_plan(programme=programme, content=content, file_name="map.csv")
    return [f"{p.line},{p.column}: {p.message}" for p in report.problems]


@pytest.fixture
def numbered_programme():
    position = PositionFactory()
    for code in ("1.10", "1.2", "2.1"):
        RequirementFactory(position=position, ability=AbilityFactory(code=code))
    courses = [CourseFactory(code=code) for code in ("007", "K1")]
    return ProgrammeFactory(courses=courses, targets=[position])


def test_the_map_import_names_the_course_and_ability_a_number_may_have_been(numbered_programme):
    problems = _map(
        numbered_programme,
        "course code,1.2,1.1,2.1",
        "7,M,,",
        "K1,,R,",
    )
    assert problems == [
        "1,3: No ability has the code “1.1”. Did you mean “1.10”? " + HINT + ": set its column "
        "to Text when opening the CSV, or edit the XLSX download, which keeps codes as text.",
        "2,1: No course has the code “7”. Did you mean “007”? " + HINT + ": set its column to "
        "Text when opening the CSV, or edit the XLSX download, which keeps codes as text.",
    ]


def test_the_map_import_says_nothing_more_of_a_code_no_number_explains(numbered_programme):
    problems = _map(numbered_programme, "course code,1.2,NOPE", "K9,M,R", "K1,,R")
    assert problems == [
        "1,3: No ability has the code “NOPE”.",
        "2,1: No course has the code “K9”.",
    ]


def test_the_hint_is_said_in_the_page_language(numbered_programme):
    CourseFactory(code="07")
    numbered_programme.courses.add(*CourseFactory._meta.model.objects.filter(code="07"))
    with translation.override("zh-hans"):
        problems = _map(numbered_programme, "course code,1.2", "K1,R", "7,M")
    [problem] = problems
    # The refusal in Chinese, the codes listed as Chinese lists them: the sentence is built in
    # the page's language (its msgid goes to the catalogue with the others).
    assert problem.startswith("3,1: 没有代码为“7”的课程。")
    assert "“07”、“007”" in problem


def _links(*rows: str) -> list[str]:
    content = ("course,framework,ability,level\n" + "\n".join(rows) + "\n").encode()
    report = course_ability_import(content=content, file_name="links.csv", dry_run=True)
    assert not report.ok
    return [m for error in report.errors for ms in error["errors"].values() for m in ms]


def test_the_link_import_names_the_course_a_number_may_have_been():
    framework = FrameworkFactory(name="Own", version="")
    AbilityFactory(framework=framework, code="A1")
    CourseFactory(code="007")
    [message] = _links(f"7,{framework.identifier},A1,M")
    assert message.startswith("Unknown course code “7”. Did you mean “007”? " + HINT)


def test_the_link_import_names_the_ability_a_number_may_have_been():
    framework = FrameworkFactory(name="Own", version="")
    AbilityFactory(framework=framework, code="1.10")
    AbilityFactory(framework=FrameworkFactory(name="Other"), code="1.100")
    CourseFactory(code="C1")
    [within] = _links(f"C1,{framework.identifier},1.1,M")
    assert within.startswith("Framework “Own” has no ability whose code")
    # Only the framework's own codes: 1.100 is another framework's.
    assert "Did you mean “1.10”? " + HINT in within
    [anywhere] = _links("C1,,1.1,M")
    assert "Did you mean one of “1.10”, “1.100”? " + HINT in anywhere
    [unexplained] = _links(f"C1,{framework.identifier},NOPE,M")
    assert "Did you mean" not in unexplained


def test_the_requirement_import_names_the_ability_a_number_may_have_been():
    AbilityFactory(code="1.10")
    content = b"position,ability,importance,min_level\nP1,1.1,essential,M\n"
    report = requirement_import(content=content, file_name="requirements.csv", dry_run=True)
    assert not report.ok
    messages = [m for error in report.errors for ms in error["errors"].values() for m in ms]
    assert any("Did you mean “1.10”? " + HINT in m for m in messages), messages


def test_two_codes_a_spreadsheet_made_one_number_are_said_at_the_second(numbered_programme):
    """Silent otherwise: with 1.1 and 1.10 both required, a spreadsheet's 1.10 -> 1.1 reads as
    1.1 twice, and 007 -> 7 beside a course 7 as 7 twice. The repetition is the certain trace;
    its problem says what most likely made it."""
    position = numbered_programme.targets.get().position
    RequirementFactory(position=position, ability=AbilityFactory(code="1.1"))
    numbered_programme.courses.add(CourseFactory(code="7"))
    problems = _map(numbered_programme, "course code,1.1,1.2,1.1", "7,M,,", "K1,,R,", "7,,R,")
    assert problems == [
        "1,4: 1.1 is also column B. Did you mean “1.10”? " + HINT + ": set its column to Text "
        "when opening the CSV, or edit the XLSX download, which keeps codes as text.",
        "4,1: 7 is also on line 2. Did you mean “007”? " + HINT + ": set its column to Text "
        "when opening the CSV, or edit the XLSX download, which keeps codes as text.",
    ]
    # Codes repeated that no number explains are said as before.
    assert _map(numbered_programme, "course code,1.2,1.2", "K1,M,") == [
        "1,3: 1.2 is also column B."
    ]
