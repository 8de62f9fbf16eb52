"""A level named in any of the site's languages is that level, whatever the interface's language:
a bilingual office pastes from sheets in English and in Chinese. "熟练掌握" pasted into the map
editor with the page in English, or "Mastered" with it in Chinese, was refused as "not a level",
and a link file could name a level by its code only. Codes and names in any case keep working; a
text that names two levels is refused, not read as either."""

import pytest
from django.utils import translation

from curricula.models import CourseAbility
from curricula.selectors.maps import CellInput, map_change_plan
from curricula.services import course_ability_import
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import Level
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "zh-hans"]
# What each text names, in either interface language.
NAMED = [
    ("熟练掌握", "M"),
    ("Mastered", "M"),
    ("mastered", "M"),
    ("Ｍ", "M"),  # noqa: RUF001 - a full-width code, as a Chinese input method types it
    ("r", "R"),
]


@pytest.fixture
def grid():
    position = PositionFactory()
    ability = AbilityFactory(code="A1")
    RequirementFactory(position=position, ability=ability)
    course = CourseFactory(code="K1")
    programme = ProgrammeFactory(courses=[course], targets=[position])
    return programme, course, ability


def _plan(programme, course, ability, text):
    return map_change_plan(programme=programme, cells=[CellInput(course.pk, ability.pk, text)])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("text", "code"), NAMED)
def test_the_map_editor_reads_a_level_named_in_either_language(grid, language, text, code):
    programme, course, ability = grid
    with translation.override(language):
        plan = _plan(programme, course, ability, text)
    assert plan.errors == []
    (cell,) = plan.cells
    assert cell.kind == "create"
    assert cell.after.code == code


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_map_editor_refuses_a_name_two_levels_share(grid, language):
    programme, course, ability = grid
    # A level staff named in Chinese, with the name the default scale's Mastered reads as.
    Level.objects.create(code="X", name="熟练掌握", rank=9)
    with translation.override(language):
        plan = _plan(programme, course, ability, "熟练掌握")
        unknown = _plan(programme, course, ability, "熟练")
    assert len(plan.errors) == 1
    assert "not a level" in plan.errors[0] or "不是" in plan.errors[0]
    assert len(unknown.errors) == 1


def _link_file(ability, level_text):
    return (
        f"course,framework,ability,level,note\nK1,{ability.framework.identifier},A1,{level_text},\n"
    ).encode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("text", "code"), NAMED)
def test_a_link_file_names_a_level_in_either_language(language, text, code):
    CourseFactory(code="K1")
    ability = AbilityFactory(code="A1")
    with translation.override(language):
        report = course_ability_import(content=_link_file(ability, text), file_name="links.csv")
    assert report.ok, report.errors
    assert CourseAbility.objects.get().level.code == code


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_link_file_naming_two_levels_at_once_is_refused_with_its_line(language):
    CourseFactory(code="K1")
    ability = AbilityFactory(code="A1")
    Level.objects.create(code="X", name="熟练掌握", rank=9)
    with translation.override(language):
        report = course_ability_import(
            content=_link_file(ability, "熟练掌握"), file_name="links.csv"
        )
    assert not report.ok
    (error,) = report.errors
    assert error["line"] == 2
    message = str(error["errors"])
    assert "熟练掌握" in message
    assert "more than one level" in message or "不止一个等级" in message
    assert not CourseAbility.objects.exists()
