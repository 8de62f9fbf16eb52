"""A web request's query waits at most DATABASE_STATEMENT_TIMEOUT (ms) for the database, then
the site answers 503 with Retry-After, in time for gunicorn (whose worker timeout, 30 s, ended a
request blocked on a lock with an empty reply). Only web processes (competency_site.wsgi, .asgi)
set it: Celery workers and management commands run imports for longer.

Observed: with a second connection holding a lock on the levels table, GET /api/v1/levels/
waited as long as the lock was held; behind gunicorn the client got no answer at all after 30 s.
"""

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import psycopg2
import psycopg2.errors
import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client

from conftest import skip_or_fail
from core.errors import RETRY_AFTER_SECONDS, database_unavailable, statement_timed_out
from core.tests.database_errors import as_django_raises
from curricula.models import Programme
from positions.models import Level

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgres://app@127.0.0.1:1/app"
UNAVAILABLE = "The service is temporarily unavailable. Try again in a moment."
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}

# How each kind of process starts Django: gunicorn and an ASGI server import the application's
# module; a Celery worker imports the package (its Celery app), then sets Django up; a command
# sets it up through manage.py.
STARTS = {
    "web": "import competency_site.wsgi",
    "asgi": "import competency_site.asgi",
    "worker": "import competency_site, django; django.setup()",
    "command": (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'competency_site.settings');"
        " import django; django.setup()"
    ),
}


def _start(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter, with this environment less the site's variables and
    plus `env` (a PostgreSQL URL nothing listens on unless told: nothing here connects)."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k != "DATABASE_STATEMENT_TIMEOUT"
    }
    environment.update({"DATABASE_URL": POSTGRES, "CELERY_BROKER_URL": "", **env})
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _connection_options(process: str, **env: str) -> str:
    """The libpq `options` the default database connects with in a fresh `process`."""
    result = _start(
        f"{STARTS[process]}; from django.db import connection; "
        "print(connection.get_connection_params().get('options', ''))",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


@pytest.mark.parametrize("process", ["web", "asgi"])
def test_a_web_process_connects_with_a_statement_timeout_below_gunicorns(process):
    options = _connection_options(process)
    assert "-c statement_timeout=25000" in options
    assert "-c jit=off" in options
    assert "statement_timeout=300" in _connection_options(process, DATABASE_STATEMENT_TIMEOUT="300")


def test_zero_turns_the_statement_timeout_off():
    assert "statement_timeout" not in _connection_options("web", DATABASE_STATEMENT_TIMEOUT="0")


@pytest.mark.parametrize("process", ["worker", "command"])
def test_workers_and_commands_connect_without_one(process):
    options = _connection_options(process, DATABASE_STATEMENT_TIMEOUT="300")
    assert "statement_timeout" not in options
    assert "-c jit=off" in options


def test_collecting_the_suite_gives_its_connections_no_statement_timeout():
    """The test process is not a web process. The fuzz tests load the API's schema through a
    WSGI application when they are collected; through the site's (competency_site.wsgi) they gave
    every connection of every test process collecting them the web's 25 s timeout, for the whole
    run: under load (a checkpoint's fsync stalling the disk for minutes), a test's plain
    `Course.objects.exists()` was cancelled ("canceling statement due to statement timeout")."""
    result = _start(
        "import django; django.setup(); import competency_site.tests.test_fuzz_schema; "
        "from django.db import connection; print(connection.get_connection_params()['options'])",
        DJANGO_SETTINGS_MODULE="competency_site.test_settings",
        DATABASE_STATEMENT_TIMEOUT="300",
    )
    assert result.returncode == 0, result.stderr
    options = result.stdout.strip().splitlines()[-1]
    assert "synchronous_commit=off" in options  # the test settings' connection options
    assert "statement_timeout" not in options


def test_sqlite_is_given_no_options_it_would_refuse():
    result = _start(
        "import competency_site.wsgi; from django.conf import settings; "
        "print(sorted(settings.DATABASES['default']['OPTIONS']))",
        DATABASE_URL="",
        DATABASE_STATEMENT_TIMEOUT="300",
    )
    assert result.returncode == 0, result.stderr
    assert "options" not in result.stdout


@pytest.mark.parametrize("value", ["soon", "-5"])
def test_a_statement_timeout_that_is_not_a_number_of_milliseconds_is_refused_at_start(value):
    result = _start("import competency_site.wsgi", DATABASE_STATEMENT_TIMEOUT=value)
    assert result.returncode != 0
    assert "DATABASE_STATEMENT_TIMEOUT" in result.stderr


def test_a_query_cancelled_by_the_timeout_is_answered_503_but_not_retried_by_tasks():
    """core.task_retries retries only an unreachable database; a statement timeout is not one
    (workers have none, and a query cancelled by hand is not retried)."""
    error = as_django_raises(
        psycopg2, psycopg2.errors.QueryCanceled("canceling statement due to statement timeout")
    )
    assert statement_timed_out(error)
    assert not database_unavailable(error)
    wrong = as_django_raises(psycopg2, psycopg2.errors.UndefinedTable('relation "x"'))
    assert not statement_timed_out(wrong)


@pytest.fixture
def web_connection(transactional_db):
    """The suite's connection, reconnected with the options a web process gets for
    DATABASE_STATEMENT_TIMEOUT=300, and a second connection to the same database that takes
    locks; both put back afterwards."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        skip_or_fail("the statement timeout needs PostgreSQL (DATABASE_URL=postgres://...)")
    web_options = _connection_options("web", DATABASE_STATEMENT_TIMEOUT="300")
    options = connection.settings_dict.setdefault("OPTIONS", {})
    before = options.get("options")
    connection.close()
    options["options"] = web_options
    params = connection.get_connection_params()
    other = psycopg2.connect(
        **{k: v for k, v in params.items() if k in ("dbname", "user", "password", "host", "port")}
    )
    try:
        yield other
    finally:
        other.rollback()
        other.close()
        connection.close()
        if before is None:
            options.pop("options", None)
        else:
            options["options"] = before


# How long the second connection holds its lock at most: without a statement timeout the request
# waits that long, then is answered as usual.
LOCK_HELD_SECONDS = 5


def _lock(other, model) -> threading.Timer:
    """Lock `model`'s table from the `other` connection, for LOCK_HELD_SECONDS at most."""
    with other.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{model._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
    release = threading.Timer(LOCK_HELD_SECONDS, other.rollback)
    release.start()
    return release


def test_an_api_request_blocked_on_a_lock_is_answered_503_with_retry_after(web_connection, caplog):
    Level.objects.get_or_create(code="M", defaults={"name": "Mastered", "rank": 3})
    release = _lock(web_connection, Level)
    with caplog.at_level(logging.INFO):
        response = Client(raise_request_exception=False).get("/api/v1/levels/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": UNAVAILABLE}
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].name == "core.errors"
    assert records[0].exc_info is None
    message = records[0].getMessage()
    assert "statement timeout" in message
    assert "/api/v1/levels/" in message
    assert "\n" not in message
    # The lock let go, the same request is answered.
    release.cancel()
    web_connection.rollback()
    assert Client().get("/api/v1/levels/").status_code == 200


def test_a_page_blocked_on_a_lock_is_the_sites_unavailable_page(web_connection):
    release = _lock(web_connection, Programme)
    response = Client(raise_request_exception=False).get("/programs/", **ZH)
    release.cancel()
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    assert "服务暂时不可用" in response.content.decode()
