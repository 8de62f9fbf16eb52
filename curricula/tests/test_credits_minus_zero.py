"""A course's credits are never negative (the table's check), and -0 is 0: the API answered
`"credits": "-0"` with `-0.0`, and a catalogue's `-0` cell was kept as -0. The admin's form
refused negative credits only with the constraint's name; it now says what the catalogue
import says."""

import math
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command

from curricula.models import Course
from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def test_the_api_answers_minus_zero_credits_as_zero(staff_client):
    course = CourseFactory(credits=3)
    url = f"/api/v1/courses/{course.pk}/"

    answer = staff_client.patch(url, {"credits": "-0"}, format="json")

    assert answer.status_code == 200, answer.content
    assert answer.json()["credits"] == 0
    assert math.copysign(1, answer.json()["credits"]) == 1, "answered -0.0"
    course.refresh_from_db()
    assert course.credits == 0
    assert not course.credits.is_signed()
    refused = staff_client.patch(url, {"credits": -1}, format="json")
    assert refused.status_code == 400
    assert "credits" in refused.json()


def test_a_catalogue_s_minus_zero_credits_are_zero(tmp_path):
    path = tmp_path / "courses.csv"
    path.write_text("code,title,credits\nC1,Databases,-0\nC2,Networks,-0.0\n", encoding="utf-8")

    call_command("import_courses", str(path), stdout=StringIO())

    for course in Course.objects.all():
        assert course.credits == 0
        assert not course.credits.is_signed(), course.code


def test_the_admin_form_says_credits_cannot_be_negative(rf, admin_user):
    course = CourseFactory()
    request = rf.get("/")
    request.user = admin_user
    form_class = admin.site._registry[Course].get_form(request, course)
    data = {
        "code": course.code,
        "title": course.title,
        "language": course.language,
        "credits": "-1",
    }
    form = form_class(data=data, instance=course)

    assert not form.is_valid()
    assert form.errors["credits"] == ["Credits cannot be negative."]
    saved = CourseFactory(credits=Decimal("-0"))
    assert not saved.credits.is_signed()
