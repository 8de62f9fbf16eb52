"""Moodle competency framework CSV: both layouts, forward references, cross references, export."""

from pathlib import Path

import pytest
from django.core.management import call_command

from positions.importers import framework_import
from positions.importers.moodle import CURRENT_HEADERS, framework_moodle_csv
from positions.models import Ability, AbilityRelation, Framework, RelationType

FIXTURES = Path(__file__).parent / "fixtures" / "moodle"


@pytest.mark.django_db
def test_moodle_current_layout_with_parents_after_children():
    report = framework_import(path=FIXTURES / "current.csv", format="moodle")

    assert report.ok, report.error
    assert report.details["header"] == "current (14 columns)"
    framework = Framework.objects.get()
    assert framework.external_id == "CBE-FW"
    assert framework.extra["moodle"]["scalevalues"] == "Not yet competent,Competent"
    assert framework.extra["moodle"]["taxonomies"] == "domain,competency"
    child = Ability.objects.get(code="CBE.1.1")
    assert child.parent.code == "CBE.1"
    assert child.item_type == "competency"
    assert child.parent.item_type == "domain"
    assert Ability.objects.get(code="CBE.1").extra["moodle"]["ruletype"] == (
        "core_competency\\competency_rule_all"
    )
    # No description: the short name stands in, and the export knows to leave it empty.
    compliance = Ability.objects.get(code="CBE.2")
    assert compliance.text == "Compliance"
    assert compliance.extra["moodle"]["no_description"] is True


@pytest.mark.django_db
def test_moodle_cross_references_become_one_is_related_to_per_pair():
    framework_import(path=FIXTURES / "current.csv", format="moodle")

    pairs = {
        frozenset((r.source.code, r.target.code))
        for r in AbilityRelation.objects.filter(relation_type=RelationType.IS_RELATED_TO)
    }
    assert pairs == {frozenset(("CBE.1.1", "CBE.2.1")), frozenset(("CBE.1.2", "CBE.2.1"))}
    assert AbilityRelation.objects.count() == 2


@pytest.mark.django_db
def test_moodle_older_12_column_layout():
    report = framework_import(path=FIXTURES / "older.csv", format="moodle")

    assert report.ok, report.error
    assert report.details["header"] == "older (12 columns)"
    assert Ability.objects.get(code="T.1.1").parent.code == "T.1"
    # Older files give the taxonomy as a JSON object by level.
    assert Ability.objects.get(code="T.1").item_type == "domain"


@pytest.mark.django_db
def test_moodle_unknown_parent_fails_with_line_and_writes_nothing():
    report = framework_import(path=FIXTURES / "unknown_parent.csv", format="moodle")

    assert not report.ok
    assert report.error["where"] == "line 4"
    assert "MISSING" in report.error["message"]
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_moodle_file_without_framework_row_is_refused(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(",".join(f'"{h}"' for h in CURRENT_HEADERS) + "\n,A,A,,1,,,,0,null,,1,,\n")

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert "framework row" in report.error["message"]


@pytest.mark.django_db
def test_moodle_export_round_trip_changes_nothing(tmp_path):
    framework_import(path=FIXTURES / "current.csv", format="moodle")
    framework = Framework.objects.get()
    exported = tmp_path / "export.csv"
    call_command("export_framework", framework.pk, format="moodle", output=str(exported))

    text = exported.read_text()
    assert text.splitlines()[0].split(",")[:2] == ["Parent ID number", "ID number"]
    assert len(text.splitlines()[0].split(",")) == 14
    again = framework_import(path=exported, format="moodle")

    assert again.ok, again.error
    counts = again.as_dict()["counts"]
    assert counts["ability"] == {"created": 0, "updated": 0, "unchanged": 5, "conflict": 0}
    assert counts["relation"]["unchanged"] == 2
    assert counts["framework"]["unchanged"] == 1


@pytest.mark.django_db
def test_moodle_export_of_older_file_is_current_layout_with_cross_references(tmp_path):
    framework_import(path=FIXTURES / "current.csv", format="moodle")

    rows = framework_moodle_csv(framework=Framework.objects.get()).splitlines()

    header, framework_row = rows[0], rows[1]
    assert header.startswith("Parent ID number,ID number,Short name")
    assert framework_row.split(",")[1] == "CBE-FW"
    customs = next(r for r in rows if r.startswith("CBE.2,CBE.2.1"))
    assert '"CBE.1.1,CBE.1.2"' in customs
