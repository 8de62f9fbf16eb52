"""Observed (an administrator's pass over *Deleted records*): two restores of one deleted link
arriving together (two administrators, two tabs, a double click) both found it still deleted
before either wrote; the second's insert then clashed with the first's row, a 500. A restore
racing the deletion of the link's course found the course there, wrote the link, and the
database refused it only at the commit, a 500 too. The second writer is now told what happened
and nothing of its restore is written."""

import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from threading import Barrier, BrokenBarrierError, Event, Thread

import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from conftest import skip_or_fail
from core import history
from curricula.models import Course, CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.tests.factories import AbilityFactory, level

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _needs_postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("two writers at once need PostgreSQL (DATABASE_URL=postgres://...)")


def _deleted_link():
    course = CourseFactory(code="WEB101")
    link = CourseAbilityFactory(course=course, ability=AbilityFactory(), level=level("R"))
    link_id = link.pk
    link.delete()
    deletion = CourseAbility.history.get(id=link_id, history_type="-")
    url = reverse("admin:curricula_courseability_restore", args=[deletion.history_id])
    return link_id, course.pk, url


def _post(user, url: str) -> tuple[int, list[str]]:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    try:
        response = client.post(url, {"reason": "Deleted by mistake"})
        return response.status_code, [str(m) for m in get_messages(response.wsgi_request)]
    finally:
        connections.close_all()


def test_two_restores_of_one_record_at_once_restore_it_once_and_tell_the_second(
    monkeypatch, admin_user
):
    _needs_postgresql()
    link_id, _course_id, url = _deleted_link()
    # Each restore, once it has checked the link's parents, waits for the other to have
    # checked them too (the race made certain); one kept out meanwhile waits in vain, goes on.
    both_checked = Barrier(2, timeout=3)
    checked = history._check_parents

    def checked_then_wait(obj, user):
        checked(obj, user)
        with suppress(BrokenBarrierError):
            both_checked.wait()

    monkeypatch.setattr(history, "_check_parents", checked_then_wait)
    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(lambda _: _post(admin_user, url), range(2)))

    assert [status for status, _ in answers] == [200, 302], answers
    assert any("exists again" in text for text in answers[0][1]), answers
    assert CourseAbility.objects.filter(pk=link_id).count() == 1
    kinds = list(
        CourseAbility.history.filter(id=link_id)
        .order_by("history_date", "history_id")
        .values_list("history_type", flat=True)
    )
    assert kinds == ["+", "-", "+"]


def test_a_restore_racing_its_parents_deletion_says_to_restore_the_parent(admin_user):
    _needs_postgresql()
    link_id, course_id, url = _deleted_link()
    validated, deleted = Event(), Event()

    def validated_then_wait(instance, **kwargs):
        # The restore has checked the link (the course is there still) and is about to write.
        validated.set()
        deleted.wait(timeout=3)

    def delete_course():
        try:
            validated.wait(timeout=3)
            Course.objects.get(pk=course_id).delete()
        finally:
            deleted.set()
            connections.close_all()

    pre_save.connect(validated_then_wait, sender=CourseAbility, weak=False)
    try:
        deleter = Thread(target=delete_course)
        deleter.start()
        status, texts = _post(admin_user, url)
        deleter.join()
    finally:
        pre_save.disconnect(validated_then_wait, sender=CourseAbility)

    assert status == 200, (status, texts)
    assert any("restore the course first" in text for text in texts), texts
    assert not Course.objects.filter(pk=course_id).exists()
    assert not CourseAbility.objects.filter(pk=link_id).exists()
    assert CourseAbility.history.filter(id=link_id).count() == 2  # its creation, its deletion


def test_a_parent_deleted_between_the_restores_checks_is_named_too(monkeypatch, admin_user):
    """The course deleted after the restore found it there, before the link is validated:
    the validation's own message ("course instance with id 7 is not a valid choice.") named
    no fix."""
    _needs_postgresql()
    link_id, course_id, url = _deleted_link()
    checked = history._check_parents

    def checked_then_deleted(obj, user):
        checked(obj, user)
        if Course.objects.filter(pk=course_id).exists():
            Thread(target=_delete_course, args=[course_id]).start()
            _wait_until_gone(course_id)

    monkeypatch.setattr(history, "_check_parents", checked_then_deleted)
    status, texts = _post(admin_user, url)

    assert status == 200, (status, texts)
    assert any("restore the course first" in text for text in texts), texts
    assert not CourseAbility.objects.filter(pk=link_id).exists()


def _delete_course(course_id):
    try:
        Course.objects.get(pk=course_id).delete()
    finally:
        connections.close_all()


def _wait_until_gone(course_id):
    for _ in range(300):
        if not Course.objects.filter(pk=course_id).exists():
            return
        time.sleep(0.01)


def test_two_reverts_bringing_back_one_deleted_record_at_once_write_it_once(admin_user):
    """A version's Revert of a deleted link brings it back too: two at once both found it gone,
    and the second's insert clashed with the first's row (a 500)."""
    _needs_postgresql()
    link = CourseAbilityFactory(course=CourseFactory(), ability=AbilityFactory(), level=level("R"))
    link_id = link.pk
    version = link.history.get(history_type="+")
    link.delete()
    url = reverse(
        "admin:curricula_courseability_simple_history", args=[link_id, version.history_id]
    )
    client = Client()
    client.force_login(admin_user)
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    both_validated = Barrier(2, timeout=3)

    def validated_then_wait(instance, **kwargs):
        with suppress(BrokenBarrierError):
            both_validated.wait()

    def revert(_):
        client = Client(raise_request_exception=False)
        client.force_login(admin_user)
        try:
            response = client.post(url, data)
            return response.status_code, [str(m) for m in get_messages(response.wsgi_request)]
        finally:
            connections.close_all()

    pre_save.connect(validated_then_wait, sender=CourseAbility, weak=False)
    try:
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(revert, range(2)))
    finally:
        pre_save.disconnect(validated_then_wait, sender=CourseAbility)

    assert [status for status, _ in answers] == [302, 302], answers
    texts = [text for _, texts in answers for text in texts]
    assert any("was not reverted" in text for text in texts), texts
    assert CourseAbility.objects.filter(pk=link_id).count() == 1
    assert CourseAbility.history.filter(id=link_id).count() == 3
