"""An administrator's deletion whose confirmation (the delete page's POST) PostgreSQL ends as the
loser of a deadlock, while the page reads what the deletion would take, before anything is
deleted: answered 503 with Retry-After and a message saying nothing was saved and to try
again, as the API and the admin's other pages answer it; nothing deleted."""

import time
from threading import Event, Thread

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from conftest import skip_or_fail
from core.admin import ProvenanceAdminMixin
from core.exceptions import RETRY_AFTER_SECONDS
from curricula.models import Course
from curricula.tests.factories import CourseFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_deadlock_while_the_delete_page_gathers_what_it_deletes_is_a_503(admin_user, monkeypatch):
    """Another connection holds a row the page waits for while gathering (here: a second
    course, locked by a stand-in for the collector's wait) and then waits for the course the
    page has locked: PostgreSQL ends one of the two, the page first (it waited first)."""
    if connection.vendor != "postgresql":
        skip_or_fail("two writers at once need PostgreSQL (DATABASE_URL=postgres://...)")
    course, other = CourseFactory(), CourseFactory()
    holding, page_waits = Event(), Event()
    outcome = {}

    def writer():
        try:
            with transaction.atomic():
                list(Course.objects.select_for_update().filter(pk=other.pk))
                holding.set()
                page_waits.wait(timeout=5)
                _until_blocked(page)
                list(Course.objects.select_for_update().filter(pk=course.pk))
            outcome["writer"] = "committed"
        except OperationalError as error:
            outcome["writer"] = getattr(error.__cause__, "pgcode", None)
        finally:
            holding.set()
            connections.close_all()

    gathered = ProvenanceAdminMixin.get_deleted_objects

    def gathering_waits(self, objs, request):
        page_waits.set()
        list(Course.objects.select_for_update().filter(pk=other.pk))
        return gathered(self, objs, request)

    monkeypatch.setattr(ProvenanceAdminMixin, "get_deleted_objects", gathering_waits)
    page = _backend_pid()  # the test client's requests run on this thread's connection
    thread = Thread(target=writer)
    thread.start()
    assert holding.wait(timeout=5)
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    try:
        response = client.post(
            reverse("admin:curricula_course_delete", args=[course.pk]), {"post": "yes"}
        )
    finally:
        thread.join(timeout=10)

    assert outcome["writer"] == "committed"
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "Nothing was saved; try again." in response.content.decode()
    assert Course.objects.filter(pk=course.pk).exists()


def _until_blocked(pid: int) -> None:
    """Until the session `pid` waits for a lock this one holds, or 5 seconds."""
    deadline = time.monotonic() + 5
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [pid])
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]
