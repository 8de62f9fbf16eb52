"""ESCO publishes its CSV download in 28 languages, and a concept not yet translated into one of
them keeps its row, its URI and an empty preferredLabel: ESCO v1.0's en-us download has 13 such
skills (fixtures/esco_v10_enus_unlabelled, real rows). Observed: the importer refused the whole
official download ("conceptUri and preferredLabel are required", 13 times), which no user can
mend, the files being ESCO's. Such a concept is skipped with a warning at its file and line, the
relations naming it are skipped and counted, and everything else is imported; an ability or
position an earlier import wrote from it is kept as it was."""

import shutil
from pathlib import Path

import pytest
from django.utils import translation

from positions.importers import esco, framework_import
from positions.models import Ability, AbilityRelation, Importance, Position, Requirement

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "esco_v10_enus_unlabelled"
SKILL = "http://data.europa.eu/esco/skill/"
GREASE_GUN = SKILL + "070b9cfc-5052-4567-ab82-cb931eaed700"  # line 2, no en-us label
LAB_TESTING = SKILL + "17c4385f-ee2d-4105-b0a1-32dded6987a2"  # line 4, no en-us label
LAB_TESTS = SKILL + "0b917c3e-e49f-40d9-8f95-3bc8e9c06fd2"  # its broader skill
VET = "http://data.europa.eu/esco/occupation/08984bec-31d8-4bb0-aa2f-d557761ff029"
# Its label in ESCO's English (v1.1.0's skills_en.csv), as if an earlier release had it.
LAB_TESTING_LABEL = "perform laboratory testing on samples of animals"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURE, folder)
    return folder


def _relabel(folder: Path, name: str, uri: str, before: str, after: str) -> None:
    """Give the row of `uri` in `name` another preferredLabel (`before` is its current one)."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if f",{uri}," in line:
            assert f",{before}," in line, line
            lines[n] = line.replace(f",{before},", f",{after},", 1)
            break
    else:
        raise AssertionError(uri)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_esco_download_with_skills_not_yet_translated_imports_everything_else():
    report = framework_import(path=FIXTURE, format="esco")

    assert report.ok, report.error
    assert set(Ability.objects.values_list("text", flat=True)) == {
        "perform laboratory tests",
        "maintain veterinary clinical records",
        "perform euthanasia on animals",
        "zoonotic diseases",
    }
    assert not Ability.objects.filter(external_id__in=[GREASE_GUN, LAB_TESTING]).exists()
    assert not Ability.objects.filter(text="").exists()
    vet = Position.objects.get(external_id=VET)
    assert set(
        Requirement.objects.filter(position=vet).values_list("ability__text", "importance")
    ) == {
        ("maintain veterinary clinical records", Importance.ESSENTIAL),
        ("perform euthanasia on animals", Importance.ESSENTIAL),
        ("zoonotic diseases", Importance.OPTIONAL),
    }
    assert not AbilityRelation.objects.exists()
    result = report.as_dict()
    # Each skill at its file and line, as the importer's other warnings are.
    warnings = {w["where"]: w["message"] for w in result["warnings"]}
    assert set(warnings) == {"skills_en-us.csv line 2", "skills_en-us.csv line 4"}, warnings
    assert GREASE_GUN in warnings["skills_en-us.csv line 2"]
    assert "en-us" in warnings["skills_en-us.csv line 4"]
    # The relation and the broader link naming a skipped skill: skipped, each where it is,
    # and counted.
    skipped = {item["where"]: item["reason"] for item in result["skipped"]}
    assert LAB_TESTING in skipped["occupationSkillRelations.csv line 2"]
    assert LAB_TESTING in skipped["broaderRelationsSkillPillar.csv line 2"]
    assert result["skipped_by_reason"] == {
        "concept without a label in this language": 2,
        "relation to a concept without a label in this language": 2,
    }
    assert result["details"]["concepts_without_label"] == 2
    assert result["details"]["relations_to_concepts_without_label"] == 1
    assert result["details"]["broader_to_concepts_without_label"] == 1
    assert "skills_en-us.csv line 2" in report.summary()


def test_esco_concept_without_label_is_reported_in_the_language_the_import_was_asked_in(
    monkeypatch,
):
    """The warnings and the skip reasons go through gettext, as the importer's others do, so a
    report asked for in Chinese words them in Chinese (the catalogue is the lead's to fill)."""
    seen = []

    def marked(message: str) -> str:
        seen.append(message)
        return message

    monkeypatch.setattr(esco, "_", marked)
    with translation.override("zh-hans"):
        report = framework_import(path=FIXTURE, format="esco")

    assert report.ok, report.error
    assert "concept without a label in this language" in seen
    assert "relation to a concept without a label in this language" in seen


def test_esco_occupation_without_label_is_skipped_with_its_relations(tmp_path):
    folder = _copy(tmp_path)
    _relabel(folder, "occupations_en-us.csv", VET, "specialized veterinarian", "")

    report = framework_import(path=folder, format="esco")

    assert report.ok, report.error
    assert not Position.objects.exists()
    assert not Requirement.objects.exists()
    assert Ability.objects.count() == 4
    result = report.as_dict()
    assert "occupations_en-us.csv line 2" in {w["where"] for w in result["warnings"]}
    assert result["details"]["relations_to_concepts_without_label"] == 4


def test_esco_ability_whose_skill_lost_its_label_in_a_later_release_is_kept_as_it_was(tmp_path):
    """A release that has not (or no longer) translated a skill still lists it: the ability an
    earlier import wrote keeps its statement, is not retired, and keeps its requirements and
    its broader link, rather than being blanked or dropped for a gap in the translation."""
    folder = _copy(tmp_path)
    _relabel(folder, "skills_en-us.csv", LAB_TESTING, "", LAB_TESTING_LABEL)
    assert framework_import(path=folder, format="esco").ok
    ability = Ability.objects.get(external_id=LAB_TESTING)
    assert ability.text == LAB_TESTING_LABEL
    assert Requirement.objects.filter(ability=ability).count() == 1
    assert AbilityRelation.objects.filter(source_id=ability.pk).count() == 1

    report = framework_import(path=FIXTURE, format="esco")

    assert report.ok, report.error
    ability.refresh_from_db()
    assert ability.text == LAB_TESTING_LABEL
    assert ability.short_name == LAB_TESTING_LABEL
    assert not ability.retired
    assert Requirement.objects.filter(ability=ability).count() == 1
    assert AbilityRelation.objects.filter(source_id=ability.pk).count() == 1
    assert report.changes["retired"] == 0
    assert report.changes["removed"]["count"] == 0
    assert "requirement" not in report.counts or not report.counts["requirement"].get("removed")
    assert not report.counts.get("relation", {}).get("removed")
    message = {w["where"]: w["message"] for w in report.as_dict()["warnings"]}[
        "skills_en-us.csv line 4"
    ]
    assert "kept as it was" in message


def test_esco_position_whose_occupation_lost_its_label_is_kept_as_it_was(tmp_path):
    assert framework_import(path=FIXTURE, format="esco").ok
    folder = _copy(tmp_path)
    _relabel(folder, "occupations_en-us.csv", VET, "specialized veterinarian", "")

    report = framework_import(path=folder, format="esco")

    assert report.ok, report.error
    vet = Position.objects.get(external_id=VET)
    assert vet.name == "specialized veterinarian"
    assert Requirement.objects.filter(position=vet).count() == 3
    assert not Ability.objects.filter(retired=True).exists()


def test_esco_row_without_uri_is_still_refused(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "skills_en-us.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "KnowledgeSkillCompetence,,skill/competence,sector-specific,,,\r\n",
        encoding="utf-8",
    )

    report = framework_import(path=folder, format="esco")

    assert not report.ok
    assert (report.error["where"], report.error["message"]) == (
        "skills_en-us.csv line 8",
        "conceptUri and preferredLabel are required",
    )
    assert not Ability.objects.exists()
