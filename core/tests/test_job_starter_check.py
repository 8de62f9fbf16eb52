"""Who started a task is asked about again when it begins to run (core.jobs.task_starter_check,
starter_refusal): a task no user started runs as before; one whose account is gone, or was
moved out of staff, is refused like one deactivated, saying why in the language the job was
asked for in."""

import uuid

import pytest
from django.utils import translation

from core import jobs
from core.jobs import StarterRefused, task_starter_check, task_starter_record

pytestmark = pytest.mark.django_db

PERMISSION = "curricula.add_courseability"


def _recorded(user) -> str:
    task_id = str(uuid.uuid4())
    task_starter_record(task_id=task_id, user=user, permissions=[PERMISSION])
    return task_id


def test_a_task_no_user_started_runs():
    task_starter_check(task_id=_recorded(None))
    # Nor one without a record at all (the sweep's, or started while the cache was down).
    task_starter_check(task_id=str(uuid.uuid4()))
    task_starter_check(task_id=None)


def test_a_task_its_starter_still_may_run_runs(staff_user):
    task_starter_check(task_id=_recorded(staff_user))


def test_a_task_whose_starter_was_deleted_is_refused(staff_user):
    task_id = _recorded(staff_user)
    staff_user.delete()

    with pytest.raises(StarterRefused) as refused:
        task_starter_check(task_id=task_id)

    assert str(refused.value) == (
        "the account that started this job no longer exists; nothing was written"
    )


def test_a_task_whose_starter_is_no_longer_staff_is_refused(staff_user):
    task_id = _recorded(staff_user)
    staff_user.is_staff = False
    staff_user.save(update_fields=["is_staff"])

    with pytest.raises(StarterRefused) as refused:
        task_starter_check(task_id=task_id)

    assert str(refused.value) == (
        "the account that started this job, staff, is no longer a staff account; "
        "nothing was written"
    )


def test_the_refusal_is_said_in_the_language_the_job_was_asked_for_in(staff_user, monkeypatch):
    with translation.override("zh-hans"):
        task_id = _recorded(staff_user)
    # What language the refusal is made in, wherever the task runs (a worker's is its own).
    monkeypatch.setattr(jobs, "starter_refusal", lambda **kwargs: translation.get_language())

    with translation.override("en"), pytest.raises(StarterRefused, match=r"^zh-hans$"):
        task_starter_check(task_id=task_id)
