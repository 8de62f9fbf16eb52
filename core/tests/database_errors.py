"""Database errors as Django raises them, for tests of what is retried or answered 503: the
database refusing the connection, and a wrong query (a bug, not an outage)."""

from types import ModuleType, SimpleNamespace

import psycopg2
from django.db import DEFAULT_DB_ALIAS, OperationalError, ProgrammingError, connections, transaction
from django.db.utils import DatabaseErrorWrapper


def connection_refused() -> OperationalError:
    """The error Django raises when the database server refuses the connection (nothing listens
    on port 1), with the driver's own error as its cause."""
    try:
        psycopg2.connect(host="127.0.0.1", port=1, dbname="x", connect_timeout=2)
    except psycopg2.OperationalError as cause:
        # As django.db.utils.DatabaseErrorWrapper wraps it.
        error = OperationalError(*cause.args)
        error.__cause__ = cause
        return error
    raise AssertionError("a connection to port 1 was accepted")


def as_django_raises(driver: ModuleType, error: Exception) -> Exception:
    """`error` of the driver module `driver` (psycopg2, sqlite3), as Django raises it: its own
    class, the driver's error as the cause."""
    wrapper = DatabaseErrorWrapper(SimpleNamespace(Database=driver, errors_occurred=False))
    try:
        with wrapper:
            raise error
    except Exception as raised:
        return raised
    raise AssertionError("not raised")


def wrong_query() -> ProgrammingError:
    """The error Django raises for a query naming a column that does not exist."""
    try:
        with transaction.atomic(), connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT no_such_column FROM django_migrations")
    except (ProgrammingError, OperationalError) as error:
        # SQLite reports a wrong query as an OperationalError; it is a bug all the same.
        return error
    raise AssertionError("the wrong query ran")


def failing(monkeypatch, module, name: str, error: Exception) -> list[int]:
    """Make `module.name` (a service a task calls) raise `error` on every call; the list returned
    gets one item per call, so a test counts how often the task ran."""
    calls: list[int] = []

    def fail(**kwargs):
        calls.append(1)
        raise error

    monkeypatch.setattr(module, name, fail)
    return calls
