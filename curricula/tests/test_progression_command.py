"""`manage.py progression`: the findings printed, a term plan tried without saving, bad input."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from curricula.models import ProgrammeCourse
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, level


@pytest.fixture
def programme(db):
    early, late = CourseFactory(code="E1"), CourseFactory(code="L9")
    ability = AbilityFactory(code="K1")
    CourseAbilityFactory(course=early, ability=ability, level=level("M"))
    CourseAbilityFactory(course=late, ability=ability, level=level("R"))
    programme = ProgrammeFactory(name="Hand-made", courses=[early, late])
    ProgrammeCourse.objects.filter(course=early).update(term=1)
    ProgrammeCourse.objects.filter(course=late).update(term=2)
    return programme


def run(*args) -> str:
    out = StringIO()
    call_command("progression", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_each_finding_with_its_courses_and_reason(programme):
    text = run("--program", str(programme.pk), "--markdown")
    assert "### Hand-made" in text
    assert "| High | Mastered with no earlier introduction or reinforcement | K1" in text
    assert "| E1, L9 | E1 brings it to M in term 1; the first groundwork, L9 at R" in text
    assert "E1 builds it to M in term 1, then L9 only to R in term 2." in text


def test_a_term_plan_is_tried_without_being_saved(programme):
    text = run("--program", str(programme.pk), "--plan", "L9=1", "--plan", "E1=3")
    assert "Mastered" not in text
    assert "No findings." in text
    assert set(ProgrammeCourse.objects.values_list("term", flat=True)) == {1, 2}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--program", "999999"], "No programme with id 999999"),
        (["--plan", "E1"], "CODE=TERM"),
        (["--plan", "E1=0"], "CODE=TERM"),
        (["--plan", "NOPE=2"], "No course has the code NOPE"),
    ],
)
def test_bad_arguments_are_command_errors(programme, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
