"""A framework whose competency areas an import made of its top-level competencies
(`--top-level-areas`) exported as Moodle CSV or as a CASE package and imported back with the
option, into a database without it, has the same areas (name, order, code in the framework)
with the same abilities in each, and its abilities gain no item type."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from positions.importers import framework_import
from positions.models import Ability, CompetencyArea, Framework

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures"
AREAS = {"top_level_areas": True}


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _structure(framework: Framework) -> dict:
    """The framework's areas and memberships, area codes without the framework's prefix
    (`F<id>-`), which a new database numbers its own way."""
    prefix = f"F{framework.pk}-"

    def local(code: str | None) -> str | None:
        assert code is None or code.startswith(prefix), code
        return code and code.removeprefix(prefix)

    areas = [
        (local(area.code), area.name, area.order)
        for area in CompetencyArea.objects.filter(framework=framework).order_by("order", "pk")
    ]
    members = {
        ability.text: (local(ability.area and ability.area.code), ability.item_type)
        for ability in Ability.objects.filter(framework=framework).select_related("area")
    }
    return {"areas": areas, "members": members}


def _forget(framework: Framework) -> None:
    """A fresh database, as far as the framework goes: its abilities, areas and itself gone."""
    Ability.objects.filter(framework=framework).update(parent=None)
    Ability.objects.filter(framework=framework).delete()
    CompetencyArea.objects.filter(framework=framework).delete()
    framework.delete()


def _moodle_export(framework: Framework, tmp_path) -> Path:
    path = tmp_path / "export.csv"
    call_command("export_framework", framework.pk, format="moodle", output=str(path))
    return path


def _case_export(api_client, framework: Framework, tmp_path) -> Path:
    response = api_client.get(f"/ims/case/v1p1/CFPackages/{framework.identifier}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "export.json"
    path.write_bytes(body)
    return path


# A CASE framework exported as Moodle CSV is left out: Moodle has no item hanging from nothing
# (a CASE item without isChildOf becomes one more root, so one more area) and its ID numbers are
# the items' identifiers, not their codes (positions.importers.moodle.held_idnumber).
@pytest.mark.parametrize(
    ("source", "format", "export_as"),
    [
        ("moodle/top_level_areas.csv", "moodle", "moodle"),
        ("moodle/top_level_areas.csv", "moodle", "case"),
        ("case/top_level_areas.json", "case", "case"),
    ],
)
def test_top_level_areas_round_trip_into_a_fresh_database(
    api_client, tmp_path, source, format, export_as
):
    assert framework_import(path=FIXTURES / source, format=format, options=AREAS).ok
    framework = Framework.objects.get()
    before = _structure(framework)
    assert before["areas"]
    if export_as == "moodle":
        exported = _moodle_export(framework, tmp_path)
    else:
        exported = _case_export(api_client, framework, tmp_path)
    _forget(framework)

    report = framework_import(path=exported, format=export_as, options=AREAS)

    assert report.ok, report.error
    assert _structure(Framework.objects.get()) == before


def test_a_moodle_export_imported_as_another_framework_has_the_same_areas(tmp_path):
    """Beside the first: a copy under another ID number gets areas of its own, the same."""
    source = FIXTURES / "moodle" / "top_level_areas.csv"
    assert framework_import(path=source, format="moodle", options=AREAS).ok
    framework = Framework.objects.get()
    exported = _moodle_export(framework, tmp_path)
    copy = tmp_path / "copy.csv"
    copy.write_text(
        exported.read_text(encoding="utf-8").replace(",TLA-FW,", ",TLA-COPY,", 1),
        encoding="utf-8",
    )

    report = framework_import(path=copy, format="moodle", options=AREAS)

    assert report.ok, report.error
    first, second = Framework.objects.order_by("pk")
    assert _structure(second) == _structure(first)


def test_without_the_option_the_area_stays_the_item_type_it_was_published_as(api_client, tmp_path):
    """Imported without `top_level_areas`, no area is made again: the item type the provider
    published each ability in is the only trace of its area, so it is kept."""
    source = FIXTURES / "case" / "top_level_areas.json"
    assert framework_import(path=source, format="case", options=AREAS).ok
    exported = _case_export(api_client, Framework.objects.get(), tmp_path)
    _forget(Framework.objects.get())

    report = framework_import(path=exported, format="case")

    assert report.ok, report.error
    assert not CompetencyArea.objects.exists()
    assert Ability.objects.get(text="Run a social media campaign.").item_type == (
        "Digital marketing"
    )


def _item_types(path: Path) -> list[tuple[str, str]]:
    """The (title, hierarchyCode) of the item types a CASE package defines, in its order."""
    package = json.loads(path.read_text(encoding="utf-8"))
    return [
        (kind["title"], kind["hierarchyCode"]) for kind in package["CFDefinitions"]["CFItemTypes"]
    ]


def _local_types(path: Path, framework: Framework) -> list[tuple[str, str]]:
    prefix = f"F{framework.pk}-"
    return [(title, code.removeprefix(prefix)) for title, code in _item_types(path)]


def test_a_fresh_databases_export_lists_each_area_once_as_an_item_type(api_client, tmp_path):
    """The provider publishes each area as an item type minted from its code; imported with
    `top_level_areas` into a database without the framework, the areas are made again under
    codes of their own, so the item types minted from the source's codes, which no ability
    names any more, are not kept to be published next to the new ones."""
    source = FIXTURES / "case" / "top_level_areas.json"
    assert framework_import(path=source, format="case", options=AREAS).ok
    first = _case_export(api_client, Framework.objects.get(), tmp_path / "a")
    before = _local_types(first, Framework.objects.get())
    assert len(before) == CompetencyArea.objects.count()
    _forget(Framework.objects.get())

    assert framework_import(path=first, format="case", options=AREAS).ok
    framework = Framework.objects.get()
    second = _case_export(api_client, framework, tmp_path / "b")

    assert _local_types(second, framework) == before
    codes = {code for _title, code in _item_types(second)}
    assert codes == set(CompetencyArea.objects.values_list("code", flat=True))


def test_a_chain_of_fresh_databases_does_not_grow_the_item_types(api_client, tmp_path):
    """Site A to B to C, each with `top_level_areas`: the package C publishes defines as many
    item types as A's, each area's once."""
    source = FIXTURES / "case" / "top_level_areas.json"
    assert framework_import(path=source, format="case", options=AREAS).ok
    exported = _case_export(api_client, Framework.objects.get(), tmp_path / "a")
    before = _local_types(exported, Framework.objects.get())
    for hop in ("b", "c"):
        _forget(Framework.objects.get())
        assert framework_import(path=exported, format="case", options=AREAS).ok
        exported = _case_export(api_client, Framework.objects.get(), tmp_path / hop)
        assert _local_types(exported, Framework.objects.get()) == before, hop


def test_an_ability_with_an_item_type_of_its_own_does_not_keep_its_old_areas_type(
    api_client, tmp_path
):
    """An ability in an area with an item type of its own is published under its own type's
    name and its area's link: imported into a fresh database with `top_level_areas`, it keeps
    its item type and goes in the area made again, and the link to the source's area is not
    kept, nor is that area's item type listed next to the new area's."""
    source = FIXTURES / "case" / "top_level_areas.json"
    assert framework_import(path=source, format="case", options=AREAS).ok
    Ability.objects.filter(text="Run a social media campaign.").update(item_type="Campaign")
    exported = _case_export(api_client, Framework.objects.get(), tmp_path / "a")
    before = _local_types(exported, Framework.objects.get())
    _forget(Framework.objects.get())

    assert framework_import(path=exported, format="case", options=AREAS).ok
    framework = Framework.objects.get()
    second = _case_export(api_client, framework, tmp_path / "b")

    assert _local_types(second, framework) == before
    campaign = Ability.objects.select_related("area").get(text="Run a social media campaign.")
    assert (campaign.item_type, campaign.area.name) == ("Campaign", "Digital marketing")
    assert "CFItemTypeURI" not in campaign.extra


SKILL = {
    "identifier": "5b0f5a4e-2f4c-4c56-9d3c-0e6f1b7a9c21",
    "uri": "https://publisher.example/CFItemTypes/5b0f5a4e-2f4c-4c56-9d3c-0e6f1b7a9c21",
    "title": "Skill",
    "description": "A skill.",
    "hierarchyCode": "S",
}
UNUSED = {
    "identifier": "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5",
    "uri": "https://publisher.example/CFItemTypes/0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5",
    "title": "Knowledge",
    "hierarchyCode": "K",
}


def _publishers_package(tmp_path) -> Path:
    """The top-level areas fixture with item types of its publisher's own: one an item names,
    one none does."""
    package = json.loads((FIXTURES / "case" / "top_level_areas.json").read_text(encoding="utf-8"))
    package["CFDefinitions"] = {"CFItemTypes": [SKILL, UNUSED]}
    for item in package["CFItems"]:
        if item["fullStatement"] == "Run a social media campaign.":
            item["CFItemType"] = "Skill"
            item["CFItemTypeURI"] = {k: SKILL[k] for k in ("title", "identifier", "uri")}
    path = tmp_path / "publisher.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def test_a_publishers_own_item_types_are_kept_with_top_level_areas(api_client, tmp_path):
    """Only the item types the provider minted from area codes are left out: a publisher's
    own, named by an item or not, are kept and published again, at every hop."""
    assert framework_import(path=_publishers_package(tmp_path), format="case", options=AREAS).ok
    framework = Framework.objects.get()
    assert framework.extra["CFDefinitions"]["CFItemTypes"] == [SKILL, UNUSED]
    exported = _case_export(api_client, framework, tmp_path / "a")
    before = _local_types(exported, framework)
    assert before[:2] == [("Skill", "S"), ("Knowledge", "K")]
    _forget(framework)

    assert framework_import(path=exported, format="case", options=AREAS).ok
    framework = Framework.objects.get()
    assert _local_types(_case_export(api_client, framework, tmp_path / "b"), framework) == before
    campaign = Ability.objects.get(text="Run a social media campaign.")
    assert campaign.item_type == "Skill"


def test_a_package_handed_back_in_place_with_top_level_areas_is_unchanged(api_client, tmp_path):
    """In place, the framework keeps the item types it holds, and an ability with an item type
    of its own keeps its publisher's link to it, which the package (naming its area's item
    type) does not carry."""
    assert framework_import(path=_publishers_package(tmp_path), format="case", options=AREAS).ok
    framework = Framework.objects.get()
    exported = _case_export(api_client, framework, tmp_path / "a")

    report = framework_import(path=exported, format="case", options=AREAS)

    assert report.ok, report.error
    counts = report.as_dict()["counts"]
    assert counts["framework"] == {"created": 0, "updated": 0, "unchanged": 1, "conflict": 0}
    assert counts["ability"] == {"created": 0, "updated": 0, "unchanged": 6, "conflict": 0}
    framework.refresh_from_db()
    assert framework.extra["CFDefinitions"]["CFItemTypes"] == [SKILL, UNUSED]
    campaign = Ability.objects.get(text="Run a social media campaign.")
    assert campaign.extra["CFItemTypeURI"]["identifier"] == SKILL["identifier"]
