"""A programme's target positions (the API's `target_positions`, a decision scenario's added
and removed targets) are written in bulk (core.history.history_bulk_write), as its courses are:
a few statements however many positions, each one added or removed in the history with who
changed it and no change reason, and the programme's coverage marked stale once and recomputed
after the commit."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Provenance
from curricula.decisions import whatif
from curricula.decisions.services import programme_scenario_apply
from curricula.models import ProgrammeTarget
from curricula.tests.factories import ProgrammeFactory
from positions.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


def _targets_by_api(client, programme, positions):
    return client.patch(
        f"/api/v1/programs/{programme.pk}/",
        {"target_positions": [p.pk for p in positions]},
        format="json",
    )


def _targets(programme) -> list[int]:
    return list(
        ProgrammeTarget.objects.filter(programme=programme)
        .order_by("position_id")
        .values_list("position_id", flat=True)
    )


def _queries_to_set(client, had: int, wanted: int, django_capture_on_commit_callbacks) -> int:
    """Queries of a PATCH from `had` target positions to `wanted` (one of them kept)."""
    kept = PositionFactory()
    programme = ProgrammeFactory(targets=[kept, *(PositionFactory() for _ in range(had - 1))])
    positions = [kept, *(PositionFactory() for _ in range(wanted - 1))]
    with (
        django_capture_on_commit_callbacks(execute=False),
        CaptureQueriesContext(connection) as queries,
    ):
        response = _targets_by_api(client, programme, positions)
    assert response.status_code == 200, response.content
    assert _targets(programme) == sorted(p.pk for p in positions)
    return len(queries.captured_queries)


def test_adding_target_positions_costs_the_same_queries_however_many(
    staff_client, django_capture_on_commit_callbacks
):
    """Observed: each target position added was validated, saved, recorded in the history and
    its coverage marked by statements of its own (several queries per position)."""
    _queries_to_set(staff_client, 1, 2, django_capture_on_commit_callbacks)  # caches warmed
    assert _queries_to_set(
        staff_client, 1, 3, django_capture_on_commit_callbacks
    ) == _queries_to_set(staff_client, 1, 21, django_capture_on_commit_callbacks)


def test_removing_target_positions_costs_the_same_queries_however_many(
    staff_client, django_capture_on_commit_callbacks
):
    """Observed: each target position removed was deleted, recorded in the history and its
    coverage marked by statements of its own (several queries per position)."""
    _queries_to_set(staff_client, 2, 1, django_capture_on_commit_callbacks)  # caches warmed
    assert _queries_to_set(
        staff_client, 3, 1, django_capture_on_commit_callbacks
    ) == _queries_to_set(staff_client, 21, 1, django_capture_on_commit_callbacks)


def test_each_target_added_or_removed_is_in_the_history_with_who_and_no_reason(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # as committed before the request
        kept, gone1, gone2, new1, new2 = (PositionFactory() for _ in range(5))
        programme = ProgrammeFactory(targets=[gone1, kept, gone2])
        ProgrammeTarget.objects.filter(position=kept).update(provenance=Provenance.IMPORT)
    before = ProgrammeTarget.history.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _targets_by_api(staff_client, programme, [new2, kept, new1])

    assert response.status_code == 200, response.content
    assert response.json()["target_positions"] == sorted([kept.pk, new1.pk, new2.pk])
    targets = {t.position_id: t for t in ProgrammeTarget.objects.filter(programme=programme)}
    assert set(targets) == {kept.pk, new1.pk, new2.pk}
    assert targets[kept.pk].provenance == Provenance.IMPORT  # left as it was
    assert {targets[new1.pk].provenance, targets[new2.pk].provenance} == {Provenance.EDIT}
    # Created in the order given, as one save after another created them.
    assert targets[new2.pk].pk < targets[new1.pk].pk
    records = ProgrammeTarget.history.order_by("history_id")[before:]
    assert sorted((r.history_type, r.position_id) for r in records) == sorted(
        [("-", gone1.pk), ("-", gone2.pk), ("+", new1.pk), ("+", new2.pk)]
    )
    assert {r.programme_id for r in records} == {programme.pk}
    assert {r.history_user_id for r in records} == {staff_user.pk}
    assert {r.history_change_reason for r in records} == {None}
    assert len(callbacks) == 1  # the recompute: enqueued once, after the commit


def test_target_positions_that_change_nothing_write_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        positions = [PositionFactory(), PositionFactory()]
        programme = ProgrammeFactory(targets=positions)
    before = ProgrammeTarget.history.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _targets_by_api(staff_client, programme, positions[::-1])

    assert response.status_code == 200, response.content
    assert ProgrammeTarget.history.count() == before
    assert callbacks == []


def test_unknown_or_repeated_target_positions_are_refused_on_the_field_and_nothing_is_written(
    staff_client,
):
    kept, other = PositionFactory(), PositionFactory()
    programme = ProgrammeFactory(targets=[kept])
    before = ProgrammeTarget.history.count()

    unknown = _targets_by_api(staff_client, programme, [other, PositionFactory.build(pk=987654)])
    repeated = _targets_by_api(staff_client, programme, [other, other])

    assert unknown.status_code == 400
    assert unknown.json() == {"target_positions": ["No position has the id 987654."]}
    assert repeated.status_code == 400
    assert repeated.json() == {"target_positions": [f"The id {other.pk} is given more than once."]}
    assert _targets(programme) == [kept.pk]
    assert ProgrammeTarget.history.count() == before


def test_a_scenario_s_targets_are_written_in_the_history_too(
    staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept, gone, new = PositionFactory(), PositionFactory(), PositionFactory()
        programme = ProgrammeFactory(targets=[kept, gone])
    before = ProgrammeTarget.history.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        programme_scenario_apply(
            programme=programme,
            scenario=whatif.Scenario(add_target_ids=(new.pk,), remove_target_ids=(gone.pk,)),
        )

    assert _targets(programme) == sorted([kept.pk, new.pk])
    records = ProgrammeTarget.history.order_by("history_id")[before:]
    assert sorted((r.history_type, r.position_id) for r in records) == sorted(
        [("-", gone.pk), ("+", new.pk)]
    )
    assert {r.history_change_reason for r in records} == {None}
    assert len(callbacks) == 1


def test_a_target_added_meanwhile_is_refused_on_the_field(monkeypatch):
    """Another request's target for the same position, written between this one's read and its
    write, is the field's conflict message, as validated_save said it, and nothing is written."""
    from curricula import services

    programme, position = ProgrammeFactory(), PositionFactory()
    write = services.history_bulk_write

    def meanwhile(**kwargs):
        if kwargs.get("create"):
            ProgrammeTarget.objects.bulk_create(
                [ProgrammeTarget(programme=programme, position=position)]
            )
        return write(**kwargs)

    monkeypatch.setattr(services, "history_bulk_write", meanwhile)
    with pytest.raises(ValidationError) as refused:
        services.programme_update(programme=programme, target_position_ids=[position.pk])

    assert refused.value.message_dict == {"target_positions": ["The position is already a target."]}
