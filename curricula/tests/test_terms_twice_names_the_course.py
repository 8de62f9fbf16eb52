"""Observed: giving one course two terms in a programme's `terms` (PATCH or POST
/api/v1/programs/) was refused with "Course 7 is given two terms.", naming the course by its
database id, which the reader never sees. It now names the course by its code."""

import pytest

from curricula.models import ProgrammeCourse
from curricula.tests.factories import CourseFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    # An id no code could be mistaken for.
    return CourseFactory(code="NET-301", title="Networks")


def test_patching_a_course_s_term_twice_names_the_course_by_its_code(staff_client, course):
    programme = ProgrammeFactory()
    ProgrammeCourse.objects.create(programme=programme, course=course, order=0, term=1)
    twice = [{"course": course.pk, "term": 4}, {"course": course.pk, "term": 5}]
    response = staff_client.patch(
        f"/api/v1/programs/{programme.pk}/", {"terms": twice}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["terms"] == ["Course NET-301 is given two terms."], response.json()
    assert ProgrammeCourse.objects.get(programme=programme, course=course).term == 1


def test_creating_a_programme_with_a_course_s_term_twice_names_it_too(staff_client, course):
    response = staff_client.post(
        "/api/v1/programs/",
        {
            "name": "Networking",
            "own_degree_level": "bachelor",
            "courses": [course.pk],
            "terms": [{"course": course.pk, "term": 1}, {"course": course.pk, "term": 2}],
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["terms"] == ["Course NET-301 is given two terms."], response.json()
