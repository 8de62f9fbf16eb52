"""Two imports of the same new framework at once (two workers on one queue, or a job and the
command): both looked the framework up before either had committed, both inserted it, and the
one committing second failed with PostgreSQL's words ("database error: duplicate key value
violates unique constraint positions_framework_identifier_key ..."). Imports now write one after
another: the second reads what the first wrote and imports into it, as it would have a moment
later. (SQLite writes one transaction at a time anyway.)"""

import contextlib
import threading
from pathlib import Path

import pytest
from django.db import connection

from conftest import skip_or_fail
from positions.importers import framework_import
from positions.importers.moodle import MoodleImporter
from positions.models import Ability, Framework

SOURCE = Path(__file__).parent / "fixtures" / "moodle" / "current.csv"


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_new_framework_at_once_both_succeed(monkeypatch):
    if connection.vendor != "postgresql":
        skip_or_fail("concurrent imports need PostgreSQL (DATABASE_URL=postgres://...)")
    write = MoodleImporter.write
    # Both imports reach their write together, unless one is kept waiting until the other
    # commits: then the first stops waiting for it after a few seconds.
    together = threading.Barrier(2, timeout=5)

    def write_together(self):
        with contextlib.suppress(threading.BrokenBarrierError):
            together.wait()
        return write(self)

    monkeypatch.setattr(MoodleImporter, "write", write_together)
    reports = [None, None]

    def run(index: int) -> None:
        try:
            reports[index] = framework_import(path=SOURCE, format="moodle")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [report.ok for report in reports] == [True, True], [r.error for r in reports]
    created = sorted(report.counts["framework"]["created"] for report in reports)
    assert created == [0, 1]
    assert Framework.objects.count() == 1
    assert Ability.objects.count() == max(r.counts["ability"]["created"] for r in reports)
