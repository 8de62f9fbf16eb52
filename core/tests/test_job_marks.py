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


def test_two_joining_at_once_with_different_marks_both_keep_theirs(monkeypatch):
    """Observed (read in the code): a joiner read the task's record, added its marks and wrote
    the record back; another joining between that read and that write had its marks
    overwritten. The interleaving is made, not raced: the second joins whole while the first
    reads the record (after the first's first read of the task's marks, or before its first
    write of them)."""
    from core import jobs

    scope = {"courses": [str(uuid.uuid4())]}
    task_id, _ = _start(scope, [])
    interleaved = []

    def let_the_other_join_first(name):
        real = getattr(jobs.cache, name)

        def call(key_or_keys, *args, **kwargs):
            keys = [key_or_keys] if isinstance(key_or_keys, str) else list(key_or_keys)
            mine = not interleaved and any(
                key.startswith(("jobs:starter:", "jobs:mark:")) for key in keys
            )
            if mine and name.startswith("set"):  # the other joins before this write
                interleaved.append(name)
                _start(scope, ["elsewhere"])
            value = real(key_or_keys, *args, **kwargs)
            if mine and name.startswith("get"):  # the other joins after this read
                interleaved.append(name)
                _start(scope, ["elsewhere"])
            return value

        monkeypatch.setattr(jobs.cache, name, call)

    for name in ("get", "get_many", "set", "set_many"):
        let_the_other_join_first(name)
    _, joined = _start(scope, ["catalogue"])
    monkeypatch.undo()

    assert interleaved
    assert joined
    assert task_marked(task_id=task_id, mark="catalogue")
    assert task_marked(task_id=task_id, mark="elsewhere")
    assert not task_marked(task_id=task_id, mark="third")
