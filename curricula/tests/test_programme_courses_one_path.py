"""Courses put in a programme by staff (the course list's "Add to a programme…" action, the
API's programme PATCH) go through the same bulk writer as a catalogue imported into it
(curricula.services.programme_courses_place): a few statements however many courses, each new
place in the history with who added it and no change reason, and the programme's coverage
marked stale once and recomputed after the commit."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.history import history_bulk_write
from core.models import Provenance
from curricula.models import ProgrammeCourse
from curricula.tests.factories import CourseFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _add_by_action(client, programme, courses):
    data = {"action": "add_to_programme", ACTION_CHECKBOX_NAME: [c.pk for c in courses]}
    response = client.post(
        reverse("admin:curricula_course_changelist"),
        {**data, "apply": "1", "programme": programme.pk},
    )
    assert response.status_code == 302
    return response


def _add_by_api(client, programme, courses):
    taught = list(
        ProgrammeCourse.objects.filter(programme=programme).values_list("course_id", flat=True)
    )
    response = client.patch(
        f"/api/v1/programs/{programme.pk}/",
        {"courses": [*taught, *(c.pk for c in courses)]},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response


@pytest.fixture
def admin_door(client, staff_user):
    client.force_login(staff_user)
    client.get(reverse("admin:curricula_course_changelist"))  # sessions, permissions warmed
    return lambda programme, courses: _add_by_action(client, programme, courses)


@pytest.fixture
def api_door(staff_client):
    return lambda programme, courses: _add_by_api(staff_client, programme, courses)


@pytest.fixture(params=["admin_door", "api_door"])
def door(request):
    return request.getfixturevalue(request.param)


def _queries_to_add(door, count: int, django_capture_on_commit_callbacks) -> int:
    programme = ProgrammeFactory(courses=[CourseFactory()])
    courses = [CourseFactory() for _ in range(count)]
    with (
        django_capture_on_commit_callbacks(execute=False),
        CaptureQueriesContext(connection) as queries,
    ):
        door(programme, courses)
    assert ProgrammeCourse.objects.filter(programme=programme).count() == count + 1
    return len(queries.captured_queries)


def test_adding_courses_costs_the_same_queries_however_many(
    door, django_capture_on_commit_callbacks
):
    """Observed: each course added through the admin's action or the API's PATCH was validated,
    saved and recorded in the history by statements of its own (a few queries per course),
    where the catalogue's import into a programme writes them all in a few."""
    _queries_to_add(door, 1, django_capture_on_commit_callbacks)  # caches warmed
    assert _queries_to_add(door, 2, django_capture_on_commit_callbacks) == _queries_to_add(
        door, 20, django_capture_on_commit_callbacks
    )


def test_each_course_added_is_in_the_history_with_who_added_it_and_no_reason(
    door, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # as committed before the request
        programme = ProgrammeFactory(courses=[CourseFactory(code="OWN1")])
        courses = [CourseFactory(code="NEW1"), CourseFactory(code="NEW2")]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        door(programme, courses)

    records = ProgrammeCourse.history.filter(
        programme_id=programme.pk, course_id__in=[c.pk for c in courses]
    )
    assert sorted(r.course_id for r in records) == sorted(c.pk for c in courses)
    assert {r.history_type for r in records} == {"+"}
    assert {r.history_user_id for r in records} == {staff_user.pk}
    assert {r.history_change_reason for r in records} == {None}
    assert {r.provenance for r in records} == {Provenance.EDIT}
    assert {r.source_ref for r in records} == {""}
    entries = ProgrammeCourse.objects.filter(programme=programme).order_by("order", "pk")
    assert [e.course.code for e in entries] == ["OWN1", "NEW1", "NEW2"]
    assert [e.term for e in entries] == [None, None, None]
    # The recompute: enqueued once, after the commit.
    assert len(callbacks) == 1


def test_a_place_written_meanwhile_is_refused_with_the_message_a_save_gave():
    """The bulk writer says a clash as validated_save did for staff adding a course row by row
    (a place for the same course written meanwhile): on `courses`, not a generic message."""
    programme = ProgrammeFactory()
    course = CourseFactory()
    ProgrammeCourse.objects.create(programme=programme, course=course, order=0)
    meanwhile = ProgrammeCourse(programme=programme, course=course, order=1)

    with pytest.raises(ValidationError) as refused:
        history_bulk_write(
            model=ProgrammeCourse, create=[meanwhile], conflict={"courses": "Already in it."}
        )

    assert refused.value.message_dict == {"courses": ["Already in it."]}
    assert ProgrammeCourse.objects.filter(programme=programme).count() == 1


def test_no_reason_is_recorded_as_none_as_a_save_records_it():
    programme = ProgrammeFactory()
    entry = ProgrammeCourse(programme=programme, course=CourseFactory(), order=0)

    history_bulk_write(model=ProgrammeCourse, create=[entry], reason=None)

    (record,) = ProgrammeCourse.history.filter(id=entry.pk)
    assert record.history_change_reason is None
