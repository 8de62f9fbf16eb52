"""A record's text marked with its language (core.i18n.in_language) where the record's own
`language` is blank but its framework states one, on every page that shows abilities: an
English ability of an English framework, with no Chinese text, is read with an English voice
on a Chinese page. Taken with the page's reads, at no query per row. Traditional Chinese is
marked zh-Hant, not zh-Hans."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.i18n import in_language, text_language
from curricula.coverage.services import coverage_recompute
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db


def build(size: int) -> dict:
    """`size` English abilities of as many English frameworks, none with a language of its own
    nor a Chinese text, each required by one position and partly built by one course of one
    programme (so the map, the progression and the gap report all list them)."""
    position = PositionFactory(name="Analyst", name_zh="分析师")
    course = CourseFactory(title="Data", title_zh="数据")
    abilities = []
    for number in range(size):
        framework = FrameworkFactory(language="en")
        ability = AbilityFactory(
            framework=framework, code=f"E{number}", text=f"clean data {number}", language=""
        )
        RequirementFactory(position=position, ability=ability, min_level=level("M"))
        CourseAbilityFactory(course=course, ability=ability, level=level("R"))
        abilities.append(ability)
    programme = ProgrammeFactory(courses=[course], targets=[position])
    other = ProgrammeFactory(courses=[], targets=[position])
    coverage_recompute(force=True)
    return {
        "programme": programme,
        "other": other,
        "position": position,
        "course": course,
        "abilities": abilities,
    }


def pages(data: dict) -> dict[str, str]:
    programme = data["programme"]
    return {
        "programme": f"/programs/{programme.pk}/",
        "report": f"/programs/{programme.pk}/report/",
        "compare": f"/programs/compare/?p={programme.pk}&p={data['other'].pk}",
        "position": f"/positions/{data['position'].pk}/",
        "course": f"/courses/{data['course'].pk}/",
    }


def marked(html: str, text: str) -> int:
    """How often `text` is shown marked as English."""
    return len(re.findall(rf'<span lang="en">{re.escape(text)}</span>', html))


def section(html: str, marker: str) -> str:
    return html.partition(marker)[2]


def test_on_a_chinese_page_an_ability_takes_its_framework_s_language(client):
    data = build(1)
    client.cookies["django_language"] = "zh-hans"
    found = {}
    for name, address in pages(data).items():
        response = client.get(address)
        assert response.status_code == 200, (name, response.status_code)
        found[name] = response.content.decode()
    text = "clean data 0"
    programme = found["programme"]
    # The map's row, the progression's row and the gap report's item.
    assert marked(section(programme, 'id="curriculum-map"').partition("</table>")[0], text) == 1
    assert marked(section(programme, 'id="progression"'), text) >= 1
    assert marked(section(programme, 'id="gap-report"'), text) >= 1
    assert marked(found["report"], text) >= 1
    for name in ("compare", "position", "course"):
        assert marked(found[name], text) >= 1, name


def test_the_fallback_costs_no_query_per_row(client):
    """Each page's queries, with one ability and with five of five frameworks, are as many."""
    counts = []
    for size in (1, 5):
        data = build(size)
        client.cookies["django_language"] = "zh-hans"
        found = {}
        for name, address in pages(data).items():
            client.get(address)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(address).status_code == 200
            found[name] = len(queries.captured_queries)
        counts.append(found)
        for ability in data["abilities"]:
            ability.delete()
    assert counts[0] == counts[1]


def test_an_ability_s_own_language_wins_over_its_framework_s():
    ability = AbilityFactory(framework=FrameworkFactory(language="en"), language="fr")
    from positions.models import Ability, ability_language

    found = Ability.objects.annotate(shown=ability_language()).get(pk=ability.pk)
    assert found.shown == "fr"
    assert ability.shown_language == "fr"


@pytest.mark.parametrize(
    ("language", "tag"),
    [
        ("zh-Hant", "zh-Hant"),
        ("zh-hant", "zh-Hant"),
        ("zh_TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("zh", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("en", "zh-Hans"),  # a Chinese name of an English record: the site's Chinese
        ("", "zh-Hans"),
    ],
)
def test_han_text_is_traditional_where_its_record_says_so(language, tag):
    assert text_language("資料分析", language) == tag


def test_traditional_chinese_is_marked_on_a_simplified_page(settings):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert in_language("資料分析", "zh-Hant") == '<span lang="zh-Hant">資料分析</span>'
        assert in_language("数据分析", "zh") == "数据分析"
    with translation.override("en"):
        assert in_language("資料分析", "zh-Hant") == '<span lang="zh-Hant">資料分析</span>'
