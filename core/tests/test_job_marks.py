"""A job's marks: where it was asked for, when its scope cannot tell (the catalogue's page asks
for every course of the catalogue as it then is). A page following a job by its id follows only
one marked for it, one joined from there included."""

import uuid

import pytest

from core.jobs import task_marked, task_start, task_starter_record

pytestmark = pytest.mark.django_db


def _start(scope: dict, marks: list[str]) -> tuple[str, bool]:
    started = task_start(
        operation="tests.marks",
        scope=scope,
        started_by=None,
        permissions=[],
        start=lambda task_id: None,  # never run: still waiting, as a queued job is
        marks=marks,
    )
    return started.task_id, started.joined


def test_a_job_is_marked_where_it_was_asked_for_or_joined_from():
    scope = {"courses": [str(uuid.uuid4())]}
    task_id, joined = _start(scope, [])
    assert not joined
    assert not task_marked(task_id=task_id, mark="catalogue")

    again, joined = _start(scope, ["catalogue"])

    assert joined
    assert again == task_id
    assert task_marked(task_id=task_id, mark="catalogue")
    assert not task_marked(task_id=task_id, mark="elsewhere")


def test_a_job_with_no_marks_recorded_is_not_known_to_be_another_s():
    recorded = str(uuid.uuid4())
    task_starter_record(task_id=recorded, user=None, permissions=[])

    assert task_marked(task_id=recorded, mark="catalogue")
    assert task_marked(task_id=str(uuid.uuid4()), mark="catalogue")
