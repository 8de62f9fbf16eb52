"""A database the paper was loaded into before 2026-12-06 cites each requirement as "Table II,
position 4, statement 2" alone, though Table II gives no importance or depth ("Professional
ability requirements": "1. be familiar with information release and dissemination process; ...")
and the loader made every one essential and required at M. Upgrading (migrate; `load_paper
--if-empty` then leaves a loaded database alone) kept those references. Migration positions 0046
says the importance and level are editorial in the loader's unedited records, and its reverse
puts the old references back. Migrated from the state before it with the old rows, as an upgrade
runs it. (Here, not in positions: it asks the paper loader.)"""

import importlib

import pytest

from conftest import migrated_to
from curricula.paper import data

MIGRATION = importlib.import_module("positions.migrations.0046_paper_requirement_levels_editorial")
BEFORE = [("positions", "0045_history_deletion_indexes_restored")]
AFTER = [("positions", "0046_paper_requirement_levels_editorial")]
OLD = "Table II, position 4, statement 2"
NEW = "Table II, position 4, statement 2; importance and level editorial (Table II gives neither)"

pytestmark = pytest.mark.django_db(transaction=True)


def _requirement(apps, name, source_ref, provenance="paper"):
    models = {
        m: apps.get_model("positions", m)
        for m in ("Framework", "Position", "Ability", "Requirement")
    }
    framework = models["Framework"].objects.get_or_create(name="Framework of the test")[0]
    level = apps.get_model("positions", "Level").objects.get_or_create(
        code="M", defaults={"name": "Mastered", "rank": 3}
    )[0]
    position = models["Position"].objects.create(name=name, provenance=provenance)
    ability = models["Ability"].objects.create(
        framework=framework, code=name, text=f"{name}'s ability", provenance=provenance
    )
    return (
        models["Requirement"]
        .objects.create(
            position=position,
            ability=ability,
            min_level=level,
            source_ref=source_ref,
            provenance=provenance,
        )
        .pk
    )


def _ref(apps, pk):
    return apps.get_model("positions", "Requirement").objects.get(pk=pk).source_ref


def test_the_new_reference_is_the_loader_s(paper):
    from positions.models import Requirement

    marketing = Requirement.objects.get(position__name="Online marketing specialist", order=2)
    assert marketing.source_ref == NEW == OLD + MIGRATION.SUFFIX
    assert data.POSITIONS[3][1] == "Online marketing specialist"


def test_upgrading_restates_the_paper_s_unedited_references_and_the_reverse_restores_them(
    older_release,
):
    pk = _requirement(older_release, "Online marketing specialist", OLD)
    stamp = older_release.get_model("positions", "Requirement").objects.get(pk=pk).updated_at

    apps = migrated_to(AFTER)

    assert _ref(apps, pk) == NEW
    assert apps.get_model("positions", "Requirement").objects.get(pk=pk).updated_at > stamp

    apps = migrated_to(BEFORE)

    assert _ref(apps, pk) == OLD


def test_upgrading_leaves_edited_and_other_references_alone(older_release):
    edited = _requirement(older_release, "Edited", OLD, provenance="edit")
    imported = _requirement(older_release, "Imported", OLD, provenance="import")
    own = _requirement(older_release, "Own words", "Table II, position 4, statement 2, adapted")

    apps = migrated_to(AFTER)

    assert _ref(apps, edited) == OLD
    assert _ref(apps, imported) == OLD
    assert _ref(apps, own) == "Table II, position 4, statement 2, adapted"
