"""Bulk writes record their history by copying the written rows in the database
(core.history.history_record_rows): each history row must hold what a per-row save would have
recorded, whatever the field's type (uuid, JSON, dates, foreign keys)."""

import uuid

import pytest
from django.contrib.auth import get_user_model

from core.history import history_bulk_write, history_record_rows
from positions.importers.base import ImportReport, RecordSync
from positions.models import Ability
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db


def _state(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in Ability._meta.concrete_fields}


def _sync() -> RecordSync:
    return RecordSync(
        kind="ability",
        model=Ability,
        fields=[],
        existing={},
        report=ImportReport(format="csv", source="test.csv"),
        source_ref="test.csv",
    )


def _values(framework, n: int, **changes) -> dict:
    return {
        "identifier": uuid.uuid5(uuid.NAMESPACE_URL, f"urn:test:{n}"),
        "framework_id": framework.pk,
        "text": f"apply statistics {n}",
        "alt_labels": "stats\nstatistical analysis",
        "extra": {"altLabels": ["stats", "statistical analysis"], "n": n, "nested": {"ok": True}},
        **changes,
    }


def test_an_import_records_each_created_and_changed_row_as_it_is_in_the_table():
    framework = FrameworkFactory()
    sync = _sync()
    for n in range(3):
        sync.offer(f"urn:{n}", _values(framework, n))
    sync.flush(batch_size=2)

    saved = {a.pk: a for a in Ability.objects.all()}
    assert len(saved) == 3
    created = Ability.history.filter(history_type="+")
    assert created.count() == 3
    for record in created:
        assert record.history_change_reason == "import"
        assert record.history_user is None
        assert _state(record) == _state(saved[record.id])

    second = RecordSync(
        kind="ability",
        model=Ability,
        fields=[],
        existing={f"urn:{n}": saved_obj for n, saved_obj in enumerate(saved.values())},
        report=ImportReport(format="csv", source="test.csv"),
        source_ref="test-2.csv",
    )
    for n in range(3):
        second.offer(f"urn:{n}", _values(framework, n, extra={"n": n, "changed": [1, 2]}))
    second.flush()
    changed = Ability.history.filter(history_type="~")
    assert changed.count() == 3
    for record in changed:
        current = Ability.objects.get(pk=record.id)
        assert record.extra == {"n": current.extra["n"], "changed": [1, 2]}
        assert _state(record) == _state(current)


def test_a_bulk_write_records_its_user_and_reason():
    user = get_user_model().objects.create_user("editor")
    framework = FrameworkFactory()
    existing = AbilityFactory(framework=framework)
    new = Ability(**_values(framework, 7))
    existing.text = "interpret data"
    history_bulk_write(
        model=Ability,
        create=[new],
        update=[existing],
        update_fields=["text"],
        user=user,
        reason="map edit",
    )
    created = Ability.history.get(id=new.pk)
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+",
        user,
        "map edit",
    )
    assert _state(created) == _state(Ability.objects.get(pk=new.pk))
    changed = Ability.history.filter(id=existing.pk).latest("history_id")
    assert (changed.history_type, changed.text, changed.history_user) == (
        "~",
        "interpret data",
        user,
    )


def test_more_rows_than_one_statement_takes_are_all_recorded():
    framework = FrameworkFactory()
    rows = Ability.objects.bulk_create([Ability(**_values(framework, n)) for n in range(1203)])
    history_record_rows(model=Ability, objs=rows, history_type="+", reason="bulk")
    assert Ability.history.filter(history_change_reason="bulk").count() == 1203
    assert set(Ability.history.values_list("id", flat=True)) == {a.pk for a in rows}


def test_nothing_is_recorded_when_history_is_switched_off(settings):
    settings.SIMPLE_HISTORY_ENABLED = False
    framework = FrameworkFactory()
    rows = Ability.objects.bulk_create([Ability(**_values(framework, 1))])
    history_record_rows(model=Ability, objs=rows, history_type="+")
    assert not Ability.history.exists()
