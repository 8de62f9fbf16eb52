"""A generation job belongs to the review it was started from: its subjects (a programme's
courses, a course, a position) and framework. Opened with `?job=<id>` on another programme's,
course's or position's review (an address copied or edited), the page ignores it, as it
ignores a `job` naming none: its outcome, told there, would read as that page's."""

import pytest
from django.urls import reverse

from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory
from suggestions.tests.factories import database_course, small_framework
from suggestions.tests.test_generate_page import parse_job

pytestmark = pytest.mark.django_db

POLL = {"HX-Request": "true"}


def _generate(client, scope: str, framework):
    """Start a generation job from a review page's form: the page it leads to, and the job."""
    started = client.post(
        reverse("suggestions:generate"),
        {"scope": scope, "framework": framework.pk},
        follow=True,
    )
    return started, parse_job(started.redirect_chain[-1][0])


def test_a_job_opened_on_another_review_page_is_ignored_there(client, staff_user):
    framework, _abilities = small_framework()
    described = database_course()
    other = CourseFactory(title="Data structures and algorithms")
    programme = ProgrammeFactory()
    programme.programme_courses.create(course=described, order=0)
    programme.programme_courses.create(course=other, order=1)
    sibling = ProgrammeFactory()
    sibling.programme_courses.create(course=described, order=0)
    position = PositionFactory(description="Designs relational databases.")
    client.force_login(staff_user)
    started, job = _generate(client, f"programme:{programme.pk}", framework)
    assert 'id="review-job"' in started.content.decode()  # its own page follows it
    query = {"framework": framework.pk, "job": job}
    own = client.get(reverse("suggestions:programme-review", args=[programme.pk]), query)
    assert 'id="review-job"' in own.content.decode()

    for url in (
        reverse("suggestions:programme-review", args=[sibling.pk]),
        reverse("suggestions:course-review", args=[described.pk]),
        reverse("suggestions:position-review", args=[position.pk]),
    ):
        page = client.get(url, query)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert 'id="review-job"' not in html, url
        assert "Generated" not in html, url
        # A poll for it (a page following it before it was ignored) stops, swapping nothing.
        poll = client.get(url, query, headers=POLL)
        assert poll.status_code == 286, url
        assert poll.content == b"", url


def test_a_review_page_s_job_opened_on_the_catalogue_page_is_ignored_there(client, staff_user):
    """The catalogue's page told any generation job's progress and outcome as its own: "Generated
    3 suggestions for 1 course." for one course's job. Its own are marked as asked for there."""
    framework, _abilities = small_framework()
    course = database_course()
    client.force_login(staff_user)
    _started, job = _generate(client, f"course:{course.pk}", framework)
    url = reverse("suggestions:catalogue")

    page = client.get(url, {"job": job})
    assert page.status_code == 200
    assert "Generated" not in page.content.decode()
    poll = client.get(url, {"job": job}, headers=POLL)
    assert poll.status_code == 286
    assert poll.content == b""

    own = client.post(reverse("suggestions:catalogue-generate"), follow=True)
    assert own.status_code == 200
    assert "Generated" in own.content.decode()
    assert "job=" in own.redirect_chain[-1][0]
