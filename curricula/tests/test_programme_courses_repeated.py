"""Observed: a list of places putting one course in a programme twice (programme_courses_place,
the catalogue import into a programme's writer) was refused with "Course 7 is given two terms."
even where neither place gave a term, naming the course by its database id; through the
catalogue import the refusal came as the service's field-keyed error, written out as a Python
dict ("{'terms': [...]}"). It now says that the course, by its code, is listed more than once,
on which lines, in the reader's language (and the terms, where the lines give different ones);
the catalogue import says it as the file's problem, in those words."""

import pytest
from django.core.exceptions import ValidationError

from curricula.models import ProgrammeCourse
from curricula.resources import LineNumberedImport
from curricula.services import CoursePlace, programme_courses_place
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from curricula.tests.plan_imports import post_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(db):
    return CourseFactory(code="C1", title="Alpha")


def _refusal(places) -> dict:
    programme = ProgrammeFactory()
    with pytest.raises(ValidationError) as raised:
        programme_courses_place(programme=programme, places=places)
    assert not ProgrammeCourse.objects.filter(programme=programme).exists()
    return raised.value.message_dict


def test_a_course_listed_twice_without_terms_is_refused_naming_its_code_and_lines(course):
    places = [
        CoursePlace(course_id=course.pk, source_ref="plan.csv, line 2", line=2),
        CoursePlace(course_id=course.pk, source_ref="plan.csv, line 5", line=5),
    ]

    assert _refusal(places) == {
        "courses": ["The course C1 is listed more than once, on lines 2, 5: list it once."]
    }


def test_a_course_listed_twice_by_no_file_is_refused_naming_its_code(course):
    places = [CoursePlace(course_id=course.pk), CoursePlace(course_id=course.pk)]

    assert _refusal(places) == {
        "courses": ["The course C1 is listed more than once: list it once."]
    }


def test_the_terms_are_said_where_the_lines_give_different_ones(course):
    places = [
        CoursePlace(course_id=course.pk, term=3, line=2),
        CoursePlace(course_id=course.pk, term=1, line=3),
    ]

    assert _refusal(places) == {
        "courses": [
            "The course C1 is listed more than once, on lines 2, 3: list it once. They give it "
            "different terms (1, 3)."
        ]
    }


def test_the_catalogue_import_says_it_as_the_file_s_problem(course, staff_client, monkeypatch):
    """Its own check of a code given twice refuses the line first; past it (a code read as two,
    matched to one course), the writer's refusal is said in its words, not as a dict."""
    monkeypatch.setattr(LineNumberedImport, "add_duplicate_error", lambda *args, **kwargs: None)
    programme = ProgrammeFactory()

    response = post_plan(staff_client, "code,title\nC1,Alpha\nC1,Alpha\n", programme=programme.pk)

    assert response.status_code == 400
    assert response.json() == {
        "file": ["The course C1 is listed more than once, on lines 2, 3: list it once."]
    }
    assert not ProgrammeCourse.objects.filter(programme=programme).exists()
