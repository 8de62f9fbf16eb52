"""The bulk writers of a programme's rows (its courses set or placed by an import, its target
positions, its terms) lock the programme's rows, delete the unwanted ones, write the rest, each
change in the history, and mark the programme's coverage stale once: the statements each sends,
in order, and what each records, pinned on one small programme so that a change to their shared
shape shows here."""

import re
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from curricula.models import ProgrammeCourse, ProgrammeTarget
from curricula.services import CoursePlace, programme_courses_place, programme_update
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)
_LOCK = re.compile(r"\bFOR (?:UPDATE|KEY SHARE)\b")


def _statement(sql: str) -> str:
    """A statement's verb, the table it reads or writes first and the lock it takes (savepoints
    by verb alone)."""
    verb = sql.split(None, 1)[0].upper()
    if verb in {"SAVEPOINT", "RELEASE", "ROLLBACK"}:
        return verb
    table = _TABLE.search(sql)
    lock = _LOCK.search(sql)
    return f"{verb} {table.group(1) if table else '?'}{' ' + lock.group(0) if lock else ''}"


@contextmanager
def _request_of(user):
    """As the history middleware: the request's user is the history's default user."""
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Rows made as if committed before the write: their coverage marks done with, so the
    write's own marking shows."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def write(staff_user, django_capture_on_commit_callbacks):
    """Run a writer as a staff request would; its statements, history records and the
    callbacks it enqueued."""

    def run(model, writer, **kwargs):
        before = model.history.count()
        with (
            _request_of(staff_user),
            django_capture_on_commit_callbacks(execute=False) as callbacks,
            CaptureQueriesContext(connection) as queries,
        ):
            writer(**kwargs)
        records = model.history.order_by("history_id")[before:]
        history = [(r.history_type, r.history_user_id, r.history_change_reason) for r in records]
        return [_statement(q["sql"]) for q in queries.captured_queries], history, len(callbacks)

    return run


def _locked(table: str) -> str:
    """The programme's rows read and locked (SQLite locks whole transactions, not rows)."""
    locked = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return f"SELECT {table}{locked}"


def _stale_marked() -> list[str]:
    """The programme's coverage marked stale (its row key-locked first on PostgreSQL:
    curricula.coverage.services._programmes_key_lock)."""
    key_lock = (
        ["SELECT curricula_programme FOR KEY SHARE"] if connection.vendor == "postgresql" else []
    )
    return [*key_lock, "UPDATE curricula_programmecoverage"]


def test_setting_a_programme_s_courses_sends_these_statements_and_records_these_changes(
    write, committed, staff_user
):
    with committed():
        a, b, c, d, e = (CourseFactory() for _ in range(5))
        programme = ProgrammeFactory(courses=[a, b, c])

    statements, history, enqueued = write(
        ProgrammeCourse, programme_update, programme=programme, course_ids=[b.pk, d.pk, e.pk]
    )

    assert statements == [
        "SAVEPOINT",
        "SELECT curricula_course",  # require_existing
        _locked("curricula_programmecourse"),
        # The removed places: recorded, then deleted.
        "SAVEPOINT",
        "SAVEPOINT",
        "RELEASE",
        "INSERT curricula_historicalprogrammecourse",
        "DELETE curricula_programmecourse",
        "RELEASE",
        # The new places: their keys checked, created, recorded.
        "SAVEPOINT",
        "SELECT curricula_programme",
        "SELECT curricula_course",
        "SAVEPOINT",
        "INSERT curricula_programmecourse",
        "RELEASE",
        "INSERT curricula_historicalprogrammecourse",
        "RELEASE",
        *_stale_marked(),
        "RELEASE",
    ]
    assert sorted(history) == [
        ("+", staff_user.pk, None),
        ("+", staff_user.pk, None),
        ("-", staff_user.pk, None),
        ("-", staff_user.pk, None),
    ]
    assert enqueued == 1


def test_setting_a_programme_s_targets_sends_these_statements_and_records_these_changes(
    write, committed, staff_user
):
    with committed():
        p, q, r, s = (PositionFactory() for _ in range(4))
        programme = ProgrammeFactory(targets=[p, q])

    statements, history, enqueued = write(
        ProgrammeTarget,
        programme_update,
        programme=programme,
        target_position_ids=[q.pk, r.pk, s.pk],
    )

    assert statements == [
        "SAVEPOINT",
        "SELECT positions_position",  # require_existing
        _locked("curricula_programmetarget"),
        "SAVEPOINT",
        "SAVEPOINT",
        "RELEASE",
        "INSERT curricula_historicalprogrammetarget",
        "DELETE curricula_programmetarget",
        "RELEASE",
        "SAVEPOINT",
        "SELECT curricula_programme",
        "SELECT positions_position",
        "SAVEPOINT",
        "INSERT curricula_programmetarget",
        "RELEASE",
        "INSERT curricula_historicalprogrammetarget",
        "RELEASE",
        *_stale_marked(),
        "RELEASE",
    ]
    assert sorted(history) == [
        ("+", staff_user.pk, None),
        ("+", staff_user.pk, None),
        ("-", staff_user.pk, None),
    ]
    assert enqueued == 1


def test_placing_courses_from_a_catalogue_sends_these_statements_and_records_these_changes(
    write, committed, staff_user
):
    with committed():
        a, b, c = (CourseFactory() for _ in range(3))
        programme = ProgrammeFactory(courses=[a, b])
    importer = type(staff_user).objects.create_user(username="importer", password="x")

    statements, history, enqueued = write(
        ProgrammeCourse,
        programme_courses_place,
        programme=programme,
        places=[CoursePlace(course_id=b.pk, term=3), CoursePlace(course_id=c.pk, term=1)],
        user=importer,
    )

    assert statements == [
        "SAVEPOINT",
        _locked("curricula_programmecourse"),
        "SAVEPOINT",
        "SELECT curricula_programme",
        "SELECT curricula_course",
        "SAVEPOINT",
        "INSERT curricula_programmecourse",
        "UPDATE curricula_programmecourse",
        "RELEASE",
        "INSERT curricula_historicalprogrammecourse",
        "INSERT curricula_historicalprogrammecourse",
        "RELEASE",
        *_stale_marked(),
        "RELEASE",
    ]
    assert sorted(history) == [("+", importer.pk, ""), ("~", importer.pk, "")]
    assert enqueued == 1


def test_setting_terms_sends_these_statements_and_records_these_changes(
    write, committed, staff_user
):
    with committed():
        a, b = CourseFactory(), CourseFactory()
        programme = ProgrammeFactory(courses=[a, b])

    statements, history, enqueued = write(
        ProgrammeCourse,
        programme_update,
        programme=programme,
        course_terms=[(a.pk, 2), (b.pk, None)],
    )

    assert statements == [
        "SAVEPOINT",
        _locked("curricula_programmecourse"),
        "SAVEPOINT",
        "SELECT curricula_programme",
        "SELECT curricula_course",
        "SAVEPOINT",
        "UPDATE curricula_programmecourse",
        "RELEASE",
        "INSERT curricula_historicalprogrammecourse",
        "RELEASE",
        *_stale_marked(),
        "RELEASE",
    ]
    assert history == [("~", staff_user.pk, None)]
    assert enqueued == 1


@pytest.mark.parametrize(
    ("model", "kwargs"),
    [
        (ProgrammeCourse, {"course_ids": "same"}),
        (ProgrammeTarget, {"target_position_ids": "same"}),
        (ProgrammeCourse, {"course_terms": "same"}),
    ],
)
def test_a_writer_that_changes_nothing_only_reads(write, committed, model, kwargs):
    with committed():
        courses, positions = [CourseFactory(), CourseFactory()], [PositionFactory()]
        programme = ProgrammeFactory(courses=courses, targets=positions)
    same = {
        "course_ids": [c.pk for c in courses],
        "target_position_ids": [p.pk for p in positions],
        "course_terms": [(c.pk, None) for c in courses],
    }
    (name,) = kwargs

    statements, history, enqueued = write(
        model, programme_update, programme=programme, **{name: same[name]}
    )

    assert [s for s in statements if not s.startswith(("SELECT", "SAVEPOINT", "RELEASE"))] == []
    assert history == []
    assert enqueued == 0
