"""The Chinese text CASE lost on a round trip until now: a competency area's Chinese name and
description (and its description), published in its CFItemType, and the Chinese names of the
course catalogue's modules and training stages, published beside their names in each course's
`extensions`. All in `extensions.translations`, as the other Chinese text; an import reads them
back where it makes the record again (areas with `top_level_areas`, modules and stages it
creates or that have no Chinese name yet), and a package without them leaves what is stored
alone."""

from pathlib import Path

import pytest
from django.conf import settings

from certifications.models import TrainingStage
from curricula.case import identifiers
from curricula.models import Course, CourseAbility, Module
from curricula.tests.case_packages import published_package, written_package
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from curricula.tests.test_case_provider import (  # noqa: F401 (fixture)
    assert_valid_package,
    package_validator,
)
from positions.case_identifiers import area_item_type_identifier
from positions.importers import framework_import
from positions.models import Ability, CompetencyArea, Framework
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures" / "case"
AREAS = {"top_level_areas": True}
AREA_ZH = "数字营销"
AREA_DESCRIPTION = "Campaigns, content and analytics."
AREA_DESCRIPTION_ZH = "营销活动、内容与数据分析。"


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _framework_with_areas() -> tuple[Framework, CompetencyArea]:
    """The fixture's framework imported with its top-level competencies as areas; one area
    given a Chinese name and a description in both languages here."""
    assert framework_import(path=FIXTURE / "top_level_areas.json", format="case", options=AREAS).ok
    framework = Framework.objects.get()
    area = CompetencyArea.objects.get(framework=framework, name="Digital marketing")
    area.name_zh = AREA_ZH
    area.description = AREA_DESCRIPTION
    area.description_zh = AREA_DESCRIPTION_ZH
    area.save()
    return framework, area


def _area_type(package: dict, area: CompetencyArea) -> dict:
    identifier = str(area_item_type_identifier(area.code))
    (item_type,) = (
        t for t in package["CFDefinitions"]["CFItemTypes"] if t["identifier"] == identifier
    )
    return item_type


def test_an_areas_item_type_publishes_its_chinese_name_and_description(
    api_client,
    package_validator,  # noqa: F811
):
    framework, area = _framework_with_areas()

    package = published_package(api_client, framework.identifier)

    assert_valid_package(package_validator, package)
    item_type = _area_type(package, area)
    assert (item_type["title"], item_type["description"]) == ("Digital marketing", AREA_DESCRIPTION)
    assert item_type["extensions"]["translations"] == {
        "zh-Hans": {"title": AREA_ZH, "description": AREA_DESCRIPTION_ZH}
    }
    single = api_client.get(f"/ims/case/v1p1/CFItemTypes/{item_type['identifier']}").json()
    assert single["CFItemTypes"] == [item_type]
    # An area without Chinese text publishes no empty translation.
    other = CompetencyArea.objects.filter(framework=framework).exclude(pk=area.pk).first()
    assert "extensions" not in _area_type(package, other)


def test_areas_read_into_another_database_keep_their_chinese_name_and_descriptions(
    api_client, tmp_path
):
    framework, _area = _framework_with_areas()
    path = written_package(tmp_path, "p.json", published_package(api_client, framework.identifier))
    Ability.objects.filter(framework=framework).update(parent=None)
    Ability.objects.filter(framework=framework).delete()
    CompetencyArea.objects.filter(framework=framework).delete()
    framework.delete()

    report = framework_import(path=path, format="case", options=AREAS)

    assert report.ok, report.error
    area = CompetencyArea.objects.get(name="Digital marketing")
    assert (area.name_zh, area.description, area.description_zh) == (
        AREA_ZH,
        AREA_DESCRIPTION,
        AREA_DESCRIPTION_ZH,
    )
    # An area without them has none: its item type's description, its name, is not one.
    others = CompetencyArea.objects.exclude(pk=area.pk)
    assert others.exists()
    assert set(others.values_list("name_zh", "description", "description_zh")) == {("", "", "")}


def test_areas_handed_back_in_place_are_unchanged(api_client, tmp_path):
    framework, _area = _framework_with_areas()
    path = written_package(tmp_path, "p.json", published_package(api_client, framework.identifier))

    report = framework_import(path=path, format="case", options=AREAS)

    assert report.ok, report.error
    assert set(report.counts["area"]) == {"unchanged"}
    assert not report.conflicts


def test_a_package_without_the_areas_chinese_text_leaves_it_alone(api_client, tmp_path):
    """Another publisher's item types (or ours from before): no translation, a description
    that is only the title. What is stored here stays."""
    framework, area = _framework_with_areas()
    package = published_package(api_client, framework.identifier)
    item_type = _area_type(package, area)
    item_type.pop("extensions", None)
    item_type["description"] = item_type["title"]

    report = framework_import(
        path=written_package(tmp_path, "p.json", package), format="case", options=AREAS
    )

    assert report.ok, report.error
    area.refresh_from_db()
    assert (area.name_zh, area.description, area.description_zh) == (
        AREA_ZH,
        AREA_DESCRIPTION,
        AREA_DESCRIPTION_ZH,
    )


def test_an_item_type_named_otherwise_than_the_area_made_again_lends_it_nothing(
    api_client, tmp_path
):
    """The paper's areas are no top-level competencies: an ability's area type is not the area
    `top_level_areas` makes of its top-level ancestor, whose Chinese name it must not take."""
    paper_area = CompetencyArea.objects.create(
        code="ZZ", name="Professional knowledge", name_zh="专业知识"
    )
    framework = FrameworkFactory(name="Flat")
    AbilityFactory(framework=framework, area=paper_area, code="K1", text="Know Incoterms.")
    path = written_package(tmp_path, "p.json", published_package(api_client, framework.identifier))
    Ability.objects.filter(framework=framework).delete()
    framework.delete()

    assert framework_import(path=path, format="case", options=AREAS).ok

    made = CompetencyArea.objects.exclude(pk=paper_area.pk).get()
    assert (made.name, made.name_zh) == ("Know Incoterms.", "")


# --- The course catalogue's modules and training stages ---------------------------------------

MODULE_ZH = "国际商务模块"
STAGE_ZH = "理论教学"


def _catalogue(api_client, tmp_path) -> tuple[Path, dict]:
    framework = FrameworkFactory(name="Cross-border abilities")
    ability = AbilityFactory(framework=framework, area=None, code="P01.1", text="Design a shop.")
    module = Module.objects.create(code="IB", name="International business", name_zh=MODULE_ZH)
    stage = TrainingStage.objects.create(
        code="THEORY", name="Theory teaching", name_zh=STAGE_ZH, order=1
    )
    CourseAbilityFactory(
        course=CourseFactory(code="CBE101", title="Introduction", module=module, stage=stage),
        ability=ability,
    )
    framework_path = written_package(
        tmp_path, "framework.json", published_package(api_client, framework.identifier)
    )
    return framework_path, published_package(api_client, identifiers.course_catalogue_identifier())


def test_a_courses_item_publishes_its_modules_and_stages_chinese_names(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    _framework_path, catalogue = _catalogue(api_client, tmp_path)

    assert_valid_package(package_validator, catalogue)
    (course,) = catalogue["CFItems"]
    assert course["extensions"]["module"] == "International business"
    assert course["extensions"]["trainingStage"] == "Theory teaching"
    assert course["extensions"]["translations"] == {
        "zh-Hans": {"module": MODULE_ZH, "trainingStage": STAGE_ZH}
    }


def _forget_catalogue() -> None:
    for model in (CourseAbility, Course, Module, TrainingStage, Ability, Framework):
        model.objects.all().delete()


def test_the_catalogue_read_into_another_database_keeps_module_and_stage_chinese_names(
    api_client, tmp_path
):
    framework_path, catalogue = _catalogue(api_client, tmp_path)
    catalogue_path = written_package(tmp_path, "catalogue.json", catalogue)
    _forget_catalogue()

    assert framework_import(path=framework_path, format="case").ok
    assert framework_import(path=catalogue_path, format="case").ok

    assert Module.objects.get().name_zh == MODULE_ZH
    assert TrainingStage.objects.get().name_zh == STAGE_ZH


def test_a_module_and_stage_without_a_chinese_name_here_take_the_packages(api_client, tmp_path):
    """Made here by an earlier import from a package that had none: the name is filled."""
    _framework_path, catalogue = _catalogue(api_client, tmp_path)
    Module.objects.update(name_zh="")
    TrainingStage.objects.update(name_zh="")

    report = framework_import(
        path=written_package(tmp_path, "catalogue.json", catalogue), format="case"
    )

    assert report.ok, report.error
    assert Module.objects.get().name_zh == MODULE_ZH
    assert TrainingStage.objects.get().name_zh == STAGE_ZH


def test_the_catalogue_handed_back_in_place_leaves_modules_and_stages_unchanged(
    api_client, tmp_path
):
    _framework_path, catalogue = _catalogue(api_client, tmp_path)
    module_changed = Module.objects.get().updated_at
    stage_changed = TrainingStage.objects.get().updated_at

    report = framework_import(
        path=written_package(tmp_path, "catalogue.json", catalogue), format="case"
    )

    assert report.ok, report.error
    assert report.counts["course"] == {"unchanged": 1}
    assert Module.objects.get().updated_at == module_changed
    assert TrainingStage.objects.get().updated_at == stage_changed


def test_a_catalogue_without_them_or_with_others_leaves_stored_chinese_names_alone(
    api_client, tmp_path
):
    """A package without the names (another publisher's) says nothing of them, and one with
    other names does not overwrite a name staff gave here, as the English name is not."""
    _framework_path, catalogue = _catalogue(api_client, tmp_path)
    (course,) = catalogue["CFItems"]
    course["extensions"].pop("translations")
    assert framework_import(
        path=written_package(tmp_path, "without.json", catalogue), format="case"
    ).ok
    course["extensions"]["translations"] = {"zh-Hans": {"module": "别的", "trainingStage": "别的"}}
    assert framework_import(
        path=written_package(tmp_path, "other.json", catalogue), format="case"
    ).ok

    assert Module.objects.get().name_zh == MODULE_ZH
    assert TrainingStage.objects.get().name_zh == STAGE_ZH


def test_a_chinese_module_name_with_a_control_character_is_tidied_as_a_name(api_client, tmp_path):
    """Someone else's text, as the names an import writes: a tab a space, a BEL left out,
    rather than the whole catalogue refused for one character."""
    framework_path, catalogue = _catalogue(api_client, tmp_path)
    (course,) = catalogue["CFItems"]
    course["extensions"]["translations"]["zh-Hans"]["module"] = "国际\t商务\x07模块"
    catalogue_path = written_package(tmp_path, "catalogue.json", catalogue)
    _forget_catalogue()
    assert framework_import(path=framework_path, format="case").ok

    report = framework_import(path=catalogue_path, format="case")

    assert report.ok, report.error
    assert Module.objects.get().name_zh == "国际 商务模块"
