"""The coverage tasks retry only when the database is out of reach. They were retried on every
DatabaseError, so a wrong query (ProgrammingError) or a broken constraint ran again and again,
max_retries times with backoff, before it failed as the bug it was from the start."""

import psycopg2
import psycopg2.errors
import pytest
from django.db import IntegrityError

from core.tests.database_errors import as_django_raises, connection_refused, failing, wrong_query
from curricula import tasks

pytestmark = pytest.mark.django_db

# Each retrying task, with the service it runs.
TASKS = [
    (tasks.recompute_coverage, "coverage_recompute"),
    (tasks.sweep_stale_coverage, "coverage_sweep"),
]


@pytest.mark.parametrize(("task", "service"), TASKS)
def test_a_wrong_query_fails_at_once_without_retries(monkeypatch, task, service):
    error = wrong_query()
    calls = failing(monkeypatch, tasks, service, error)
    result = task.apply()
    assert result.failed()
    assert result.result is error
    assert len(calls) == 1


def test_a_broken_constraint_is_not_retried(monkeypatch):
    calls = failing(monkeypatch, tasks, "coverage_recompute", IntegrityError("duplicate key"))
    result = tasks.recompute_coverage.apply()
    assert isinstance(result.result, IntegrityError)
    assert len(calls) == 1


@pytest.mark.parametrize(("task", "service"), TASKS)
def test_a_refused_connection_is_retried_up_to_max_retries(monkeypatch, task, service):
    refused = connection_refused()
    calls = failing(monkeypatch, tasks, service, refused)
    result = task.apply()
    assert result.failed()
    assert len(calls) == task.max_retries + 1
    # What failed in the end is still said: the database refused the connection.
    assert result.result is refused


def test_a_task_that_reaches_the_database_on_a_retry_succeeds(monkeypatch):
    refused = connection_refused()
    recompute = tasks.coverage_recompute
    calls: list[int] = []

    def recover(**kwargs):
        calls.append(1)
        if len(calls) < 3:
            raise refused
        return recompute(**kwargs)

    monkeypatch.setattr(tasks, "coverage_recompute", recover)
    result = tasks.recompute_coverage.apply(kwargs={"programme_ids": []})
    assert result.successful(), result.result
    assert len(calls) == 3


@pytest.mark.parametrize(
    "cause",
    [
        psycopg2.errors.DiskFull("could not extend file: No space left on device"),
        psycopg2.errors.OutOfMemory("out of memory"),
        psycopg2.errors.IdleSessionTimeout("terminating connection due to idle-session timeout"),
        psycopg2.errors.TransactionResolutionUnknown("connection lost during commit"),
    ],
)
def test_the_server_short_of_disk_or_memory_or_ending_the_session_is_retried(monkeypatch, cause):
    """The server's own condition, which passes, not the task's query: retried like a refusal."""
    error = as_django_raises(psycopg2, cause)
    calls = failing(monkeypatch, tasks, "coverage_recompute", error)
    result = tasks.recompute_coverage.apply()
    assert result.result is error
    assert len(calls) == tasks.recompute_coverage.max_retries + 1


def test_a_query_past_temp_file_limit_is_not_retried(monkeypatch):
    """53400 configuration_limit_exceeded: the query's own size, which a retry repeats."""
    cause = psycopg2.errors.ConfigurationLimitExceeded("temporary file size exceeds limit")
    calls = failing(monkeypatch, tasks, "coverage_recompute", as_django_raises(psycopg2, cause))
    tasks.recompute_coverage.apply()
    assert len(calls) == 1
