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
