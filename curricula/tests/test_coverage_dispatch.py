"""How recomputes are split for the workers: a small edit's programmes in one task on the default
queue, a large one's in batches of COVERAGE_BATCH_SIZE on the bulk queue, the sweep likewise."""

import pytest
from django.test import override_settings

from curricula.coverage.services import coverage_mark_stale
from curricula.models import CoverageState, ProgrammeCoverage
from curricula.tasks import recompute_coverage, sweep_stale_coverage
from curricula.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """Pretend a broker is configured; record (programme ids, queue) of every task sent."""
    calls = []
    monkeypatch.setitem(recompute_coverage.app.conf, "task_always_eager", False)
    monkeypatch.setattr(
        recompute_coverage,
        "apply_async",
        lambda kwargs=None, **options: calls.append((kwargs["programme_ids"], options["queue"])),
    )
    return calls


def created(count: int, capture, sent) -> list[int]:
    """Programmes made and 'committed' (their own recompute dispatched and forgotten)."""
    with capture(execute=True):
        programmes = sorted(p.pk for p in ProgrammeFactory.create_batch(count))
    sent.clear()
    return programmes


@override_settings(COVERAGE_BATCH_SIZE=2, COVERAGE_BULK_QUEUE="bulk-test")
def test_an_edit_touching_more_than_a_batch_is_split_into_batches_on_the_bulk_queue(
    sent, django_capture_on_commit_callbacks
):
    programmes = created(5, django_capture_on_commit_callbacks, sent)
    with django_capture_on_commit_callbacks(execute=True):
        coverage_mark_stale(programme_ids=programmes)

    assert sent == [
        (programmes[0:2], "bulk-test"),
        (programmes[2:4], "bulk-test"),
        (programmes[4:5], "bulk-test"),
    ]


@override_settings(COVERAGE_BATCH_SIZE=2, COVERAGE_BULK_QUEUE="bulk-test")
def test_an_edit_touching_a_batch_or_fewer_is_one_task_on_the_default_queue(
    sent, django_capture_on_commit_callbacks
):
    programmes = created(2, django_capture_on_commit_callbacks, sent)
    with django_capture_on_commit_callbacks(execute=True):
        coverage_mark_stale(programme_ids=programmes)

    assert sent == [(programmes, "celery")]


@override_settings(COVERAGE_BATCH_SIZE=2, COVERAGE_BULK_QUEUE="bulk-test")
def test_the_sweep_with_a_broker_hands_stale_programmes_out_in_batches(sent):
    programmes = sorted(p.pk for p in ProgrammeFactory.create_batch(3))
    sent.clear()
    assert set(ProgrammeCoverage.objects.values_list("state", flat=True)) == {CoverageState.STALE}

    sweep_stale_coverage.apply()

    assert sent == [(programmes[0:2], "bulk-test"), (programmes[2:3], "bulk-test")]
    # Enqueued, not computed: the workers do that.
    assert set(ProgrammeCoverage.objects.values_list("state", flat=True)) == {CoverageState.STALE}


def test_a_plain_worker_consumes_both_queues():
    from django.conf import settings

    names = {queue.name for queue in recompute_coverage.app.conf.task_queues}
    assert names == {"celery", settings.COVERAGE_BULK_QUEUE}
