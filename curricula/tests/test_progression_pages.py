"""The progression view and certification readiness on the programme page and in the printable
report, and programmes without a certification on every programme page."""

import re

import pytest
from django.urls import reverse

from core.models import DegreeLevel
from curricula.models import CertificationCourse, Programme, ProgrammeCourse
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.models import AbilityRelation, RelationType
from positions.tests.factories import (
    AbilityFactory,
    PositionFactory,
    RequirementFactory,
    TrackFactory,
    level,
)


@pytest.fixture
def falling(db):
    """B200 masters X2 in term 3, then C300 only introduces it in term 5; the certification
    lists A100 and D400 for the direction, the programme has A100, B200 and C300."""
    intro, middle, final = (CourseFactory(code=code) for code in ("A100", "B200", "C300"))
    listed_only = CourseFactory(code="D400", title="Listed only")
    ability = AbilityFactory(code="X2", text="Write copy")
    CourseAbilityFactory(course=intro, ability=ability, level=level("I"))
    CourseAbilityFactory(course=middle, ability=ability, level=level("M"))
    CourseAbilityFactory(course=final, ability=ability, level=level("I"))
    position = PositionFactory()
    RequirementFactory(position=position, ability=ability, min_level=level("R"))
    programme = ProgrammeFactory(courses=[intro, middle, final], targets=[position])
    for course, term in ((intro, 1), (middle, 3), (final, 5)):
        ProgrammeCourse.objects.filter(programme=programme, course=course).update(term=term)
    for order, course in enumerate((intro, listed_only)):
        CertificationCourse.objects.create(
            certification=programme.certification, track=programme.track, course=course, order=order
        )
    return programme


def _section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert match, f"no #{section_id} section"
    return match.group(0)


def test_the_programme_page_shows_abilities_by_term_with_the_findings_beside(client, falling):
    response = client.get(falling.get_absolute_url())
    assert response.status_code == 200
    section = _section(response.text, "progression")
    assert [int(t) for t in re.findall(r">Term (\d+)<", section)] == [1, 3, 5]
    row = re.search(r'<tr class="progression-row progression-row--finding".*?</tr>', section, re.S)
    assert row, "the ability's row is marked as raising a finding"
    cells = re.findall(r'<td class="progression-cell">(.*?)</td>', row.group(0), re.S)
    assert [re.findall(r">([IRM])</span>", cell) for cell in cells] == [["I"], ["M"], ["I"]]
    assert "Level falls after a later course" in row.group(0)
    assert "B200 builds it to M in term 3, then C300 only to I in term 5." in row.group(0)
    assert "1 finding: 0 high, 1 medium, 0 low." in section
    assert "term 3, set for this programme" in section


def test_the_page_says_when_a_term_comes_from_the_training_stage(client, falling):
    from certifications.models import TrainingStage

    stage = TrainingStage.objects.create(code="op", name="Actual operation", order=4)
    entry = ProgrammeCourse.objects.get(programme=falling, course__code="C300")
    entry.course.stage = stage
    entry.course.save()
    ProgrammeCourse.objects.filter(pk=entry.pk).update(term=None)
    section = _section(client.get(falling.get_absolute_url()).text, "progression")
    assert "term 4, from its training stage (Actual operation)" in section
    assert [int(t) for t in re.findall(r">Term (\d+)<", section)] == [1, 3, 4]


def test_the_programme_page_says_what_the_certification_list_misses_and_adds(client, falling):
    section = _section(client.get(falling.get_absolute_url()).text, "certification-readiness")
    assert "Not ready" in section
    assert "contains 1 of the 2 courses" in section
    missing = section.split("Missing:")[1].split("</p>")[0]
    added = section.split("Added beyond the list:")[1].split("</p>")[0]
    assert ("D400" in missing, "A100" in missing) == (True, False)
    assert ("B200" in added, "C300" in added, "A100" in added) == (True, True, False)


def test_the_printable_report_carries_the_progression_and_the_readiness(client, falling):
    response = client.get(reverse("curricula:programme-report", args=[falling.pk]))
    assert response.status_code == 200
    assert "C300 only to I in term 5" in _section(response.text, "progression")
    assert "D400" in _section(response.text, "certification-readiness")


def test_a_programme_without_certification_renders_everywhere_with_its_own_degree_level(client, db):
    programme = Programme.objects.create(
        name="BSc Digital Commerce", track=TrackFactory(), own_degree_level=DegreeLevel.MASTER
    )
    for url in (
        programme.get_absolute_url(),
        reverse("curricula:programme-report", args=[programme.pk]),
        reverse("curricula:programme-list"),
        reverse("home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Master" in response.text, url
    page = client.get(programme.get_absolute_url()).text
    assert "no certification recorded" in page
    # Readiness does not apply: no section says so (the header says none is recorded).
    assert 'id="certification-readiness"' not in page
    workbook = client.get(reverse("curricula:programme-workbook", args=[programme.pk]))
    assert workbook.status_code == 200


def test_the_papers_programmes_are_ready_and_show_their_progression(client, paper):
    for programme in Programme.objects.all():
        html = client.get(programme.get_absolute_url()).text
        assert "Ready" in _section(html, "certification-readiness"), programme.name
        assert "Not ready" not in html
        assert _section(html, "progression")


def test_the_programme_page_query_count_does_not_grow_with_the_progression(
    client, falling, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(falling.get_absolute_url())
    extra = [CourseFactory() for _ in range(6)]
    for index, course in enumerate(extra):
        for _ in range(3):
            CourseAbilityFactory(course=course, level=level("IRM"[index % 3]))
        ProgrammeCourse.objects.create(programme=falling, course=course, term=index + 1)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(falling.get_absolute_url())


def test_the_progression_says_which_required_ability_a_crosswalked_one_stands_in_for(client, db):
    required_ability = AbilityFactory(code="X1", text="Plan a campaign")
    mirror = AbilityFactory(code="Y1", text="Plan campaigns")
    AbilityRelation.objects.create(
        source=mirror, target=required_ability, relation_type=RelationType.EXACT_MATCH_OF
    )
    final = CourseFactory(code="C300")
    CourseAbilityFactory(course=final, ability=mirror, level=level("M"))
    position = PositionFactory()
    RequirementFactory(position=position, ability=required_ability, min_level=level("M"))
    programme = ProgrammeFactory(courses=[final], targets=[position])
    ProgrammeCourse.objects.filter(programme=programme).update(term=4)
    section = _section(client.get(programme.get_absolute_url()).text, "progression")
    row = re.search(
        rf'<tr class="progression-row[^"]*" data-ability="{mirror.pk}">.*?</tr>', section, re.S
    )
    assert row
    via = re.search(r'<span class="muted progression-via" title="([^"]*)">([^<]*)</span>', row[0])
    assert via, "the required level says where it comes from"
    assert via.groups() == (
        "Required of Plan a campaign, which this ability stands in for (exact match)",
        "via X1",
    )
    assert "Mastery rests on one final-term course" in row.group(0)


def test_abilities_without_a_code_are_named_by_their_statement(client, db):
    """Abilities imported without codes (ESCO skills, a university's own list) are named, not
    left blank, wherever the progression refers to one: its row, the required ability it stands
    in for, the printable report and `manage.py progression`."""
    from io import StringIO

    from django.core.management import call_command

    required_ability = AbilityFactory(code="", text="Plan a campaign")
    mirror = AbilityFactory(code="", text="Plan campaigns")
    AbilityRelation.objects.create(
        source=mirror, target=required_ability, relation_type=RelationType.EXACT_MATCH_OF
    )
    final = CourseFactory(code="C300")
    CourseAbilityFactory(course=final, ability=mirror, level=level("M"))
    position = PositionFactory()
    RequirementFactory(position=position, ability=required_ability, min_level=level("M"))
    programme = ProgrammeFactory(name="Campaigns", courses=[final], targets=[position])
    ProgrammeCourse.objects.filter(programme=programme).update(term=4)

    for url in [
        programme.get_absolute_url(),
        reverse("curricula:programme-report", args=[programme.pk]),
    ]:
        section = _section(client.get(url).text, "progression")
        row = re.search(
            rf'<tr class="progression-row[^"]*" data-ability="{mirror.pk}">.*?</tr>', section, re.S
        )
        assert row, url
        assert re.search(r'<th scope="row">\s*Plan campaigns\s*</th>', row[0]), url
        assert ">via Plan a campaign</span>" in row[0], url
        assert "None" not in section, url

    out = StringIO()
    call_command("progression", "--program", str(programme.pk), stdout=out)
    finding = next(line for line in out.getvalue().splitlines() if line.lstrip().startswith("["))
    assert "Plan campaigns" in finding
    assert "]  " not in finding, "no blank where the ability's code would be"
