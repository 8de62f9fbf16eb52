"""All or nothing, staff edits kept, bulk-change signals sent inside the transaction."""

import shutil
from pathlib import Path

import pytest
from django.db import DatabaseError, connection

from core.models import Provenance
from positions.importers import framework_import
from positions.models import Ability, Framework, Position, Requirement
from positions.signals import abilities_bulk_changed, requirements_bulk_changed

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.django_db
def test_database_error_mid_import_leaves_nothing_behind(monkeypatch):
    def failing(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Requirement.objects, "bulk_create", failing)

    report = framework_import(path=FIXTURES / "esco_v11", format="esco")

    assert not report.ok
    assert "disk full" in report.error["message"]
    assert report.counts == {}
    # Positions and abilities were written before the failing step, and rolled back with it.
    assert not Position.objects.exists()
    assert not Ability.objects.exists()
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_staff_edit_is_kept_and_reported_as_conflict():
    framework_import(path=FIXTURES / "case" / "package_1_1.json", format="case")
    ability = Ability.objects.get(code="CBE.1.1")
    ability.text = "Answer enquiries, as our staff phrase it."
    ability.provenance = Provenance.EDIT
    ability.save()

    report = framework_import(path=FIXTURES / "case" / "package_1_1.json", format="case")

    ability.refresh_from_db()
    assert ability.text == "Answer enquiries, as our staff phrase it."
    assert ability.provenance == Provenance.EDIT
    assert report.as_dict()["counts"]["ability"]["conflict"] == 1
    (conflict,) = report.conflicts
    assert conflict["kind"] == "ability"
    assert conflict["fields"] == ["text"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("provenance", "reason"),
    [
        (Provenance.EDIT, "edited by staff since the last import; the staff value is kept"),
        (
            Provenance.PAPER,
            "not written by an import (The paper (Luan et al.)); the stored value is kept",
        ),
        (
            Provenance.SUGGESTED,
            "not written by an import (Accepted suggestion); the stored value is kept",
        ),
    ],
)
def test_a_conflict_says_where_the_kept_record_came_from(provenance, reason):
    """Observed (xls1): the paper's framework exported as CASE and imported back reported its
    47 abilities as "edited by staff since the last import", which no one had edited: the
    paper's loader wrote them. The reason names the record's provenance."""
    framework_import(path=FIXTURES / "case" / "package_1_1.json", format="case")
    ability = Ability.objects.get(code="CBE.1.1")
    ability.text = "Answer enquiries, as written elsewhere."
    ability.provenance = provenance
    ability.save()

    report = framework_import(path=FIXTURES / "case" / "package_1_1.json", format="case")

    (conflict,) = report.conflicts
    assert conflict["reason"] == reason


@pytest.mark.django_db
def test_staff_edited_requirement_is_not_overwritten():
    framework_import(path=FIXTURES / "esco_v11", format="esco")
    requirement = Requirement.objects.get(
        position__external_id="http://data.europa.eu/esco/occupation/test-occ-1",
        ability__external_id="http://data.europa.eu/esco/skill/test-skill-2",
    )
    requirement.importance = "essential"
    requirement.provenance = Provenance.EDIT
    requirement.save()

    report = framework_import(path=FIXTURES / "esco_v11", format="esco")

    requirement.refresh_from_db()
    assert requirement.importance == "essential"
    assert report.as_dict()["counts"]["requirement"]["conflict"] == 1


@pytest.mark.django_db
def test_import_updates_a_record_it_imported_itself(tmp_path):
    framework_import(path=FIXTURES / "esco_v11", format="esco")
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v11", folder)
    skills = (folder / "skills_en.csv").read_text().replace("customs regulations", "customs law")
    (folder / "skills_en.csv").write_text(skills)

    report = framework_import(path=folder, format="esco")

    assert report.as_dict()["counts"]["ability"]["updated"] == 1
    assert Ability.objects.filter(short_name="customs law").count() == 1


@pytest.mark.django_db(transaction=True)
def test_bulk_change_signals_are_sent_inside_the_transaction():
    received = []

    def on_requirements(sender, position_ids, **kwargs):
        received.append(("requirements", set(position_ids), connection.in_atomic_block))

    def on_abilities(sender, ability_ids, **kwargs):
        received.append(("abilities", len(ability_ids), connection.in_atomic_block))

    requirements_bulk_changed.connect(on_requirements)
    abilities_bulk_changed.connect(on_abilities)
    try:
        framework_import(path=FIXTURES / "esco_v11", format="esco")
        framework_import(path=FIXTURES / "esco_v11", format="esco")
    finally:
        requirements_bulk_changed.disconnect(on_requirements)
        abilities_bulk_changed.disconnect(on_abilities)

    positions = set(Position.objects.values_list("pk", flat=True))
    # The second, unchanged import sends nothing.
    assert received == [("abilities", 3, True), ("requirements", positions, True)]
