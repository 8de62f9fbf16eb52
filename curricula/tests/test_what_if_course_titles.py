"""The what-if panel's course menu: an accounting catalogue's "Intermediate Financial Accounting
I" and "… II" were both shown as "Intermediate Financial Acco…", told apart by code alone."""

import pytest
from django.urls import reverse

from curricula.models import ProgrammeCourse
from curricula.tests.factories import CourseFactory
from curricula.tests.test_decisions_api import _world

pytestmark = pytest.mark.django_db


def test_the_course_menu_shows_titles_long_enough_to_tell_courses_apart(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        world = _world()
    programme = world["programme"]
    first = CourseFactory(code="ACC201", title="Intermediate Financial Accounting I")
    second = CourseFactory(code="ACC202", title="Intermediate Financial Accounting II")
    ProgrammeCourse.objects.create(programme=programme, course=first, order=10)
    ProgrammeCourse.objects.create(programme=programme, course=second, order=11)
    html = client.get(reverse("curricula:programme-decide", args=[programme.pk])).content.decode()
    assert ">ACC201 Intermediate Financial Accounting I<" in html
    assert ">ACC202 Intermediate Financial Accounting II<" in html
