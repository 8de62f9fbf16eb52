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


@pytest.mark.parametrize(("language", "colon", "space"), [("en", ":", " "), ("zh-hans", "：", "")])  # noqa: RUF001
def test_a_muted_label_keeps_its_colon_and_the_template_s_layout_is_left_out(
    language, colon, space
):
    template = Template(
        '{% load labels %}{% labelled class="muted" %}\n  {{ label }}\n{% value %}\n'
        "  <a>{{ value }}</a>\n{% endlabelled %}"
    )
    with translation.override(language):
        html = template.render(Context({"label": "Matched", "value": "a < b"}))
    assert html == f'<span class="muted">Matched{colon}</span>{space}<a>a &lt; b</a>'


@pytest.mark.parametrize("arguments", ["muted", 'class="muted', 'class="a" class="b"', "id='x'"])
def test_the_labelled_tag_takes_only_a_class(arguments):
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template(
            f"{{% load labels %}}{{% labelled {arguments} %}}a{{% value %}}b{{% endlabelled %}}"
        )


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


def _labelled(label: str, value: str, *, context: str | None = None) -> str:
    """A label and its value as the catalogue writes them, in the language active."""
    text = translation.pgettext(context, label) if context else translation.gettext(label)
    return translation.gettext("%(label)s: %(value)s") % {"label": text, "value": value}


def test_chinese_pages_write_no_space_after_a_label_s_full_width_colon(
    client, paper, chinese_stand_in
):
    """The full-width colon (方向：) carries its own spacing: a Chinese page writes the value
    straight after it, where the English writes "Track: Research and development"."""  # noqa: RUF002
    from curricula.models import Programme
    from positions.models import Track

    chinese_stand_in("other names", "also")
    programme = Programme.objects.filter(track__isnull=False).order_by("pk").first()
    research = Track.objects.get(name="Research and development")
    pages = {
        "programme": programme.get_absolute_url(),
        "report": reverse("curricula:programme-report", args=[programme.pk]),
        "certifications": reverse("certifications:list"),
        "positions": reverse("positions:list"),
    }
    chinese = {name: client.get(url, **ZH).content.decode() for name, url in pages.items()}
    english = {name: client.get(url).content.decode() for name, url in pages.items()}

    with translation.override("zh-hans"):
        track = _labelled("Track", programme.track.display_name)
        targets = _labelled("Prepares for", "")
        alias = _labelled("also", research.display_aliases[0], context="other names")
    assert track in chinese["programme"]
    assert track in chinese["report"]
    assert _labelled("Track", programme.track.name) in english["programme"]
    assert f"Track: {programme.track.name}" in english["report"]
    assert f"{targets}<a href=" in chinese["programme"]
    assert f"{targets} " not in chinese["report"]
    assert targets in chinese["report"]
    assert alias in chinese["certifications"]
    assert alias in chinese["positions"]
    assert "also: Technological development, technology development" in english["positions"]
    assert "also: Technological development" in english["certifications"]


def test_the_ability_page_in_chinese_writes_no_space_after_a_label(client, programme):
    """要求方：分析师 on a cell's page."""  # noqa: RUF002
    programme, _course, ability = programme
    url = reverse("curricula:programme-ability", args=[programme.pk, ability.pk])
    chinese = client.get(url, **ZH).content.decode()
    english = client.get(url).content.decode()
    with translation.override("zh-hans"):
        required = _labelled("Required by", "分析师")
    assert required in chinese
    assert "Required by: Analyst" in english
