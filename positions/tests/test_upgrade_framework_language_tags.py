"""Frameworks and abilities stored with a language's name (中文, Chinese, English) before
Framework.clean and Ability.clean stored tags are given the tag by migration positions 0047, as
curricula 0054 gave courses theirs; a value it does not know (双语) and a tag are left as they
are. Migrated from the state before it, as an upgrade runs it."""

import pytest

from conftest import migrated_to

BEFORE = [("positions", "0046_paper_requirement_levels_editorial")]
AFTER = [("positions", "0047_framework_ability_language_names_as_tags")]

pytestmark = pytest.mark.django_db(transaction=True)


def test_known_names_become_tags_and_the_rest_is_left(older_release):
    framework = older_release.get_model("positions", "Framework")
    ability = older_release.get_model("positions", "Ability")
    given = {"F1": "中文", "F2": "ENGLISH", "F3": "双语", "F4": "zh-Hans", "F5": ""}
    frameworks = {
        name: framework.objects.create(name=name, language=language, provenance="edit")
        for name, language in given.items()
    }
    for code, language in {"A1": "Chinese", "A2": "英文", "A3": "Klingon", "A4": ""}.items():
        ability.objects.create(
            framework=frameworks["F1"], code=code, text=code, language=language, provenance="edit"
        )
    after = migrated_to(AFTER)
    assert dict(
        after.get_model("positions", "Framework").objects.values_list("name", "language")
    ) == {
        "F1": "zh",
        "F2": "en",
        "F3": "双语",
        "F4": "zh-Hans",
        "F5": "",
    }
    assert dict(
        after.get_model("positions", "Ability").objects.values_list("code", "language")
    ) == {
        "A1": "zh",
        "A2": "en",
        "A3": "Klingon",
        "A4": "",
    }
