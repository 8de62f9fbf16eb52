"""With the database unreachable the site answers 503 Service Unavailable with Retry-After, as
a load balancer and a client's retry loop expect, not 500: observed on the production
configuration, GET /api/v1/levels/ with PostgreSQL stopped answered `500 {"detail": "A server
error occurred..."}` and logged a full traceback per request. A database error that is a bug
(a missing table, a constraint) stays what it was."""

import logging
import sqlite3

import psycopg2
import psycopg2.errors
import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client

from core.errors import RETRY_AFTER_SECONDS, database_unavailable
from core.tests.database_errors import as_django_raises
from positions.api.views import LevelViewSet
from positions.models import Level

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
UNAVAILABLE = "The service is temporarily unavailable. Try again in a moment."


def _unreachable_copy():
    """A connection to the same kind of database, where none can be reached: PostgreSQL on a
    port nothing listens on, SQLite in a folder that does not exist."""
    connection = connections[DEFAULT_DB_ALIAS]
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT="1", OPTIONS={"connect_timeout": 2})
    else:
        settings_dict.update(NAME="/nonexistent-folder/db.sqlite3")
    return connection.__class__(settings_dict, alias=DEFAULT_DB_ALIAS)


@pytest.fixture
def database_unreachable(db, monkeypatch):
    """Every query of the request fails as Django fails when its database cannot be reached (the
    error is the driver's own, wrapped by Django); the suite's connection is left alone."""
    unreachable = _unreachable_copy()

    def connect_there(name=None):
        return unreachable.cursor()

    with monkeypatch.context() as patch:
        patch.setattr(connections[DEFAULT_DB_ALIAS], "create_cursor", connect_there)
        yield


def test_an_api_request_is_answered_503_with_retry_after(database_unreachable, caplog):
    with caplog.at_level(logging.INFO):
        response = Client(raise_request_exception=False).get("/api/v1/levels/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": UNAVAILABLE}
    assert b"5432" not in response.content
    assert b"nonexistent" not in response.content
    # One line, with what failed, and no traceback of the request's every frame.
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].name == "core.errors"
    assert records[0].exc_info is None
    message = records[0].getMessage()
    assert "\n" not in message
    assert "/api/v1/levels/" in message
    assert "OperationalError" in message


def test_a_case_request_is_answered_503_in_json(database_unreachable):
    response = Client(raise_request_exception=False).get("/ims/case/v1p1/CFDocuments")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_a_page_is_the_sites_unavailable_page(database_unreachable):
    response = Client(raise_request_exception=False).get("/programs/", **ZH)
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "服务暂时不可用" in html
    assert "服务暂时不可用，请稍后重试。" in html  # noqa: RUF001
    assert "Server error" not in html
    assert "服务器错误" not in html


def test_a_query_that_is_wrong_is_still_a_server_error(db, monkeypatch):
    """SQLite says "no such table" with an OperationalError too: a bug, not an outage."""
    monkeypatch.setattr(
        LevelViewSet,
        "get_queryset",
        lambda self: Level.objects.raw("SELECT * FROM no_such_table_here"),
    )
    response = Client(raise_request_exception=False).get("/api/v1/levels/")
    assert response.status_code == 500
    assert not response.has_header("Retry-After")


def _sqlite_error(code: int, message: str) -> sqlite3.Error:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("driver", "error"),
    [
        (psycopg2, psycopg2.OperationalError('connection to server at "db" failed: refused')),
        (psycopg2, psycopg2.OperationalError("server closed the connection unexpectedly")),
        (psycopg2, psycopg2.InterfaceError("connection already closed")),
        (psycopg2, psycopg2.errors.TooManyConnections("sorry, too many clients already")),
        (psycopg2, psycopg2.errors.AdminShutdown("terminating connection: administrator")),
        (psycopg2, psycopg2.errors.CrashShutdown("terminating connection: crash")),
        (psycopg2, psycopg2.errors.CannotConnectNow("the database system is shutting down")),
        (psycopg2, psycopg2.errors.ConnectionFailure("connection failure")),
        (psycopg2, psycopg2.errors.ConnectionException("connection exception")),
        (psycopg2, psycopg2.errors.ConnectionDoesNotExist("connection does not exist")),
        (psycopg2, psycopg2.errors.TransactionResolutionUnknown("connection lost in commit")),
        (psycopg2, psycopg2.errors.IdleSessionTimeout("terminating connection: idle-session")),
        (psycopg2, psycopg2.errors.InsufficientResources("too many dynamic shared memory")),
        (psycopg2, psycopg2.errors.DiskFull("could not extend file: No space left on device")),
        (psycopg2, psycopg2.errors.OutOfMemory("out of memory")),
        (sqlite3, _sqlite_error(14, "unable to open database file")),
        (sqlite3, _sqlite_error(5, "database is locked")),
        (sqlite3, _sqlite_error(10 | (1 << 8), "disk I/O error")),
    ],
)
def test_the_database_being_out_of_reach_is_unavailable(driver, error):
    assert database_unavailable(as_django_raises(driver, error))


@pytest.mark.parametrize(
    ("driver", "error"),
    [
        (psycopg2, psycopg2.errors.UndefinedTable('relation "x" does not exist')),
        (psycopg2, psycopg2.errors.UniqueViolation("duplicate key")),
        (psycopg2, psycopg2.errors.LockNotAvailable("could not obtain lock")),
        (psycopg2, psycopg2.errors.QueryCanceled("canceling statement due to statement timeout")),
        (psycopg2, psycopg2.errors.DeadlockDetected("deadlock detected")),
        (psycopg2, psycopg2.errors.ProtocolViolation("bind message supplies 1 parameters")),
        # temp_file_limit is the one such limit a request meets: its own query, the same again.
        (psycopg2, psycopg2.errors.ConfigurationLimitExceeded("temp file size exceeds limit")),
        # Gone, not coming back: the operator's to mend, not the client's to wait for.
        (psycopg2, psycopg2.errors.DatabaseDropped("database was dropped")),
        (sqlite3, _sqlite_error(1, "no such table: x")),
        (sqlite3, sqlite3.InterfaceError("Error binding parameter 1")),
        (sqlite3, sqlite3.IntegrityError("UNIQUE constraint failed")),
    ],
)
def test_a_wrong_query_is_not_unavailable(driver, error):
    assert not database_unavailable(as_django_raises(driver, error))


def test_an_error_that_is_not_the_databases_is_not_unavailable():
    assert not database_unavailable(RuntimeError("connection refused"))
    assert not database_unavailable(ConnectionRefusedError("the cache, not the database"))


@pytest.mark.parametrize(
    "error",
    [
        psycopg2.errors.DeadlockDetected("deadlock detected"),
        psycopg2.errors.SerializationFailure("could not serialize access"),
    ],
)
def test_a_transaction_ended_for_a_concurrent_one_is_answered_503_not_500(db, monkeypatch, error):
    """PostgreSQL ends one of two writers waiting for each other (40P01), or a transaction it
    cannot serialize (40001): nothing of it was written, and the same request passes again.
    It was a 500."""

    def concurrent(self):
        raise as_django_raises(psycopg2, error)

    monkeypatch.setattr(LevelViewSet, "get_queryset", concurrent)
    response = Client(raise_request_exception=False).get("/api/v1/levels/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {
        "detail": "The data was changed by another request at the same time. Nothing was "
        "saved; try again."
    }


def test_a_line_break_in_the_path_cannot_forge_a_log_line(database_unreachable, caplog):
    """The 503's log line quoted the request's path as decoded: `%0d%0a` in an address wrote a
    line of the client's choosing into the log (`2026-12-06 ERROR ...`), as Django's own
    request log does not since it escapes the path."""
    forged = "/api/v1/x%0D%0A2026-12-06 00:00:00,000 ERROR django.security: forged/"
    client = Client(raise_request_exception=False)
    # A session to read: the database is asked who the client is.
    client.cookies["sessionid"] = "a" * 32
    with caplog.at_level(logging.INFO):
        response = client.get(forged)
    assert response.status_code == 503
    [record] = [r for r in caplog.records if r.name == "core.errors"]
    message = record.getMessage()
    assert "\r" not in message
    assert "\n" not in message
    assert "/api/v1/x\\r\\n2026-12-06" in message
