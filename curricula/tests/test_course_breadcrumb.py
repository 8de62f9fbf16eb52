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


def _current_nav_entries(client, course) -> list[str]:
    html = client.get(reverse("courses:detail", args=[course.pk])).content.decode()
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S)[0]
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', nav)


def test_the_main_navigation_highlights_no_entry_for_a_course_no_programme_teaches(client):
    """Observed: the main navigation marked "Programmes" as the current section on every course
    page, even one whose breadcrumb leads to the course search. It follows the breadcrumb: the
    course search is in no entry of the navigation, so none is marked."""
    assert _current_nav_entries(client, CourseFactory(code="NUR900")) == []


def test_the_main_navigation_highlights_programmes_for_a_course_a_programme_teaches(client):
    course = CourseFactory(code="NUR101")
    ProgrammeFactory(courses=[course])
    assert _current_nav_entries(client, course) == ["Programmes"]
