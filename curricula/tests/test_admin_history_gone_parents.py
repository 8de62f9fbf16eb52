"""The admin's history of a record deleted with its parent (a link of a deleted course, a
requirement of a deleted position) names the record, as its parent's history last had it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tests.admin_forms import change_form_data
from curricula.models import CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.models import Requirement
from positions.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db


def test_the_history_of_a_link_deleted_with_its_course_opens_and_says_what_to_restore(
    admin_client,
):
    """Observed: after a course was deleted in the admin (its links with it), opening a link's
    History, or a version in it to revert to, was a 500 (Course.DoesNotExist): the page's title
    names the link by its course's code, read from a course no longer there."""
    link = CourseAbilityFactory(course=CourseFactory(code="CBE101"))
    pk = link.pk
    link.course.delete()
    assert not CourseAbility.objects.filter(pk=pk).exists()

    listing = admin_client.get(reverse("admin:curricula_courseability_history", args=[pk]))
    assert listing.status_code == 200
    assert "CBE101 →" in listing.content.decode()

    version = CourseAbility.history.filter(id=pk, history_type="+").get()
    url = reverse("admin:curricula_courseability_simple_history", args=[pk, version.history_id])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "CBE101 →" in page.content.decode()

    response = admin_client.post(url, change_form_data(page))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["course"] == [
        "The course this course-ability link belonged to was deleted; restore the course first."
    ]
    assert not CourseAbility.objects.filter(pk=pk).exists()


def test_reverting_as_the_browser_sends_it_names_the_deleted_course(admin_client):
    """Observed in Chromium: the course box of a version whose course is gone shows no course
    (it offers none of that id), so the browser sends it empty and the revert answered "This
    field is required." on it, where the page means to say the course was deleted and to
    restore it first."""
    link = CourseAbilityFactory(course=CourseFactory(code="CBE101"))
    pk = link.pk
    link.course.delete()
    version = CourseAbility.history.filter(id=pk, history_type="+").get()
    url = reverse("admin:curricula_courseability_simple_history", args=[pk, version.history_id])
    data = {**change_form_data(admin_client.get(url)), "course": ""}

    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["course"] == [
        "The course this course-ability link belonged to was deleted; restore the course first."
    ]
    assert not CourseAbility.objects.filter(pk=pk).exists()


def test_the_history_of_a_requirement_deleted_with_its_position_opens(admin_client):
    requirement = RequirementFactory(position__name="Web editor")
    pk = requirement.pk
    requirement.position.delete()
    assert not Requirement.objects.filter(pk=pk).exists()

    listing = admin_client.get(reverse("admin:positions_requirement_history", args=[pk]))
    assert listing.status_code == 200
    assert "Web editor" in listing.content.decode()


def _history_queries(client, versions: int) -> int:
    link = CourseAbilityFactory()
    for note in range(versions - 1):
        link.note = f"note {note}"
        link.save()
    url = reverse("admin:curricula_courseability_history", args=[link.pk])
    client.get(url)  # the first request of a test reads what later ones find cached
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_a_history_page_names_its_versions_in_a_fixed_number_of_queries(admin_client):
    """Each version listed read its link's course, ability and level again to be named."""
    assert _history_queries(admin_client, 12) == _history_queries(admin_client, 2)
