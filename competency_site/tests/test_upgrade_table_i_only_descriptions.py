"""A database the paper was loaded into before 2026-12-06 describes the two Table I-only positions
in words the level reader took for Bloom verbs ('Listed in Table I (Research and development,
Master) as "e-commerce system architect"'), and every requirement suggested for them was proposed
at M. Upgrading (migrate; `load_paper --if-empty` then leaves a loaded database alone) kept those
descriptions. Migration curricula 0051 restates the loader's unedited records, each language apart,
and its reverse puts the old texts back. Migrated from the state before it with the old rows, as an
upgrade runs it. (Here, not in curricula: it asks the suggestions' level reader.)"""

import importlib

import pytest

from conftest import migrated_to
from curricula.paper import data, data_zh
from suggestions.levels import propose_requirement_level

MIGRATION = importlib.import_module("curricula.migrations.0051_paper_table_i_only_descriptions")
BEFORE = [("curricula", "0050_course_credits_minus_zero_and_refusal")]
AFTER = [("curricula", "0051_paper_table_i_only_descriptions")]
ARCHITECT, MODELER = "E-commerce system architect", "Data modeler"
OWN_ZH = "数据建模师负责数据模型。"  # staff's own Chinese description

pytestmark = pytest.mark.django_db(transaction=True)


def _position(apps, name, **fields):
    position = apps.get_model("positions", "Position")
    defaults = {
        "description": MIGRATION.OLD_EN[name],
        "description_zh": MIGRATION.OLD_ZH[name],
        "provenance": "paper",
    }
    return position.objects.create(name=name, **{**defaults, **fields})


def _texts(apps, pk):
    position = apps.get_model("positions", "Position").objects.get(pk=pk)
    return position.description, position.description_zh


def test_the_new_texts_are_the_loader_s_and_the_old_ones_proposed_a_level():
    by_name = {name: text for _, name, _, text in data.TABLE_I_ONLY_POSITIONS}
    assert {by_name[ARCHITECT], by_name[MODELER]} == {MIGRATION.NEW_EN}
    assert set(data_zh.POSITION_DESCRIPTIONS.values()) == {MIGRATION.NEW_ZH}
    terms = ["e-commerce", "system", "data", "research", "development", "analysis", "数据"]
    for name in (ARCHITECT, MODELER):
        old = [MIGRATION.OLD_EN[name], MIGRATION.OLD_ZH[name]]
        assert propose_requirement_level(lines=old, matched_terms=terms) is not None


def test_upgrading_restates_the_paper_s_unedited_descriptions_and_the_reverse_restores_them(
    older_release,
):
    architect = _position(older_release, ARCHITECT).pk
    modeler = _position(older_release, MODELER).pk
    stamp = older_release.get_model("positions", "Position").objects.get(pk=modeler).updated_at

    apps = migrated_to(AFTER)

    assert _texts(apps, architect) == (MIGRATION.NEW_EN, MIGRATION.NEW_ZH)
    assert _texts(apps, modeler) == (MIGRATION.NEW_EN, MIGRATION.NEW_ZH)
    assert apps.get_model("positions", "Position").objects.get(pk=modeler).updated_at > stamp

    apps = migrated_to(BEFORE)

    assert _texts(apps, architect) == (MIGRATION.OLD_EN[ARCHITECT], MIGRATION.OLD_ZH[ARCHITECT])
    assert _texts(apps, modeler) == (MIGRATION.OLD_EN[MODELER], MIGRATION.OLD_ZH[MODELER])


def test_upgrading_leaves_edited_texts_and_other_positions_alone(older_release):
    edited = _position(older_release, ARCHITECT, provenance="edit").pk
    rewritten = _position(older_release, MODELER, description_zh=OWN_ZH).pk
    other = _position(
        older_release, "Data modeler", description=MIGRATION.OLD_EN[MODELER], provenance="import"
    ).pk

    apps = migrated_to(AFTER)

    assert _texts(apps, edited) == (MIGRATION.OLD_EN[ARCHITECT], MIGRATION.OLD_ZH[ARCHITECT])
    assert _texts(apps, rewritten) == (MIGRATION.NEW_EN, OWN_ZH)
    assert _texts(apps, other)[0] == MIGRATION.OLD_EN[MODELER]
