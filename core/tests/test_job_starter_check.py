"""Who started a task is asked about again when it begins to run (core.jobs.task_starter_check,
starter_refusal): a task no user started runs as before; one whose account is gone, or was
moved out of staff, is refused like one deactivated, saying why in the language the job was
asked for in."""

import logging
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from conftest import deactivate
from core import jobs
from core.jobs import (
    StarterRefused,
    task_askers,
    task_joiner_record,
    task_readable_by,
    task_starter_check,
    task_starter_record,
)

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


def _refused_joined_job(staff_user, django_user_model, *, asked_in: str) -> StarterRefused:
    """A job started in `asked_in` by `staff_user`, joined by "late", neither of whom may run
    it when it begins: its refusal."""
    late = django_user_model.objects.create_user(username="late", is_staff=True)
    with translation.override(asked_in):
        task_id = _recorded(staff_user)
        task_joiner_record(task_id=task_id, user=late)
    deactivate(staff_user)
    with translation.override(asked_in), pytest.raises(StarterRefused) as refused:
        task_starter_check(task_id=task_id)
    return refused.value


EN = (
    "the account that started this job, staff, has been deactivated since; nothing was "
    "written (nor may late, who asked for it too)"
)


@pytest.mark.parametrize(("asked_in", "read_in"), [("zh-hans", "en"), ("en", "zh-hans")])
def test_a_refusal_is_said_in_the_language_of_whoever_reads_it(
    staff_user, django_user_model, asked_in, read_in
):
    """Each who asked for a joined job reads its status (GET /api/v1/tasks/{id}/, the pages
    following it), each in their own language: the refusal was said once, in its starter's,
    so one who joined it in English read it in Chinese. It keeps why and who, and is said
    when read."""
    refusal = _refused_joined_job(staff_user, django_user_model, asked_in=asked_in)
    with translation.override("en"):
        english = str(refusal)
    with translation.override("zh-hans"):
        chinese = str(refusal)
        expected = translation.gettext(
            "the account that started this job, %(user)s, has been deactivated since; "
            "nothing was written"
        ) % {"user": "staff"}
    assert english == EN
    assert chinese.startswith(expected)
    assert "late" in chinese
    if expected != EN.split(" (")[0]:  # translated: the reader's words, not the starter's
        assert chinese != english
    with translation.override(read_in):
        assert str(refusal) == (english if read_in == "en" else chinese)


def test_a_refusal_read_back_from_the_result_store_is_said_in_the_reader_s_language(
    staff_user, django_user_model
):
    """The status read by another process (the web's, not the worker's) takes the exception
    back from the result store, through Celery's JSON exception serialisation."""
    from celery import current_app

    refusal = _refused_joined_job(staff_user, django_user_model, asked_in="zh-hans")
    backend = current_app.backend
    stored = backend.prepare_exception(refusal, serializer="json")
    read = backend.exception_to_python(stored)
    assert isinstance(read, StarterRefused)
    with translation.override("en"):
        assert str(read) == EN


def test_a_task_runs_for_the_first_asker_who_still_may(staff_user, django_user_model, caplog):
    """A job joined while it was queued (task_joiner_record) is its joiners' too: its starter
    gone, it runs for the first one who joined it and still may, as the log says."""
    late, allowed = (
        django_user_model.objects.create_user(username=name, is_staff=True)
        for name in ("late", "allowed")
    )
    allowed.user_permissions.add(
        Permission.objects.get(codename="add_courseability", content_type__app_label="curricula")
    )
    task_id = _recorded(staff_user)
    for user in (late, staff_user, allowed, late):
        task_joiner_record(task_id=task_id, user=user)
    task_joiner_record(task_id=task_id, user=None)

    assert task_askers(task_id=task_id) == [staff_user.pk, late.pk, allowed.pk]
    assert task_starter_check(task_id=task_id) == staff_user.pk
    staff_user.delete()
    with caplog.at_level(logging.INFO, logger="core.jobs"):
        assert task_starter_check(task_id=task_id) == allowed.pk
    assert f"runs for user {allowed.pk}, who asked for it too" in caplog.text


def test_a_refusal_of_a_joined_task_names_its_joiners_in_the_reader_s_language(
    staff_user, django_user_model
):
    joiner = django_user_model.objects.create_user(username="joiner", is_staff=True)
    with translation.override("zh-hans"):
        task_id = _recorded(staff_user)
    with translation.override("en"):
        task_joiner_record(task_id=task_id, user=joiner)
    deactivate(staff_user)

    with translation.override("en"), pytest.raises(StarterRefused) as refused:
        task_starter_check(task_id=task_id)

    with translation.override("zh-hans"):
        starters = jobs.starter_refusal(user_id=staff_user.pk, permissions=[PERMISSION])
    assert starters != jobs.starter_refusal(user_id=staff_user.pk, permissions=[PERMISSION])
    # Why its starter may not, in the language of whoever reads it, then who joined it.
    with translation.override("zh-hans"):
        said = str(refused.value)
    assert said.startswith(starters)
    assert "joiner" in said[len(starters) :]


def test_one_who_joined_a_task_reads_it(staff_without_perms, staff_user):
    task_id = _recorded(staff_user)
    assert not task_readable_by(task_id=task_id, user=staff_without_perms)

    task_joiner_record(task_id=task_id, user=staff_without_perms)

    assert task_readable_by(task_id=task_id, user=staff_without_perms)
