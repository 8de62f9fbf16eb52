"""Two course catalogue imports of the same new codes at once (two staff, or a job and the
command), on PostgreSQL. Observed: both read the codes as new before either had committed, both
inserted them, and the one committing second failed every row with PostgreSQL's own words
('duplicate key value violates unique constraint "curricula_course_code_key" DETAIL: Key
(code)=(RACE1) already exists.'). Spreadsheet imports now write one after another: the later
reads what the earlier wrote and imports into it, as it would have a moment later. A course
saved by another door meanwhile (the API, the admin's form) fails the import with words a
reader can act on, nothing of the file written. (SQLite writes one transaction at a time.)"""

import threading
from contextlib import suppress

import pytest
from django.db import connection

from conftest import skip_or_fail
from core.tests.concurrency import committed_meanwhile
from curricula import services
from curricula.models import Course
from curricula.resources import CourseResource

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CATALOGUE = b"code,title\nRACE1,One\nRACE2,Two\nRACE3,Three\n"


def _import() -> services.CatalogueImport:
    return services.course_catalogue_import(content=CATALOGUE, file_name="catalogue.csv")


def test_two_imports_of_the_same_new_courses_at_once_both_succeed(monkeypatch):
    if connection.vendor != "postgresql":
        skip_or_fail("concurrent imports need PostgreSQL (DATABASE_URL=postgres://...)")
    # Both imports reach their first save together, unless one is kept waiting until the other
    # commits: then the first stops waiting for it after a moment.
    together = threading.Barrier(2, timeout=2)
    save = CourseResource.save_instance

    def save_together(self, *args, **kwargs):
        with suppress(threading.BrokenBarrierError):
            together.wait()
        return save(self, *args, **kwargs)

    monkeypatch.setattr(CourseResource, "save_instance", save_together)
    reports: list = [None, None]

    def run(index: int) -> None:
        try:
            reports[index] = _import()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [report.errors for report in reports] == [[], []]
    assert sorted((r.created, r.unchanged) for r in reports) == [(0, 3), (3, 0)]
    assert sorted(Course.objects.values_list("code", flat=True)) == ["RACE1", "RACE2", "RACE3"]


def test_a_course_saved_elsewhere_during_an_import_fails_it_in_plain_words():
    if connection.vendor != "postgresql":
        skip_or_fail("concurrent writers need PostgreSQL (DATABASE_URL=postgres://...)")

    def create_elsewhere() -> None:
        services.course_create(code="RACE2", title="Saved in the API meanwhile")

    # Committed while the import waits on the code's index entry.
    with committed_meanwhile(create_elsewhere) as failed:
        report = _import()
    assert failed == []

    said = [message for e in report.errors for ms in e["errors"].values() for message in ms]
    assert [e["line"] for e in report.errors] == [3], report.errors
    assert said == [
        "A record this line writes was saved by someone else while the file was being "
        "imported; nothing was imported. Import the file again."
    ]
    assert list(Course.objects.values_list("title", flat=True)) == ["Saved in the API meanwhile"]
