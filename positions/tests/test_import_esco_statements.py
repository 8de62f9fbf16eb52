"""An ESCO skill's preferredLabel is its statement ("manage online shops"); its description explains
it. Abilities imported before the importer did so hold the description as their statement: the
migration restates exactly those, and the same files imported again change nothing."""

import importlib
import shutil
from pathlib import Path

import pytest
from django.apps import apps

from core.models import Provenance
from positions.importers import framework_import
from positions.models import Ability
from positions.tests.factories import AbilityFactory, FrameworkFactory

FIXTURES = Path(__file__).parent / "fixtures"
SKILL1 = "http://data.europa.eu/esco/skill/test-skill-1"
SKILL3 = "http://data.europa.eu/esco/skill/test-skill-3"
LABEL = "manage online shops"
DESCRIPTION = "Run the day-to-day operation of an online shop."
MIGRATION = "positions.migrations.0035_esco_statements_are_labels"

pytestmark = pytest.mark.django_db


def _restate(*, forward: bool = True) -> None:
    migration = importlib.import_module(MIGRATION)
    (migration.forwards if forward else migration.backwards)(apps, None)


def _old_shape() -> None:
    """What the importer wrote before: the description as the statement, where there is one."""
    for ability in Ability.objects.exclude(description=""):
        Ability.objects.filter(pk=ability.pk).update(text=ability.description)


def test_an_esco_skill_is_stated_by_its_label_and_keeps_its_description():
    assert framework_import(path=FIXTURES / "esco_v12", format="esco").ok

    skill = Ability.objects.get(external_id=SKILL1)
    assert skill.text == LABEL
    assert skill.description == DESCRIPTION
    assert skill.short_name == LABEL
    # A skill without a description was stated by its label already.
    assert Ability.objects.get(external_id=SKILL3).text == "communicate in foreign languages"


def test_the_migration_restates_abilities_imported_before_and_a_reimport_changes_nothing(tmp_path):
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v12", folder)
    assert framework_import(path=folder, format="esco").ok
    _old_shape()
    skill = Ability.objects.get(external_id=SKILL1)
    assert skill.text == DESCRIPTION
    before = skill.updated_at

    _restate()

    skill.refresh_from_db()
    assert (skill.text, skill.short_name, skill.description) == (LABEL, LABEL, DESCRIPTION)
    # Its change stamp moves, so cached CASE packages and suggestion indexes are rebuilt.
    assert skill.updated_at > before
    assert not skill.needs_review
    again = framework_import(path=folder, format="esco")
    assert again.ok
    assert again.as_dict()["counts"]["ability"]["updated"] == 0
    assert again.as_dict()["counts"]["ability"]["unchanged"] == 3


def test_the_migration_leaves_other_abilities_alone_and_its_reverse_restores_the_old_shape():
    assert framework_import(path=FIXTURES / "esco_v12", format="esco").ok
    _old_shape()
    esco = Ability.objects.get(external_id=SKILL1)
    edited = Ability.objects.get(external_id="http://data.europa.eu/esco/skill/test-skill-2")
    Ability.objects.filter(pk=edited.pk).update(provenance=Provenance.EDIT)
    # Another framework whose statement is its description on purpose (a CASE item, a
    # Moodle competency): not ESCO's, so not restated.
    other = AbilityFactory(
        framework=FrameworkFactory(source="Moodle"),
        provenance=Provenance.IMPORT,
        text="Same words.",
        description="Same words.",
        short_name="same",
    )

    _restate()

    esco.refresh_from_db()
    edited.refresh_from_db()
    other.refresh_from_db()
    assert esco.text == LABEL
    assert edited.text == "Rules on goods crossing borders."
    assert other.text == "Same words."

    _restate(forward=False)

    esco.refresh_from_db()
    assert esco.text == DESCRIPTION
    assert Ability.objects.get(external_id=SKILL3).text == "communicate in foreign languages"
