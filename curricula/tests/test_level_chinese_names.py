"""A level has a Chinese name as the other named records do (`name_zh`): a designer of another
field added a fourth level (E, Expert) in the admin, and the Chinese pages showed "Expert"
among 初步接触, 巩固提高, 熟练掌握, while a level named in Chinese showed Chinese on the English
pages; nothing could hold both. The default scale's names keep the Chinese they always had, now
stored with the level, and a level's Chinese name reads as that level wherever a level is
written (the map's paste, the link import, the API)."""

import pytest
from django.urls import reverse
from django.utils import translation

from curricula.models import CourseAbility
from curricula.selectors.maps import CellInput, map_change_plan
from curricula.services import course_ability_import
from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.api.fields import LevelField
from positions.models import Level
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def expert():
    return Level.objects.create(code="E", name="Expert", name_zh="专家", rank=4)


def test_a_level_reads_its_chinese_name_in_chinese_and_its_own_in_english(expert):
    with translation.override("zh-hans"):
        assert expert.display_name == "专家"
        assert str(expert) == "专家（E）"  # noqa: RUF001 - Chinese brackets
    with translation.override("en"):
        assert expert.display_name == "Expert"
        assert str(expert) == "Expert (E)"


def test_the_default_levels_hold_the_chinese_names_they_always_showed():
    assert dict(Level.objects.values_list("code", "name_zh")) == {
        "I": "初步接触",
        "R": "巩固提高",
        "M": "熟练掌握",
    }
    with translation.override("zh-hans"):
        assert [lv.display_name for lv in Level.objects.order_by("rank")] == [
            "初步接触",
            "巩固提高",
            "熟练掌握",
        ]


def test_a_level_named_in_chinese_with_an_english_name_reads_english_on_english_pages(client):
    Level.objects.create(code="E", name="Expert", name_zh="专家", rank=4)
    programme = ProgrammeFactory()

    english = client.get(programme.get_absolute_url(), **EN).content.decode()
    chinese = client.get(programme.get_absolute_url(), **ZH).content.decode()

    assert "Expert" in english
    assert "专家" not in english
    assert "专家" in chinese
    assert "Expert" not in chinese


def test_the_level_api_gives_both_names_and_the_one_shown(api_client, expert):
    body = api_client.get("/api/v1/levels/E/", **ZH).json()
    assert (body["name"], body["name_zh"], body["display_name"]) == ("Expert", "专家", "专家")
    body = api_client.get("/api/v1/levels/M/", **EN).json()
    assert (body["name_zh"], body["display_name"]) == ("熟练掌握", "Mastered")


def test_the_admin_takes_a_levels_chinese_name(admin_client):
    response = admin_client.post(
        reverse("admin:positions_level_add"),
        {"code": "E", "name": "Expert", "name_zh": "专家", "rank": 4, "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Level.objects.get(code="E").name_zh == "专家"
    listed = admin_client.get(reverse("admin:positions_level_changelist"), **ZH).content.decode()
    assert "专家" in listed
    assert "熟练掌握" in listed


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("text", ["专家", "Expert"])
def test_the_map_paste_reads_a_level_by_either_name(expert, language, text):
    position = PositionFactory()
    ability = AbilityFactory(code="A1")
    RequirementFactory(position=position, ability=ability)
    course = CourseFactory(code="K1")
    programme = ProgrammeFactory(courses=[course], targets=[position])
    with translation.override(language):
        plan = map_change_plan(programme=programme, cells=[CellInput(course.pk, ability.pk, text)])
    assert plan.errors == []
    (cell,) = plan.cells
    assert cell.after.code == "E"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_link_file_names_a_level_by_its_chinese_name(expert, language):
    CourseFactory(code="K1")
    ability = AbilityFactory(code="A1")
    content = (
        f"course,framework,ability,level,note\nK1,{ability.framework.identifier},A1,专家,\n"
    ).encode()
    with translation.override(language):
        report = course_ability_import(content=content, file_name="links.csv")
    assert report.ok, report.errors
    assert CourseAbility.objects.get().level.code == "E"


def test_the_api_writes_a_level_by_its_chinese_name(expert):
    assert LevelField().to_internal_value("专家") == expert


def test_a_one_to_four_scale_reads_its_chinese_names(expert):
    """Codes 1 to 4, named in both languages: each Chinese name, whole or in part, is its
    level, in either interface language."""
    Level.objects.all().delete()
    for rank, (name, name_zh) in enumerate(
        [("Aware", "了解"), ("Practised", "练习"), ("Capable", "胜任"), ("Leading", "引领")],
        start=1,
    ):
        Level.objects.create(code=str(rank), name=name, name_zh=name_zh, rank=rank)
    field = LevelField()
    with translation.override("en"):
        assert field.to_internal_value("胜任").code == "3"
        assert field.to_internal_value("引领").code == "4"
    with translation.override("zh-hans"):
        assert field.to_internal_value("Practised").code == "2"
        assert [lv.display_name for lv in Level.objects.order_by("rank")] == [
            "了解",
            "练习",
            "胜任",
            "引领",
        ]


def test_the_case_catalogue_gives_a_links_level_name_in_chinese(api_client, expert):
    from curricula.case import identifiers

    CourseAbilityFactory(course=CourseFactory(code="K1"), ability=AbilityFactory(), level=expert)

    package = api_client.get(
        f"/ims/case/v1p1/CFPackages/{identifiers.course_catalogue_identifier()}"
    ).json()

    (link,) = [a for a in package["CFAssociations"] if a["associationType"] == "isRelatedTo"]
    assert link["extensions"]["levelName"] == "Expert"
    assert link["extensions"]["translations"] == {"zh-Hans": {"levelName": "专家"}}


def test_the_case_catalogue_is_rebuilt_when_a_levels_chinese_name_changes(api_client, expert):
    from curricula.case import identifiers

    CourseAbilityFactory(course=CourseFactory(code="K1"), ability=AbilityFactory(), level=expert)
    path = f"/ims/case/v1p1/CFPackages/{identifiers.course_catalogue_identifier()}"
    etag = api_client.get(path)["ETag"]
    expert.name_zh = "高级"
    expert.save()

    response = api_client.get(path, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    (link,) = [
        a for a in response.json()["CFAssociations"] if a["associationType"] == "isRelatedTo"
    ]
    assert link["extensions"]["translations"] == {"zh-Hans": {"levelName": "高级"}}


def test_the_default_scale_restored_after_a_flush_has_its_chinese_names():
    from positions.apps import ensure_level_scale

    Level.objects.all().delete()
    ensure_level_scale(sender=None)

    assert dict(Level.objects.values_list("code", "name_zh")) == {
        "I": "初步接触",
        "R": "巩固提高",
        "M": "熟练掌握",
    }
