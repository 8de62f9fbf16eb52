"""Observed (an administrator, with an API client allowed to delete): a record added to a course,
a programme or a position (a link, a place in a programme, a requirement; through the admin, the
API, the map editor, an import or a restore) and committed while a deletion of that parent was
under way was missed by Django's collector, which had read the parent's records already; the
database then refused the deletion at its commit (PostgreSQL checks foreign keys there), a 500
for the person deleting. The parent's row is now locked before its records are gathered, so the
record being added waits for the deletion and then finds its parent gone; and a record added to
one deleted with the parent (a link to an ability of a framework being deleted) is told as a
deletion refused, nothing deleted, not a 500."""

import time
from collections.abc import Callable
from threading import Event, Thread

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.db.models.signals import pre_delete, pre_save
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import skip_or_fail
from core import history
from core.exceptions import DeletionConflict
from curricula.models import Course, CourseAbility, Programme, ProgrammeCourse
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.models import (
    Ability,
    DegreeLevel,
    Framework,
    Placement,
    Position,
    Requirement,
    Track,
)
from positions.tests.factories import AbilityFactory, PositionFactory, TrackFactory, level

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _needs_postgresql():
    if connection.vendor != "postgresql":
        skip_or_fail("two writers at once need PostgreSQL (DATABASE_URL=postgres://...)")


class AddedMeanwhile:
    """Another connection adds a record (`add`) and commits it once the deletion of a `parent`
    (a record of that model) has gathered what it deletes (its pre_delete signal), before the
    deletion writes anything. The deletion goes on when the record is committed, or when its
    commit waits for a lock the deletion holds."""

    def __init__(self, parent: type, add: Callable[[], object]):
        self.parent, self.add = parent, add
        self.added, self.gathered, self.done = Event(), Event(), Event()
        self.pid = None
        self.outcome = ""

    def _writer(self):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    self.pid = cursor.fetchone()[0]
                self.add()
                self.added.set()
                self.gathered.wait(timeout=5)
            self.outcome = "committed"
        except IntegrityError:
            self.outcome = "refused"
        except OperationalError as error:
            if getattr(error.__cause__, "pgcode", None) != "40P01":
                raise
            self.outcome = "deadlocked"
        finally:
            self.added.set()
            self.done.set()
            connections.close_all()

    def _gathered(self, sender, instance, **kwargs):
        if self.gathered.is_set():
            return
        self.gathered.set()
        deadline = time.monotonic() + 5
        while not self.done.wait(0.01) and time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [self.pid])
                if cursor.fetchone()[0]:
                    return  # the record's commit waits for the deletion

    def __enter__(self):
        pre_delete.connect(self._gathered, sender=self.parent, weak=False)
        self.thread = Thread(target=self._writer)
        self.thread.start()
        assert self.added.wait(timeout=5)
        return self

    def __exit__(self, *exc):
        self.gathered.set()
        self.thread.join(timeout=10)
        pre_delete.disconnect(self._gathered, sender=self.parent)


def _link_adder(course: Course) -> Callable[[], object]:
    ability = AbilityFactory()
    reached = level("R")
    return lambda: CourseAbility.objects.create(course=course, ability=ability, level=reached)


def _admin_post(user, url: str, data: dict) -> tuple[int, list[str]]:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.post(url, data)
    return response.status_code, [str(m) for m in get_messages(response.wsgi_request)]


def test_an_admins_deletion_of_a_course_goes_through_while_a_link_is_added_to_it(admin_user):
    _needs_postgresql()
    course = CourseFactory()
    url = reverse("admin:curricula_course_delete", args=[course.pk])

    with AddedMeanwhile(Course, _link_adder(course)) as adding:
        status, texts = _admin_post(admin_user, url, {"post": "yes"})

    assert status == 302, (status, texts)
    assert adding.outcome == "refused"
    assert not Course.objects.filter(pk=course.pk).exists()
    assert not CourseAbility.objects.exists()


def test_deleting_selected_courses_goes_through_while_a_link_is_added_to_one(admin_user):
    _needs_postgresql()
    courses = CourseFactory.create_batch(2)
    data = {
        "action": "delete_selected",
        "_selected_action": [course.pk for course in courses],
        "post": "yes",
    }

    with AddedMeanwhile(Course, _link_adder(courses[1])) as adding:
        status, texts = _admin_post(admin_user, reverse("admin:curricula_course_changelist"), data)

    assert status == 302, (status, texts)
    assert any("Successfully deleted 2" in text for text in texts), texts
    assert adding.outcome == "refused"
    assert not Course.objects.exists()
    assert not CourseAbility.objects.exists()


def test_deleting_a_track_a_placement_is_added_to_meanwhile_goes_through(admin_user):
    """A track is kept by its placements (protected): one added meanwhile was not seen by the
    check, and the deletion failed at its commit."""
    _needs_postgresql()
    track = TrackFactory()
    position = PositionFactory()
    url = reverse("admin:positions_track_delete", args=[track.pk])

    def add():
        Placement.objects.create(position=position, track=track, degree_level=DegreeLevel.BACHELOR)

    with AddedMeanwhile(Track, add) as adding:
        status, texts = _admin_post(admin_user, url, {"post": "yes"})

    assert status == 302, (status, texts)
    assert adding.outcome == "refused"
    assert not Track.objects.filter(pk=track.pk).exists()


def test_a_link_added_to_an_ability_of_a_framework_being_deleted_refuses_the_deletion(
    admin_user,
):
    """The link's course and ability are not what the administrator deletes (the framework is):
    the deletion is refused in words, nothing deleted, and the page shows what it would delete
    now."""
    _needs_postgresql()
    ability = AbilityFactory()
    framework = ability.framework
    course = CourseFactory()
    reached = level("R")
    url = reverse("admin:positions_framework_delete", args=[framework.pk])

    def add():
        CourseAbility.objects.create(course=course, ability=ability, level=reached)

    with AddedMeanwhile(Framework, add) as adding:
        status, texts = _admin_post(admin_user, url, {"post": "yes"})

    assert status == 302, (status, texts)
    assert adding.outcome == "committed"
    assert any("was not deleted" in text for text in texts), texts
    assert Framework.objects.filter(pk=framework.pk).exists()
    assert Ability.objects.filter(pk=ability.pk).exists()
    assert CourseAbility.objects.filter(ability=ability).exists()


def test_deleting_selected_frameworks_one_gets_a_link_meanwhile_deletes_none(admin_user):
    _needs_postgresql()
    ability = AbilityFactory()
    other = AbilityFactory()
    course = CourseFactory()
    reached = level("R")
    data = {
        "action": "delete_selected",
        "_selected_action": [ability.framework_id, other.framework_id],
        "post": "yes",
    }

    def add():
        CourseAbility.objects.create(course=course, ability=ability, level=reached)

    with AddedMeanwhile(Framework, add) as adding:
        status, texts = _admin_post(
            admin_user, reverse("admin:positions_framework_changelist"), data
        )

    assert status == 302, (status, texts)
    assert adding.outcome == "committed"
    assert any("were not deleted" in text for text in texts), texts
    assert not any("Successfully" in text for text in texts), texts
    assert Framework.objects.count() == 2


def _api_delete(user, url: str):
    client = APIClient()
    client.force_authenticate(user)
    return client.delete(url)


def test_an_api_deletion_of_a_course_goes_through_while_a_link_is_added_to_it(admin_user):
    _needs_postgresql()
    course = CourseFactory()

    with AddedMeanwhile(Course, _link_adder(course)) as adding:
        response = _api_delete(admin_user, f"/api/v1/courses/{course.pk}/")

    assert response.status_code == 204, response.content
    assert adding.outcome == "refused"
    assert not Course.objects.exists()


def test_an_api_deletion_of_a_programme_goes_through_while_a_course_is_added_to_it(
    admin_user,
):
    _needs_postgresql()
    programme = ProgrammeFactory()
    course = CourseFactory()

    def add():
        ProgrammeCourse.objects.create(programme=programme, course=course, order=1)

    with AddedMeanwhile(Programme, add) as adding:
        response = _api_delete(admin_user, f"/api/v1/programs/{programme.pk}/")

    assert response.status_code == 204, response.content
    # The place marked the programme's coverage stale, a row the deletion deletes too, and its
    # key to the programme was checked at its commit, after the deletion had locked the
    # programme: each waited for the other, and PostgreSQL ended one (a deadlock). The place's
    # writer now locks the programme (as the check of its key does) before its coverage row:
    # the deletion waits for it, then deletes the place too.
    assert adding.outcome == "committed"
    assert not Programme.objects.exists()
    assert not ProgrammeCourse.objects.exists()


def test_an_api_deletion_of_a_position_goes_through_while_a_requirement_is_added_to_it(
    admin_user,
):
    _needs_postgresql()
    position = PositionFactory()
    ability = AbilityFactory()
    reached = level("R")

    def add():
        Requirement.objects.create(position=position, ability=ability, min_level=reached)

    with AddedMeanwhile(Position, add) as adding:
        response = _api_delete(admin_user, f"/api/v1/positions/{position.pk}/")

    assert response.status_code == 204, response.content
    assert adding.outcome == "refused"
    assert not Position.objects.exists()


def test_a_link_added_in_the_admin_while_its_course_is_deleted_says_so(admin_user):
    """The other side: the link's form was valid (the course there still), the course was
    deleted before the link's commit, and the database refused the link there: a 500 for the
    person adding it. Now told in words, nothing saved."""
    _needs_postgresql()
    course = CourseFactory()
    ability = AbilityFactory()
    data = {"course": course.pk, "ability": ability.pk, "level": level("R").pk}

    def course_deleted_meanwhile(instance, **kwargs):
        deleter = Thread(target=_course_delete, args=[course.pk])
        deleter.start()
        deleter.join(timeout=10)

    pre_save.connect(course_deleted_meanwhile, sender=CourseAbility, weak=False)
    try:
        status, texts = _admin_post(admin_user, reverse("admin:curricula_courseability_add"), data)
    finally:
        pre_save.disconnect(course_deleted_meanwhile, sender=CourseAbility)

    assert status == 302, (status, texts)
    assert any("was not saved" in text for text in texts), texts
    assert not any("successfully" in text for text in texts), texts
    assert not Course.objects.exists()
    assert not CourseAbility.objects.exists()


def _course_delete(course_id: int) -> None:
    try:
        Course.objects.get(pk=course_id).delete()
    finally:
        connections.close_all()


def test_reverting_a_frameworks_creation_while_a_link_is_added_to_its_ability_deletes_nothing(
    admin_user,
):
    """The history API's revert of a creation deletes the record: a link added meanwhile to an
    ability deleted with the framework failed its commit (a 500). Now a DeletionConflict (the
    API's 409), nothing deleted."""
    _needs_postgresql()
    ability = AbilityFactory()
    framework = ability.framework
    course = CourseFactory()
    reached = level("R")
    (change,) = history.history_changes(
        model=Framework, records=[Framework.history.get(id=framework.pk, history_type="+")]
    )

    def add():
        CourseAbility.objects.create(course=course, ability=ability, level=reached)

    with AddedMeanwhile(Framework, add) as adding, pytest.raises(DeletionConflict):
        history.history_change_revert(change=change, user=admin_user, reason="Added by mistake")

    assert adding.outcome == "committed"
    assert Framework.objects.filter(pk=framework.pk).exists()
    assert CourseAbility.objects.filter(ability=ability).exists()


def test_an_imports_bulk_deletion_goes_through_while_a_link_is_added_to_a_course(admin_user):
    """Imports delete in bulk (history_bulk_write): a course a link was added to meanwhile
    failed the import's commit (a 500, or a failed background job)."""
    _needs_postgresql()
    courses = CourseFactory.create_batch(2)

    with AddedMeanwhile(Course, _link_adder(courses[1])) as adding, transaction.atomic():
        history.history_bulk_write(model=Course, delete=courses, user=admin_user, reason="Import")

    assert adding.outcome == "refused"
    assert not Course.objects.exists()
    assert not CourseAbility.objects.exists()
