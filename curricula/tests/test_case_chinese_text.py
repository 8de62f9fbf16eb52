"""A framework's and its abilities' Chinese text (`name_zh`, `text_zh`) go through CASE: CASE
carries one language per item, so the provider publishes the Chinese in the item's and the
document's `extensions` (`translations` by language tag), and an import reads it back. Before,
an LMS or another database reading this site's package lost every Chinese statement."""

import pytest

from curricula.tests.case_packages import published_package, written_package
from curricula.tests.test_case_provider import (  # noqa: F401 (fixture)
    assert_valid_package,
    package_validator,
)
from positions.importers import framework_import
from positions.models import Ability, Framework
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
