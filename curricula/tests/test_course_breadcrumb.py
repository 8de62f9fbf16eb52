"""A course page's breadcrumb fits the course: "Programmes" when a programme teaches it, the
course search (the site's way to the catalogue's courses) when none does."""

import re

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _breadcrumbs(client, course) -> str:
    response = client.get(reverse("courses:detail", args=[course.pk]))
    assert response.status_code == 200
    return re.search(r'<nav class="breadcrumbs".*?</nav>', response.content.decode(), re.S)[0]


def test_a_course_no_programme_teaches_leads_back_to_the_courses(client):
    """Observed: a course no programme teaches still showed the breadcrumb "Programmes"."""
    crumbs = _breadcrumbs(client, CourseFactory(code="NUR900"))
    assert "Programmes" not in crumbs
    assert reverse("curricula:programme-list") not in crumbs
    assert f'href="{reverse("search")}?kind=courses"' in crumbs
    assert "Courses" in crumbs
    # The link opens the search for courses, ready for a query.
    page = client.get(f"{reverse('search')}?kind=courses").content.decode()
    assert '<input type="hidden" name="kind" value="courses">' in page


def test_a_course_a_programme_teaches_keeps_the_programmes(client):
    course = CourseFactory(code="NUR101")
    ProgrammeFactory(courses=[course])
    crumbs = _breadcrumbs(client, course)
    assert f'href="{reverse("curricula:programme-list")}"' in crumbs
    assert "Programmes" in crumbs
