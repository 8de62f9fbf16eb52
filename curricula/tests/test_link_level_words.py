"""The link import reads a level written as a word for it, when the word is close to one level's
name only: observed "Mastery", "mastered", "Intro", "reinforcement", 掌握, 熟练 and 初步 refused as
"Unknown level code" in a nurse educator's sheet, where each can mean one level of the scale.
A word close to two levels' names is still refused, naming them, never a guess."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from curricula.models import CourseAbility
from curricula.tests.factories import CourseFactory
from positions.models import Level
from positions.selectors import levels_named
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

WORDS = {
    "Mastery": "M",
    "mastered": "M",
    "MASTER": "M",
    "Intro": "I",
    "introduction": "I",
    "reinforcement": "R",
    "Reinforce": "R",
    "掌握": "M",
    "熟练": "M",
    "初步": "I",
    "巩固": "R",
}


def _import(client, rows: list[tuple[str, str]]):
    framework = FrameworkFactory(name="Nursing")
    lines = ["course,framework,ability,level"]
    for index, (_word, level) in enumerate(rows):
        course = CourseFactory(code=f"N{index}")
        AbilityFactory(framework=framework, code=f"A{index}")
        lines.append(f"{course.code},Nursing,A{index},{level}")
    upload = SimpleUploadedFile("links.csv", "\n".join(lines).encode(), content_type="text/csv")
    return client.post("/api/v1/course-abilities/import/", {"file": upload}, format="multipart")


def test_a_word_close_to_one_level_s_name_reads_as_that_level(staff_client):
    rows = list(WORDS.items())
    response = _import(staff_client, [(word, word) for word, _code in rows])
    assert response.status_code == 200, response.content
    read = dict(CourseAbility.objects.values_list("course__code", "level__code"))
    assert read == {f"N{index}": code for index, (_word, code) in enumerate(rows)}


@pytest.mark.parametrize(
    "word", ["Intermediate", "Expert", "in", "M1", "掌", "精通", "Masterclass", "Introspection"]
)
def test_a_word_close_to_no_level_is_refused(word):
    assert levels_named(word, Level.objects.all()) == []


def test_a_word_close_to_two_levels_is_refused_naming_them(staff_client):
    Level.objects.create(code="X", name="Mastering", rank=4)
    response = _import(staff_client, [("Mastery", "Mastery")])
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["errors"]["level"] == [
        "“Mastery” could be more than one level (M Mastered, X Mastering): give its code."
    ]
    assert not CourseAbility.objects.exists()
    # A level's own name is still read as it.
    assert [level.code for level in levels_named("mastered", Level.objects.all())] == ["M"]


# A Chinese syllabus (教学大纲) states each outcome's depth in three tiers, 了解 < 理解 (熟悉) <
# 掌握, which the suggestion engine reads as I, R, M (suggestions.engine.outcomes). Observed: a
# civil engineering designer's course-objective matrix pasted into the map with 了解 and 熟悉 was
# refused ("“熟悉” is not a level"), while the review page had proposed R from the same word.
SYLLABUS_TIERS = {"了解": "I", "理解": "R", "熟悉": "R", "掌握": "M"}


def test_a_chinese_syllabus_tier_pasted_into_the_map_is_its_level():
    from curricula.selectors.maps import CellInput, map_change_plan
    from curricula.tests.factories import ProgrammeFactory
    from positions.tests.factories import PositionFactory, RequirementFactory, level

    position = PositionFactory(name="Site engineer")
    abilities = [AbilityFactory(code=f"GA{n}") for n in range(len(SYLLABUS_TIERS))]
    for ability in abilities:
        RequirementFactory(position=position, ability=ability, min_level=level("M"))
    course = CourseFactory(code="CON401")
    programme = ProgrammeFactory(courses=[course], targets=[position])
    cells = [
        CellInput(course_id=course.pk, ability_id=ability.pk, code=word)
        for ability, word in zip(abilities, SYLLABUS_TIERS, strict=True)
    ]

    plan = map_change_plan(programme=programme, cells=cells)

    assert plan.errors == []
    read = {cell.ability_code: cell.after.code for cell in plan.cells}
    assert read == {
        ability.code: code for ability, code in zip(abilities, SYLLABUS_TIERS.values(), strict=True)
    }


def test_the_link_import_reads_a_chinese_syllabus_tier_as_its_level(staff_client):
    rows = list(SYLLABUS_TIERS.items())
    response = _import(staff_client, [(word, word) for word, _code in rows])
    assert response.status_code == 200, response.content
    read = dict(CourseAbility.objects.values_list("course__code", "level__code"))
    assert read == {f"N{index}": code for index, (_word, code) in enumerate(rows)}


def test_a_middle_syllabus_tier_names_no_level_on_a_scale_of_two():
    """Levels are data: a scale of two levels has no middle level for 理解 and 熟悉, which name
    none; 了解 and 掌握 are its lowest and highest (see positions.selectors.level_of_tier)."""
    Level.objects.all().delete()
    Level.objects.create(code="1", name="Beginner", rank=1)
    Level.objects.create(code="2", name="Expert", rank=2)
    assert levels_named("熟悉", Level.objects.all()) == []
    assert [level.code for level in levels_named("了解", Level.objects.all())] == ["1"]
    assert [level.code for level in levels_named("掌握", Level.objects.all())] == ["2"]


@pytest.mark.parametrize(
    ("codes", "read_as"),
    [
        (("1", "2", "3"), {"了解": "1", "理解": "2", "熟悉": "2", "掌握": "3"}),
        (("L1", "L2", "L3", "L4"), {"了解": "L1", "理解": "L3", "熟悉": "L3", "掌握": "L4"}),
    ],
)
def test_the_link_import_reads_the_syllabus_tiers_on_a_scale_of_other_codes_by_rank(
    staff_client, codes, read_as
):
    """Observed: on a field's scale coded 1, 2, 3 (or of four levels) the link import refused
    了解, 理解, 熟悉 and 掌握 as unknown levels, read only on a scale whose codes are I, R, M."""
    Level.objects.all().delete()
    for rank, code in enumerate(codes, start=1):
        Level.objects.create(code=code, name=f"Stage {code}", rank=rank)
    rows = list(read_as.items())
    response = _import(staff_client, [(word, word) for word, _code in rows])
    assert response.status_code == 200, response.content
    read = dict(CourseAbility.objects.values_list("course__code", "level__code"))
    assert read == {f"N{index}": code for index, (_word, code) in enumerate(rows)}


def test_in_chinese_an_unknown_level_lists_the_codes_as_chinese_lists_them(staff_client):
    """Observed beside the map's paste preview: the link import's refusal of a level no code or
    name reads listed the known codes with English commas inside the Chinese sentence
    (已知代码 I, R, M). They are joined by the catalogue's separator."""
    staff_client.credentials(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = _import(staff_client, [("Z", "Z")])
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["errors"]["level"] == ["未知的等级代码“Z”（已知代码：I、R、M）。"]  # noqa: RUF001
