"""Courses taken out of a programme (the API's programme PATCH with a shorter course list, a
decision scenario's removed courses) and the terms set on its courses (the API's `terms`, the
admin's *Set terms…*) are written in bulk (core.history.history_bulk_write), as the courses put
in it are: a few statements however many rows, each one in the history with who changed it and
no change reason, and the programme's coverage marked stale once and recomputed after the
commit."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Provenance
from curricula.models import ProgrammeCourse
from curricula.tests.factories import CourseFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _remove_by_api(client, programme, keep):
    response = client.patch(
        f"/api/v1/programs/{programme.pk}/", {"courses": [c.pk for c in keep]}, format="json"
    )
    assert response.status_code == 200, response.content


def _terms_by_api(client, programme, terms):
    response = client.patch(
        f"/api/v1/programs/{programme.pk}/",
        {"terms": [{"course": pk, "term": term} for pk, term in terms.items()]},
        format="json",
    )
    assert response.status_code == 200, response.content


def _terms_by_admin(client, programme, terms):
    response = client.post(
        reverse("admin:curricula_programme_changelist"),
        {
            "action": "set_terms",
            ACTION_CHECKBOX_NAME: [programme.pk],
            "apply": "1",
            **{f"term_{pk}": "" if term is None else str(term) for pk, term in terms.items()},
        },
    )
    assert response.status_code == 302, response.content


@pytest.fixture
def admin_terms(client, staff_user):
    client.force_login(staff_user)
    client.get(reverse("admin:curricula_programme_changelist"))  # sessions, permissions warmed
    return lambda programme, terms: _terms_by_admin(client, programme, terms)


@pytest.fixture
def api_terms(staff_client):
    return lambda programme, terms: _terms_by_api(staff_client, programme, terms)


@pytest.fixture(params=["admin_terms", "api_terms"])
def set_terms(request):
    return request.getfixturevalue(request.param)


def _queries_to_remove(client, count: int, django_capture_on_commit_callbacks) -> int:
    kept = CourseFactory()
    programme = ProgrammeFactory(courses=[kept, *(CourseFactory() for _ in range(count))])
    with (
        django_capture_on_commit_callbacks(execute=False),
        CaptureQueriesContext(connection) as queries,
    ):
        _remove_by_api(client, programme, [kept])
    assert list(programme.programme_courses.values_list("course_id", flat=True)) == [kept.pk]
    return len(queries.captured_queries)


def test_removing_courses_costs_the_same_queries_however_many(
    staff_client, django_capture_on_commit_callbacks
):
    """Observed: each course taken out of a programme was deleted, recorded in the history and
    its coverage marked by statements of its own (about ten queries per course)."""
    _queries_to_remove(staff_client, 1, django_capture_on_commit_callbacks)  # caches warmed
    assert _queries_to_remove(
        staff_client, 2, django_capture_on_commit_callbacks
    ) == _queries_to_remove(staff_client, 20, django_capture_on_commit_callbacks)


def _queries_to_set_terms(set_terms, count: int, django_capture_on_commit_callbacks) -> int:
    courses = [CourseFactory() for _ in range(count)]
    programme = ProgrammeFactory(courses=courses)
    terms = {course.pk: 1 + i % 8 for i, course in enumerate(courses)}
    with (
        django_capture_on_commit_callbacks(execute=False),
        CaptureQueriesContext(connection) as queries,
    ):
        set_terms(programme, terms)
    assert dict(programme.programme_courses.values_list("course_id", "term")) == terms
    return len(queries.captured_queries)


def test_setting_terms_costs_the_same_queries_however_many(
    set_terms, django_capture_on_commit_callbacks
):
    """Observed: each term set (the API's `terms`, the admin's Set terms…) locked, re-read,
    saved and recorded its course's place on its own (about ten queries per course)."""
    _queries_to_set_terms(set_terms, 1, django_capture_on_commit_callbacks)  # caches warmed
    assert _queries_to_set_terms(
        set_terms, 2, django_capture_on_commit_callbacks
    ) == _queries_to_set_terms(set_terms, 20, django_capture_on_commit_callbacks)


def test_each_course_removed_is_in_the_history_with_who_removed_it_and_no_reason(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # as committed before the request
        kept, gone1, gone2 = (CourseFactory(code=code) for code in ("KEEP", "GONE1", "GONE2"))
        programme = ProgrammeFactory(courses=[gone1, kept, gone2])
        added = CourseFactory(code="NEW")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _remove_by_api(staff_client, programme, [kept, added])

    records = ProgrammeCourse.history.filter(programme_id=programme.pk, history_type="-")
    assert sorted(r.course_id for r in records) == sorted([gone1.pk, gone2.pk])
    assert {r.history_user_id for r in records} == {staff_user.pk}
    assert {r.history_change_reason for r in records} == {None}
    entries = ProgrammeCourse.objects.filter(programme=programme).order_by("order", "pk")
    # The new one after every place the programme had, the removed ones' too, as before.
    assert [(e.course.code, e.order) for e in entries] == [("KEEP", 1), ("NEW", 3)]
    assert len(callbacks) == 1  # the recompute: enqueued once, after the commit


def test_each_term_changed_is_in_the_history_as_a_staff_edit_and_others_are_left_alone(
    set_terms, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        courses = [CourseFactory(code=code) for code in ("T1", "T2", "T3", "T4")]
        programme = ProgrammeFactory(courses=courses)
        ProgrammeCourse.objects.filter(programme=programme).update(
            provenance=Provenance.IMPORT, source_ref="catalogue.xlsx:4"
        )
        ProgrammeCourse.objects.filter(course__in=courses[2:]).update(term=5)
    before = ProgrammeCourse.history.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        set_terms(
            programme,
            {courses[0].pk: 1, courses[1].pk: None, courses[2].pk: 5, courses[3].pk: None},
        )

    entries = {e.course.code: e for e in ProgrammeCourse.objects.filter(programme=programme)}
    assert {code: e.term for code, e in entries.items()} == {
        "T1": 1,
        "T2": None,
        "T3": 5,
        "T4": None,
    }
    # Changed: marked edited by staff, the file's place kept, as a save of the term left it.
    assert {code: e.provenance for code, e in entries.items()} == {
        "T1": Provenance.EDIT,
        "T2": Provenance.IMPORT,
        "T3": Provenance.IMPORT,
        "T4": Provenance.EDIT,
    }
    assert {e.source_ref for e in entries.values()} == {"catalogue.xlsx:4"}
    records = ProgrammeCourse.history.order_by("history_id")[before:]
    assert sorted((r.course_id, r.term) for r in records) == sorted(
        [(courses[0].pk, 1), (courses[3].pk, None)]
    )
    assert {r.history_type for r in records} == {"~"}
    assert {r.history_user_id for r in records} == {staff_user.pk}
    assert {r.history_change_reason for r in records} == {None}
    assert {r.provenance for r in records} == {Provenance.EDIT}
    assert len(callbacks) == 1


def test_terms_that_change_nothing_write_nothing(set_terms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        programme = ProgrammeFactory(courses=[CourseFactory()])
        entry = programme.programme_courses.get()
        ProgrammeCourse.objects.filter(pk=entry.pk).update(term=3)
    before = ProgrammeCourse.history.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        set_terms(programme, {entry.course_id: 3})

    assert ProgrammeCourse.history.count() == before
    assert callbacks == []
