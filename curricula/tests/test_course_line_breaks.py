"""A course's description and outcomes are stored with their lines ended by "\\n" and each line
trimmed, by every door: the catalogue import always did (curricula.resources.TextWidget), and
now the API and the admin's form read them by the same function (core.models.normalized_lines).
Observed: `PATCH /api/v1/courses/{id}/` of outcomes typed in a Windows client kept "\\r\\n",
and so did the admin's form (a browser's textarea sends "\\r\\n"), so the same outcomes read
apart from the imported ones (an export, a comparison, a line count)."""

import pytest
from django.urls import reverse

from curricula.models import Course
from curricula.resources import CourseResource
from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

TYPED = "  Design a schema \r\nNormalise it\r\rQuery it\r\n"
STORED = "Design a schema\nNormalise it\n\nQuery it"


def test_the_api_stores_outcomes_and_description_as_the_import_does(staff_client):
    course = CourseFactory(code="DB101")
    response = staff_client.patch(
        f"/api/v1/courses/{course.pk}/",
        {"outcomes": TYPED, "description": "Relational\r\ndatabases"},
        format="json",
    )
    assert response.status_code == 200, response.content
    course.refresh_from_db()
    assert course.outcomes == STORED
    assert course.description == "Relational\ndatabases"
    assert response.json()["outcomes"] == STORED


def test_the_api_creates_a_course_with_them_so_too(staff_client):
    course = {"code": "DB102", "title": "Databases", "outcomes": TYPED}
    response = staff_client.post("/api/v1/courses/", course, format="json")
    assert response.status_code == 201, response.content
    assert Course.objects.get(code="DB102").outcomes == STORED


def test_the_admin_form_stores_them_so_too(admin_client):
    response = admin_client.post(
        reverse("admin:curricula_course_add"),
        {
            "code": "DB103",
            "title": "Databases",
            "description": "Relational\r\ndatabases",
            "outcomes": TYPED,
            "provenance": "edit",
            "ability_links-TOTAL_FORMS": "0",
            "ability_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    course = Course.objects.get(code="DB103")
    assert course.outcomes == STORED
    assert course.description == "Relational\ndatabases"


def test_the_import_reads_them_by_the_same_function():
    assert CourseResource.fields["outcomes"].widget.clean(TYPED) == STORED


def test_stored_outcomes_are_left_as_they_are_until_edited(staff_client):
    course = CourseFactory(code="DB104", outcomes="Old\r\nlines")
    response = staff_client.patch(
        f"/api/v1/courses/{course.pk}/", {"title": "Databases"}, format="json"
    )
    assert response.status_code == 200, response.content
    course.refresh_from_db()
    assert course.outcomes == "Old\r\nlines"
