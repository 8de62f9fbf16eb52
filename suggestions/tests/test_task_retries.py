"""The suggestion tasks retry only when the database is out of reach, not on a wrong query: a
ProgrammingError was retried max_retries times, with backoff, before it failed as the bug it was
(see core.task_retries)."""

import pytest
from django.db import ProgrammingError

from core.tests.database_errors import connection_refused, failing, wrong_query
from suggestions import services, tasks

pytestmark = pytest.mark.django_db

TASKS = [
    (tasks.generate_suggestions, "suggestions_generate"),
    (tasks.refresh_suggestions, "suggestions_refresh"),
]


@pytest.mark.parametrize(("task", "service"), TASKS)
def test_a_wrong_query_fails_at_once_without_retries(monkeypatch, task, service):
    error = wrong_query()
    calls = failing(monkeypatch, services, service, error)
    result = task.apply()
    assert result.failed()
    assert result.result is error
    assert len(calls) == 1


@pytest.mark.parametrize(("task", "service"), TASKS)
def test_a_programming_error_is_not_retried(monkeypatch, task, service):
    calls = failing(monkeypatch, services, service, ProgrammingError("relation does not exist"))
    result = task.apply()
    assert isinstance(result.result, ProgrammingError)
    assert len(calls) == 1


@pytest.mark.parametrize(("task", "service"), TASKS)
def test_a_refused_connection_is_retried_up_to_max_retries(monkeypatch, task, service):
    refused = connection_refused()
    calls = failing(monkeypatch, services, service, refused)
    result = task.apply()
    assert result.failed()
    assert result.result is refused
    assert len(calls) == task.max_retries + 1
