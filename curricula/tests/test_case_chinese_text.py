"""A framework's and its abilities' Chinese text (`name_zh`, `text_zh`), and the course
catalogue's (a course's `title_zh`, a link's `note_zh`) go through CASE: CASE
carries one language per item, so the provider publishes the Chinese in the item's and the
document's `extensions` (`translations` by language tag), and an import reads it back. Before,
an LMS or another database reading this site's package lost every Chinese statement."""

import pytest

from curricula.case import identifiers
from curricula.models import Course, CourseAbility
from curricula.tests.case_packages import published_package, written_package
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from curricula.tests.test_case_provider import (  # noqa: F401 (fixture)
    assert_valid_package,
    package_validator,
)
from positions.importers import framework_import
from positions.models import Ability, Framework, Level
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

TEXT_ZH = "能够设计跨境电商网站界面与配色"
NAME_ZH = "跨境电子商务专业能力"


def _framework_with_chinese() -> Framework:
    framework = FrameworkFactory(name="Cross-border abilities", name_zh=NAME_ZH, language="en")
    AbilityFactory(
        framework=framework,
        area=None,
        code="P01.1",
        text="have excellent web interface design and color matching ability",
        text_zh=TEXT_ZH,
    )
    return framework


def test_the_package_publishes_the_chinese_text_in_extensions(
    api_client,
    package_validator,  # noqa: F811
):
    framework = _framework_with_chinese()

    package = published_package(api_client, framework.identifier)

    assert_valid_package(package_validator, package)
    (item,) = package["CFItems"]
    assert item["extensions"]["translations"] == {"zh-Hans": {"fullStatement": TEXT_ZH}}
    assert package["CFDocument"]["extensions"]["translations"] == {"zh-Hans": {"title": NAME_ZH}}
    # The single item and document say the same as the package.
    single = api_client.get(f"/ims/case/v1p1/CFItems/{item['identifier']}").json()
    assert single["extensions"]["translations"] == item["extensions"]["translations"]


def test_another_database_reading_the_package_keeps_the_chinese_text(api_client, tmp_path):
    framework = _framework_with_chinese()
    package = published_package(api_client, framework.identifier)
    Ability.objects.filter(framework=framework).delete()
    framework.delete()

    assert framework_import(path=written_package(tmp_path, "p.json", package), format="case").ok

    framework = Framework.objects.get()
    assert framework.name_zh == NAME_ZH
    ability = Ability.objects.get()
    assert ability.text_zh == TEXT_ZH
    # Taken as the records' own, not kept a second time as the publisher's extensions.
    assert "translations" not in ability.extra.get("extensions", {})
    assert "translations" not in framework.extra.get("extensions", {})


def test_the_package_handed_back_in_place_is_unchanged(api_client, tmp_path):
    framework = _framework_with_chinese()
    package = published_package(api_client, framework.identifier)

    report = framework_import(path=written_package(tmp_path, "p.json", package), format="case")

    assert report.ok
    assert report.counts["ability"] == {"unchanged": 1}
    assert report.counts["framework"] == {"unchanged": 1}
    assert not report.conflicts


def test_a_chinese_edit_made_here_is_published_and_a_cleared_one_is_not(api_client, tmp_path):
    framework = _framework_with_chinese()
    package = published_package(api_client, framework.identifier)
    Ability.objects.filter(framework=framework).delete()
    framework.delete()
    assert framework_import(path=written_package(tmp_path, "p.json", package), format="case").ok
    ability = Ability.objects.get()

    ability.text_zh = "改写的中文陈述"
    ability.save()
    (item,) = published_package(api_client, Framework.objects.get().identifier)["CFItems"]
    assert item["extensions"]["translations"] == {"zh-Hans": {"fullStatement": "改写的中文陈述"}}

    ability.text_zh = ""
    ability.save()
    (item,) = published_package(api_client, Framework.objects.get().identifier)["CFItems"]
    assert "translations" not in item.get("extensions", {})


def test_a_publishers_package_without_chinese_leaves_the_chinese_text_alone(api_client, tmp_path):
    framework = _framework_with_chinese()
    package = published_package(api_client, framework.identifier)
    package["CFItems"][0].get("extensions", {}).pop("translations", None)
    package["CFDocument"].get("extensions", {}).pop("translations", None)
    Ability.objects.filter(framework=framework).update(text_zh="")

    assert framework_import(path=written_package(tmp_path, "p.json", package), format="case").ok

    assert Ability.objects.get().text_zh == ""
    assert Framework.objects.get().name_zh == NAME_ZH


# --- The course catalogue ---------------------------------------------------------------------

COURSE_ZH = "跨境电子商务概论"
NOTE_ZH = "设计一个跨境店铺的期末项目"


def _catalogue_with_chinese(api_client, tmp_path):
    """A course with a Chinese title linked, with a Chinese note, to an ability; the framework's
    and the catalogue's packages as this site publishes them."""
    framework = _framework_with_chinese()
    CourseAbilityFactory(
        course=CourseFactory(code="CBE101", title="Introduction", title_zh=COURSE_ZH),
        ability=Ability.objects.get(),
        note="Final project",
        note_zh=NOTE_ZH,
    )
    framework_path = written_package(
        tmp_path, "framework.json", published_package(api_client, framework.identifier)
    )
    catalogue = published_package(api_client, identifiers.course_catalogue_identifier())
    return framework_path, catalogue


def test_the_catalogue_publishes_a_courses_chinese_title_and_a_links_chinese_note(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    _framework_path, catalogue = _catalogue_with_chinese(api_client, tmp_path)

    assert_valid_package(package_validator, catalogue)
    (course,) = catalogue["CFItems"]
    assert course["extensions"]["translations"] == {"zh-Hans": {"fullStatement": COURSE_ZH}}
    (link,) = (a for a in catalogue["CFAssociations"] if a["associationType"] == "isRelatedTo")
    # The link's level's Chinese name beside its levelName (positions.Level.name_zh).
    assert link["extensions"]["translations"] == {
        "zh-Hans": {
            "notes": NOTE_ZH,
            "levelName": Level.objects.get(code=link["extensions"]["level"]).name_zh,
        }
    }


def test_the_catalogue_read_into_another_database_keeps_the_chinese_title_and_note(
    api_client, tmp_path
):
    framework_path, catalogue = _catalogue_with_chinese(api_client, tmp_path)
    catalogue_path = written_package(tmp_path, "catalogue.json", catalogue)
    for model in (CourseAbility, Course, Ability, Framework):
        model.objects.all().delete()

    assert framework_import(path=framework_path, format="case").ok
    assert framework_import(path=catalogue_path, format="case").ok

    assert Course.objects.get().title_zh == COURSE_ZH
    link = CourseAbility.objects.get()
    assert (link.note, link.note_zh) == ("Final project", NOTE_ZH)


def test_the_catalogue_handed_back_in_place_is_unchanged(api_client, tmp_path):
    _framework_path, catalogue = _catalogue_with_chinese(api_client, tmp_path)

    report = framework_import(
        path=written_package(tmp_path, "catalogue.json", catalogue), format="case"
    )

    assert report.ok, report.error
    assert report.counts["course"] == {"unchanged": 1}
    assert report.counts["link"] == {"unchanged": 1}
