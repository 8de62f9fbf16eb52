"""Observed (an API client asking for a programme's recompute while an administrator deleted the
programme): the request had read the programme, the deletion took its coverage row with it,
and the recompute's start found no row and inserted one pointing at the deleted programme,
which the database refused at the commit: a 400 "This change conflicts with existing data.",
as if the request were wrong. The programme's row is locked before its coverage row (the order
a deletion locks them in), and a programme gone meanwhile is a 404, nothing written, nothing
started."""

import time
from threading import Event, Thread

import pytest
from django.db import connection, connections, transaction

from conftest import skip_or_fail
from core.services import rows_lock
from curricula.coverage import services as coverage_services
from curricula.models import Programme, ProgrammeCoverage
from curricula.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_recompute_of_a_programme_deleted_meanwhile_is_a_404_nothing_written(
    staff_client, monkeypatch
):
    programme = ProgrammeFactory()
    reachable = coverage_services.ensure_queue_reachable

    def deleted_meanwhile(**kwargs):
        Programme.objects.filter(pk=programme.pk).delete()
        return reachable(**kwargs)

    monkeypatch.setattr(coverage_services, "ensure_queue_reachable", deleted_meanwhile)
    response = staff_client.post(f"/api/v1/programs/{programme.pk}/recompute/")

    assert response.status_code == 404, response.content
    assert not Programme.objects.exists()
    assert not ProgrammeCoverage.objects.exists()


def test_a_forced_recompute_of_a_programme_being_deleted_ends_cleanly():
    """A forced recompute (the API's) gives a programme without a coverage row one before it
    claims it. Its deletion under way (by another connection, its row locked) made that insert
    wait for the deletion's commit and then fail its foreign key, and the task with it
    (IntegrityError). The recompute now waits for the deletion before it reads which
    programmes to give a row: the deleted one gets none."""
    if connection.vendor != "postgresql":
        skip_or_fail("two writers at once need PostgreSQL (DATABASE_URL=postgres://...)")
    programme = ProgrammeFactory()
    ProgrammeCoverage.objects.filter(programme=programme).delete()
    locked = Event()

    def deleter():
        try:
            with transaction.atomic():
                rows_lock(Programme.objects.filter(pk=programme.pk))
                locked.set()
                _until_blocked(recompute)
                Programme.objects.filter(pk=programme.pk).delete()
        finally:
            locked.set()
            connections.close_all()

    recompute = _backend_pid()
    thread = Thread(target=deleter)
    thread.start()
    assert locked.wait(timeout=5)
    try:
        result = coverage_services.coverage_recompute(programme_ids=[programme.pk], force=True)
    finally:
        thread.join(timeout=10)

    assert result.rebuilt == []
    assert not Programme.objects.exists()
    assert not ProgrammeCoverage.objects.exists()


def _until_blocked(pid: int) -> None:
    """Until the session `pid` waits for a lock this one holds, or 5 seconds (before the fix
    the recompute's read did not wait)."""
    deadline = time.monotonic() + 5
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]
