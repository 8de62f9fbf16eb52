"""ESCO (both relation header variants, zip or folder) and O*NET text files."""

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from core.models import Provenance
from positions.importers import framework_import
from positions.importers.onet import level_for
from positions.models import (
    Ability,
    AbilityRelation,
    Framework,
    Importance,
    Level,
    Position,
    Requirement,
)

FIXTURES = Path(__file__).parent / "fixtures"
OCC1 = "http://data.europa.eu/esco/occupation/test-occ-1"
SKILL2 = "http://data.europa.eu/esco/skill/test-skill-2"


@pytest.mark.django_db
@pytest.mark.parametrize(("folder", "variant"), [("esco_v11", "v1.1"), ("esco_v12", "v1.2")])
def test_esco_folder_becomes_positions_abilities_and_requirements(folder, variant):
    report = framework_import(path=FIXTURES / folder, format="esco")

    assert report.ok, report.error
    assert report.details["relations_header"] == variant
    position = Position.objects.get(external_id=OCC1)
    assert position.name == "e-commerce manager"
    assert position.extra["altLabels"] == ["online sales manager", "webshop manager"]
    skill = Ability.objects.get(external_id=SKILL2)
    assert skill.short_name == "customs regulations"
    assert skill.item_type == "knowledge"
    assert skill.framework.source == "ESCO"
    requirement = Requirement.objects.get(position=position, ability=skill)
    assert requirement.importance == Importance.OPTIONAL
    assert requirement.min_level.code == "M"
    assert Requirement.objects.count() == 4


@pytest.mark.django_db
def test_esco_zip_with_min_level_option_and_idempotent_reimport(tmp_path):
    archive = shutil.make_archive(str(tmp_path / "esco"), "zip", FIXTURES / "esco_v12")

    first = framework_import(path=archive, format="esco", options={"min_level": "R"})
    second = framework_import(path=archive, format="esco", options={"min_level": "R"})

    assert first.ok
    assert second.ok
    assert set(Requirement.objects.values_list("min_level__code", flat=True)) == {"R"}
    counts = second.as_dict()["counts"]
    assert counts["requirement"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 4,
        "conflict": 0,
        "removed": 0,
    }
    assert counts["position"]["unchanged"] == 2
    assert Position.objects.count() == 2


@pytest.mark.django_db
def test_esco_relations_a_new_version_drops_are_no_longer_requirements(tmp_path):
    """ESCO's next version no longer relates export clerk to foreign languages: the
    requirement stayed, so coverage went on asking programmes for it. It is removed (counted,
    and the position's coverage marked stale); one staff added by hand stays."""
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v12", folder)
    assert framework_import(path=folder, format="esco").ok
    clerk = Position.objects.get(external_id="http://data.europa.eu/esco/occupation/test-occ-2")
    by_hand = Requirement.objects.create(
        position=Position.objects.get(external_id=OCC1),
        ability=Ability.objects.get(external_id="http://data.europa.eu/esco/skill/test-skill-3"),
        min_level=Level.objects.get(code="R"),
        provenance=Provenance.EDIT,
    )
    relations = folder / "occupationSkillRelations_en.csv"
    lines = relations.read_text().splitlines(keepends=True)
    relations.write_text("".join(line for line in lines if "test-skill-3" not in line))

    report = framework_import(path=folder, format="esco")

    assert report.ok, report.error
    assert report.as_dict()["counts"]["requirement"]["removed"] == 1
    assert list(clerk.requirements.values_list("ability__external_id", flat=True)) == [SKILL2]
    assert Requirement.objects.filter(pk=by_hand.pk).exists()
    assert Requirement.objects.count() == 4


@pytest.mark.django_db
def test_esco_broader_relations_a_new_version_drops_are_removed(tmp_path):
    """The next version puts skill 3 under nothing and skill 2 under skill 1: the old
    isPartOf stayed, and the children rule of coverage kept reading it."""
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v12", folder)
    skill = "http://data.europa.eu/esco/skill/test-skill-"
    broader = folder / "broaderRelationsSkillPillar_en.csv"
    header = "conceptType,conceptUri,broaderType,broaderUri\n"
    broader.write_text(
        header + f"KnowledgeSkillCompetence,{skill}3,KnowledgeSkillCompetence,{skill}1\n"
    )
    assert framework_import(path=folder, format="esco").ok
    broader.write_text(
        header + f"KnowledgeSkillCompetence,{skill}2,KnowledgeSkillCompetence,{skill}1\n"
    )

    report = framework_import(path=folder, format="esco")

    assert report.ok, report.error
    assert report.as_dict()["counts"]["relation"]["removed"] == 1
    assert list(
        AbilityRelation.objects.values_list("source__external_id", "target__external_id")
    ) == [(f"{skill}2", f"{skill}1")]


@pytest.mark.django_db
def test_esco_relation_to_unknown_skill_fails_and_writes_nothing(tmp_path):
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v11", folder)
    with open(folder / "occupationSkillRelations_en.csv", "a") as handle:
        handle.write(f"{OCC1},essential,knowledge,http://data.europa.eu/esco/skill/nope\n")

    report = framework_import(path=folder, format="esco")

    assert not report.ok
    assert report.error["where"] == "occupationSkillRelations_en.csv line 6"
    assert "unknown reference" in report.error["message"]
    assert not Position.objects.exists()
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_esco_missing_column_is_reported(tmp_path):
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v11", folder)
    (folder / "occupationSkillRelations_en.csv").write_text("occupationUri,skillUri\n")

    report = framework_import(path=folder, format="esco")

    assert not report.ok
    assert "relationType" in report.error["message"]


@pytest.mark.django_db
def test_onet_ratings_keep_scores_and_map_importance_and_level():
    report = framework_import(path=FIXTURES / "onet", format="onet")

    assert report.ok, report.error
    reading = Requirement.objects.get(position__code="11-2021.00", ability__code="2.A.1.a")
    assert reading.importance_score == Decimal("4.00")
    assert reading.level_score == Decimal("5.12")
    assert reading.importance == Importance.ESSENTIAL
    assert reading.min_level.code == "M"
    service = Requirement.objects.get(position__code="11-2021.00", ability__code="2.B.1.f")
    assert service.importance == Importance.OPTIONAL
    assert service.min_level.code == "R"
    # IM exactly 3.0 is essential; LV below 3.0 is Introduced.
    clerk = Requirement.objects.get(position__code="43-5011.01", ability__code="2.A.1.a")
    assert (clerk.importance, clerk.min_level.code) == (Importance.ESSENTIAL, "I")
    # "Not Relevant" ratings are skipped with a reason.
    assert not Requirement.objects.filter(position__code="43-5011.01", ability__code="2.B.1.f")
    assert report.skipped_by_reason == {"rating marked not relevant": 1}
    assert Ability.objects.get(code="2.C.1.c").item_type == "Knowledge"


@pytest.mark.django_db
def test_onet_ratings_a_new_release_no_longer_gives_are_no_longer_requirements(tmp_path):
    """The next release no longer rates Service Orientation for 11-2021.00: the requirement
    stayed for ever. It is removed; a requirement on an element the release's files do not
    list at all (Knowledge.txt left out) is not the release's to remove."""
    folder = tmp_path / "onet"
    shutil.copytree(FIXTURES / "onet", folder)
    assert framework_import(path=folder, format="onet").ok
    knowledge = set(
        Requirement.objects.filter(ability__item_type="Knowledge").values_list("pk", flat=True)
    )
    assert knowledge
    skills = folder / "Skills.txt"
    lines = skills.read_text().splitlines(keepends=True)
    skills.write_text("".join(line for line in lines if not line.startswith("11-2021.00\t2.B.1.f")))
    (folder / "Knowledge.txt").unlink()

    report = framework_import(path=folder, format="onet")

    assert report.ok, report.error
    assert report.as_dict()["counts"]["requirement"]["removed"] == 1
    assert not Requirement.objects.filter(position__code="11-2021.00", ability__code="2.B.1.f")
    assert Requirement.objects.filter(position__code="11-2021.00", ability__code="2.A.1.a")
    assert knowledge <= set(Requirement.objects.values_list("pk", flat=True))


def test_onet_level_mapping_boundaries():
    assert [level_for(Decimal(v), "M") for v in ("0", "2.99", "3.0", "4.99", "5.0", "7")] == [
        "I",
        "I",
        "R",
        "R",
        "M",
        "M",
    ]
    assert level_for(None, "R") == "R"


@pytest.mark.django_db
def test_onet_bad_data_value_names_file_and_line(tmp_path):
    folder = tmp_path / "onet"
    shutil.copytree(FIXTURES / "onet", folder)
    text = (folder / "Knowledge.txt").read_text().replace("4.62", "lots")
    (folder / "Knowledge.txt").write_text(text)

    report = framework_import(path=folder, format="onet")

    assert not report.ok
    assert report.error["where"] == "Knowledge.txt line 2"
    assert not Position.objects.exists()
