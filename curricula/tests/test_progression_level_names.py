"""The progression's findings are named by the site's own scale: the engine works by rank (the
lowest level, the higher ones, the highest), but the findings read "Introduced, never reinforced
or mastered" and "Mastery rests on one final-term course" on a nursing school's four-level scale
(whose highest is E, Expert, not Mastered) and on a scale coded 1 to 4. The default scale keeps
its wording word for word."""

import re

import pytest
from django.utils import translation

from curricula.models import ProgrammeCourse
from curricula.progression.engine import MASTERED_FIRST, NEVER_BUILT_ON, SINGLE_POINT
from curricula.progression.selectors import programme_progression
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import Level
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db

# What the default scale's words were: none may show on a scale of other names.
SCALE_WORDS = re.compile(r"introduc|reinforc|master", re.IGNORECASE)


def _findings(lowest: Level, highest: Level) -> dict:
    """A programme in two terms: A1 built to the lowest level only, A2 straight to the highest,
    A3 required at the highest and reached only in the final term. Its findings by kind."""
    first, final = CourseFactory(code="K1"), CourseFactory(code="K2")
    built_low, built_high, required = (AbilityFactory(code=f"A{n}") for n in (1, 2, 3))
    CourseAbilityFactory(course=first, ability=built_low, level=lowest)
    CourseAbilityFactory(course=final, ability=built_high, level=highest)
    CourseAbilityFactory(course=first, ability=required, level=lowest)
    CourseAbilityFactory(course=final, ability=required, level=highest)
    position = PositionFactory()
    RequirementFactory(position=position, ability=required, min_level=highest)
    programme = ProgrammeFactory(courses=[first, final], targets=[position])
    for course, term in ((first, 1), (final, 2)):
        ProgrammeCourse.objects.filter(programme=programme, course=course).update(term=term)
    progression = programme_progression(programme=programme)
    return {finding.kind: finding for finding in progression.findings}


def test_the_default_scale_keeps_its_wording():
    findings = _findings(Level.objects.get(code="I"), Level.objects.get(code="M"))

    assert findings[MASTERED_FIRST].kind_label == (
        "Mastered with no earlier introduction or reinforcement"
    )
    assert findings[MASTERED_FIRST].reason == (
        "K2 brings it to M, and no course of the programme introduces or reinforces it."
    )
    assert findings[NEVER_BUILT_ON].kind_label == "Introduced, never reinforced or mastered"
    assert findings[NEVER_BUILT_ON].reason == (
        "Only K1 builds it, to I; no course reinforces or masters it."
    )
    assert findings[SINGLE_POINT].kind_label == "Mastery rests on one final-term course"


def test_a_four_level_scale_names_its_own_highest_level():
    expert = Level.objects.create(code="E", name="Expert", name_zh="专家", rank=4)

    findings = _findings(Level.objects.get(code="I"), expert)

    assert findings[MASTERED_FIRST].kind_label == (
        "Built to Expert with no earlier course at a lower level (Introduced, Reinforced, Mastered)"
    )
    assert findings[MASTERED_FIRST].reason == (
        "K2 brings it to E, and no course of the programme builds it to a lower level."
    )
    assert findings[NEVER_BUILT_ON].kind_label == (
        "Built to Introduced only, never to a higher level (Reinforced, Mastered, Expert)"
    )
    assert findings[NEVER_BUILT_ON].reason == (
        "Only K1 builds it, to I; no course builds it further."
    )
    assert findings[SINGLE_POINT].kind_label == "Reaching Expert rests on one final-term course"


def test_a_four_level_scale_names_its_levels_in_chinese():
    expert = Level.objects.create(code="E", name="Expert", name_zh="专家", rank=4)

    with translation.override("zh-hans"):
        findings = _findings(Level.objects.get(code="I"), expert)
        labels = [finding.kind_label for finding in findings.values()]

    assert "专家" in findings[MASTERED_FIRST].kind_label
    assert "初步接触" in findings[NEVER_BUILT_ON].kind_label
    assert [label for label in labels if "Expert" in label] == []


def test_a_scale_coded_one_to_four_reads_by_its_own_names():
    Level.objects.all().delete()
    scale = [
        Level.objects.create(code=str(rank), name=name, rank=rank)
        for rank, name in enumerate(["Aware", "Practised", "Capable", "Leading"], start=1)
    ]

    findings = _findings(scale[0], scale[-1])

    assert findings[MASTERED_FIRST].kind_label == (
        "Built to Leading with no earlier course at a lower level (Aware, Practised, Capable)"
    )
    assert findings[NEVER_BUILT_ON].kind_label == (
        "Built to Aware only, never to a higher level (Practised, Capable, Leading)"
    )
    assert findings[SINGLE_POINT].kind_label == "Reaching Leading rests on one final-term course"
    for finding in findings.values():
        assert not SCALE_WORDS.search(finding.kind_label + finding.reason), finding


def test_the_api_and_the_page_word_the_findings_by_the_sites_scale(client, api_client):
    Level.objects.all().delete()
    scale = [
        Level.objects.create(code=str(rank), name=name, rank=rank)
        for rank, name in enumerate(["Aware", "Practised", "Capable", "Leading"], start=1)
    ]
    _findings(scale[0], scale[-1])
    from curricula.models import Programme

    programme = Programme.objects.get()

    body = api_client.get(f"/api/v1/programs/{programme.pk}/progression/").json()
    html = client.get(programme.get_absolute_url()).content.decode()

    labels = {finding["kind_label"] for finding in body["findings"]}
    assert "Reaching Leading rests on one final-term course" in labels
    assert not SCALE_WORDS.search(" ".join(labels))
    assert "Reaching Leading rests on one final-term course" in html


def test_the_api_description_names_no_fixed_scale(api_client):
    """The workbook's and the progression's descriptions said "I/R/M cells" and "mastered with
    no earlier introduction": levels are the site's data."""
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operations = {
        operation["operationId"]: operation
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    workbook = operations["programs_workbook_retrieve"]["description"]
    progression = operations["programs_progression"]["description"]
    assert "I/R/M" not in workbook
    assert "shaded by its level" in workbook
    assert not SCALE_WORDS.search(progression), progression


def test_a_scale_of_one_level_shows_no_finding_with_empty_brackets(client):
    """Observed: on a one-level scale every ability built was found "Built to Covered with no
    earlier course at a lower level ()", a high finding nothing could answer."""
    Level.objects.all().delete()
    covered = Level.objects.create(code="C", name="Covered", rank=1)

    findings = _findings(covered, covered)

    assert MASTERED_FIRST not in findings
    assert NEVER_BUILT_ON not in findings
    from curricula.models import Programme

    html = client.get(Programme.objects.get().get_absolute_url()).content.decode()
    assert "()" not in html
