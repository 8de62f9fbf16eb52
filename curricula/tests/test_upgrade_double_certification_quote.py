"""A database the paper was loaded into before 2026-12-06 describes the bachelor certification
with Section IV C's double certification in words the paper does not print ('all students must
obtain the cross-border e-commerce engineer qualification certificate or a recognized ...').
Section IV C reads: "At the same time, all students must obtain cross-border e-commerce engineer
qualification certificate or recognized relevant professional qualification certificate."
Upgrading (migrate; `load_paper --if-empty` then leaves a loaded database alone) kept the old
text. Migration certifications 0015 quotes the paper in the loader's unedited record, and its
reverse puts the old text back. Migrated from the state before it with the old row, as an upgrade
runs it. (Here, not in certifications: it asks the paper loader's data.)"""

import importlib

import pytest

from conftest import migrated_to
from curricula.paper import data

MIGRATION = importlib.import_module(
    "certifications.migrations.0015_paper_double_certification_quoted"
)
BEFORE = [("certifications", "0014_degree_levels_isced_tertiary")]
AFTER = [("certifications", "0015_paper_double_certification_quoted")]
PAPERS_WORDS = (
    "all students must obtain cross-border e-commerce engineer qualification certificate or "
    "recognized relevant professional qualification certificate."
)

pytestmark = pytest.mark.django_db(transaction=True)


def _certification(apps, **fields):
    certification = apps.get_model("certifications", "Certification")
    defaults = {
        "name": MIGRATION.NAME,
        "degree_level": "bachelor",
        "description": MIGRATION.OLD,
        "provenance": "paper",
    }
    return certification.objects.create(**{**defaults, **fields}).pk


def _description(apps, pk):
    return apps.get_model("certifications", "Certification").objects.get(pk=pk).description


def test_the_new_text_is_the_loader_s_and_quotes_the_paper():
    by_name = {name: description for name, _degree, _order, description in data.CERTIFICATIONS}
    assert by_name[MIGRATION.NAME] == MIGRATION.NEW
    assert f'"{PAPERS_WORDS}"' in MIGRATION.NEW
    assert PAPERS_WORDS not in MIGRATION.OLD


def test_upgrading_quotes_the_paper_s_unedited_description_only_and_the_reverse_restores_it(
    older_release,
):
    # One test, not one per kind of row: migrating back to BEFORE from the latest state walks
    # the whole migration graph on rendered models (curricula's later migrations come after
    # certifications 0015), 10 to 20 s each time. The edited row is the paper's own, edited
    # after the reverse: certification names are unique.
    pk = _certification(older_release)
    imported = _certification(older_release, name="Engineer (imported)", provenance="import")
    stamp = older_release.get_model("certifications", "Certification").objects.get(pk=pk)

    apps = migrated_to(AFTER)

    certification = apps.get_model("certifications", "Certification").objects.get(pk=pk)
    assert certification.description == MIGRATION.NEW
    assert certification.updated_at > stamp.updated_at
    assert _description(apps, imported) == MIGRATION.OLD

    apps = migrated_to(BEFORE)

    assert _description(apps, pk) == MIGRATION.OLD
    apps.get_model("certifications", "Certification").objects.filter(pk=pk).update(
        provenance="edit"
    )

    apps = migrated_to(AFTER)

    assert _description(apps, pk) == MIGRATION.OLD
    assert _description(apps, imported) == MIGRATION.OLD
