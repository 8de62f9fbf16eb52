"""A label the data gives (a position's name, a course's title, where an import's problem is)
and its value read as one message, "%(label)s: %(value)s", so that a page in Chinese writes the
full-width colon its translation has (职位：至少 ...), not an ASCII one after the label."""  # noqa: RUF002

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from curricula.models import ProgrammeCourse
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory, level

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.mark.parametrize(("language", "colon"), [("en", ": "), ("zh-hans", "：")])  # noqa: RUF001
def test_the_labelled_tag_writes_the_colon_of_the_message_s_translation(language, colon):
    template = Template(
        "{% load labels %}{% labelled %}<strong>{{ where }}</strong>{% value %}"
        "{{ message }}{% endlabelled %}"
    )
    with translation.override(language):
        html = template.render(Context({"where": "line 3", "message": "a < b"}))
    # Both parts escaped as any template text; the markup written in the template kept.
    assert html == f"<strong>line 3</strong>{colon}a &lt; b"


@pytest.fixture
def programme():
    course = CourseFactory(code="K1", title="Databases")
    ability = AbilityFactory(code="D1")
    CourseAbilityFactory(course=course, ability=ability, level=level("R"))
    position = PositionFactory(name="Analyst", name_zh="分析师")
    RequirementFactory(position=position, ability=ability, min_level=level("M"))
    programme = ProgrammeFactory(courses=[course], targets=[position])
    ProgrammeCourse.objects.filter(programme=programme).update(term=3)
    return programme, course, ability


def test_a_cell_s_panel_in_chinese_writes_the_full_width_colon(client, programme):
    programme, course, ability = programme
    url = reverse("curricula:programme-ability", args=[programme.pk, ability.pk])
    english = client.get(url, {"course": course.pk}, headers={"X-Map-Editor": "1"}).text
    chinese = client.get(url, {"course": course.pk}, headers={"X-Map-Editor": "1"}, **ZH).text
    assert "Analyst: at least Mastered" in english
    assert "分析师：" in chinese  # noqa: RUF001
    assert "分析师: " not in chinese


def test_the_progression_s_terms_in_chinese_write_the_full_width_colon(client, programme):
    programme = programme[0]
    english = client.get(programme.get_absolute_url()).text
    chinese = client.get(programme.get_absolute_url(), **ZH).text
    assert "Databases: term 3, set for this programme" in english
    assert "Databases：" in chinese  # noqa: RUF001
    assert "Databases: " not in chinese


def test_the_overview_s_largest_gaps_in_chinese_write_the_full_width_colon(client):
    from curricula.coverage.services import coverage_recompute
    from positions.tests.factories import CompetencyAreaFactory

    area = CompetencyAreaFactory(name="Data", name_zh="数据")
    position = PositionFactory()
    RequirementFactory(position=position, ability=AbilityFactory(area=area))
    ProgrammeFactory(targets=[position])
    coverage_recompute(force=True)

    english = client.get(reverse("home")).text
    chinese = client.get(reverse("home"), **ZH).text
    assert '<span class="gap-chip">Data: 1 missing</span>' in english
    assert '<span class="gap-chip">数据：' in chinese  # noqa: RUF001
