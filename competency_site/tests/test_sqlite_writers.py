"""The embedded default (SQLite) with two saves at the same moment: each transaction that reads
and then writes (a map change set, a suggestion's decision) must wait for the other rather than
fail with "database is locked", which SQLite's default deferred transactions did."""

import threading
import time

import pytest
from django.conf import settings
from django.db import transaction
from django.db.utils import ConnectionHandler

from conftest import django_in_a_fresh_process


def _read_then_write(handler: ConnectionHandler, start: threading.Barrier, n: int, errors: list):
    start.wait()
    try:
        with transaction.atomic(), handler["default"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")
            time.sleep(0.3)  # the other save starts meanwhile
            cursor.execute("INSERT INTO t (n) VALUES (%s)", [n])
    except Exception as error:
        errors.append(error)
    finally:
        handler["default"].close()


def test_two_saves_at_once_wait_for_each_other(tmp_path, monkeypatch, django_db_blocker):
    with django_db_blocker.unblock():  # a database of the test's own, not the test database
        _two_saves(tmp_path, monkeypatch)


def _two_saves(tmp_path, monkeypatch):
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "db.sqlite3"),
                "OPTIONS": dict(settings.SQLITE_OPTIONS),
            }
        }
    )
    # transaction.atomic() on these connections (one per thread, as for two requests).
    monkeypatch.setattr(transaction, "get_connection", lambda using=None: handler["default"])
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE t (n integer)")
    handler["default"].close()

    start, errors = threading.Barrier(2), []
    threads = [
        threading.Thread(target=_read_then_write, args=(handler, start, n, errors)) for n in (1, 2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT n FROM t ORDER BY n")
        assert cursor.fetchall() == [(1,), (2,)]
    handler["default"].close()


@pytest.mark.parametrize("url", ["", "sqlite:////tmp/elsewhere.sqlite3"])
def test_every_sqlite_database_gets_those_options(url):
    result = django_in_a_fresh_process(
        "settings.DATABASES['default']['OPTIONS']['transaction_mode'],"
        "settings.DATABASES['default']['OPTIONS']['timeout']",
        DATABASE_URL=url,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["IMMEDIATE", "20"]
