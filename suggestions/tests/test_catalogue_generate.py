"""The decide page's "Needing a new course" lets staff who review suggestions generate them for
the catalogue's courses from the page, followed as the review pages' jobs are: observed, the
page told a designer to run `manage.py suggest --all-courses`, which a page user cannot; the
command is named only as the alternative."""

import uuid

import pytest
from django.urls import reverse

from core.jobs import task_starter_record
from curricula.models import Suggestion
from curricula.tests.factories import CourseFactory
from curricula.tests.test_decisions_api import _world
from suggestions import selectors
from suggestions.services import suggestions_generate
from suggestions.tasks import generate_suggestions
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db

POLL = {"HX-Request": "true"}


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = _world()
    small_framework()
    world["outside"] = database_course(code="OUT1")
    return world


def _section(client, programme) -> str:
    html = client.get(reverse("curricula:programme-decide", args=[programme.pk])).content.decode()
    return " ".join(html.split()).partition("Needing a new course")[2]


def test_staff_who_may_review_get_a_button_and_others_the_command(client, staff_user, world):
    programme = world["programme"]
    action = f'action="{reverse("suggestions:catalogue-generate")}"'
    section = _section(client, programme)
    assert action not in section
    assert "manage.py suggest --all-courses" in section
    client.force_login(staff_user)
    section = _section(client, programme)
    assert action in section
    assert f'name="programme" value="{programme.pk}"' in section
    assert "manage.py suggest --all-courses" in section  # the alternative


def test_the_button_generates_for_every_catalogue_course_and_shows_the_outcome(
    client, staff_user, world
):
    client.force_login(staff_user)
    programme = world["programme"]
    response = client.post(
        reverse("suggestions:catalogue-generate"), {"programme": programme.pk}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    # A course outside the programme got suggestions: the catalogue's, not the programme's.
    generated = Suggestion.objects.count()
    assert Suggestion.objects.filter(course=world["outside"]).exists()
    assert f"Generated {generated} suggestions for " in html
    assert "<progress" not in html
    assert reverse("curricula:programme-decide", args=[programme.pk]) in html


def test_a_running_job_shows_its_progress_and_is_polled(client, staff_user, world):
    client.force_login(staff_user)
    task_id = str(uuid.uuid4())
    task_starter_record(
        task_id=task_id, user=staff_user, permissions=["curricula.add_courseability"]
    )
    generate_suggestions.backend.store_result(task_id, {"done": 3, "total": 7}, "PROGRESS")
    url = reverse("suggestions:catalogue")
    html = client.get(url, {"job": task_id}).content.decode()
    assert "Generating suggestions: 3 of 7 courses done." in html
    assert '<progress id="review-job-progress" max="7" value="3"' in html
    assert f'data-hx-get="{url}?job={task_id}" data-hx-trigger="every 2s"' in html
    polled = client.get(url, {"job": task_id}, headers=POLL)
    assert polled.status_code == 200
    assert "3 of 7 courses done" in polled.content.decode()
    generate_suggestions.backend.store_result(
        task_id, {"created": 4, "updated": 0, "removed": 0, "courses": 7}, "SUCCESS"
    )
    polled = client.get(url, {"job": task_id}, headers=POLL)
    assert polled.status_code == 286  # htmx stops polling
    assert "Generated 4 suggestions for 7 courses." in polled.content.decode()


def test_those_who_may_not_review_cannot_start_it(client, plain_user, world):
    url = reverse("suggestions:catalogue-generate")
    response = client.post(url, {"programme": world["programme"].pk})
    assert response.status_code == 302
    assert reverse("login") in response["Location"] or "login" in response["Location"]
    client.force_login(plain_user)
    assert client.post(url, {"programme": world["programme"].pk}).status_code == 403
    assert (
        client.get(reverse("suggestions:catalogue"), {"job": str(uuid.uuid4())}).status_code == 403
    )
    assert not Suggestion.objects.exists()


def test_without_a_framework_nothing_is_started(client, staff_user):
    CourseFactory(code="LONE")
    client.force_login(staff_user)
    response = client.post(reverse("suggestions:catalogue-generate"), follow=True)
    html = response.content.decode()
    assert "There is no competency framework yet" in html
    assert "Generated" not in html
    assert not Suggestion.objects.exists()


def test_the_outcome_links_each_course_with_suggestions_to_review_to_its_review(
    client, staff_user, world
):
    """Observed (a nursing catalogue, generated from the decide page): the page said "review each
    course's suggestions (Review suggested links, on its page)" and offered only a way back: no
    link to any of those courses, and no page lists the catalogue's courses."""
    client.force_login(staff_user)
    programme = world["programme"]
    response = client.post(
        reverse("suggestions:catalogue-generate"), {"programme": programme.pk}, follow=True
    )
    html = response.content.decode()
    outside = world["outside"]
    pending = Suggestion.objects.filter(course=outside).count()
    assert pending
    review = reverse("suggestions:course-review", args=[outside.pk])
    assert f'<a href="{review}"><span class="code">OUT1</span>' in html
    assert "Courses with suggestions to review" in html
    assert f"{pending} to review" in html


def test_a_finished_job_polled_brings_the_courses_to_review_with_it(client, staff_user, world):
    client.force_login(staff_user)
    Suggestion.objects.all().delete()
    task_id = str(uuid.uuid4())
    generate_suggestions.backend.store_result(task_id, {"done": 0, "total": 2}, "PROGRESS")
    url = reverse("suggestions:catalogue")
    running = client.get(url, {"job": task_id}, headers=POLL).content.decode()
    assert "Courses with suggestions to review" not in running
    suggestions_generate(course_ids=[world["outside"].pk], position_ids=[])
    generate_suggestions.backend.store_result(
        task_id, {"created": 1, "updated": 0, "removed": 0, "courses": 1}, "SUCCESS"
    )
    polled = client.get(url, {"job": task_id}, headers=POLL).content.decode()
    assert 'id="catalogue-review" data-hx-swap-oob="true"' in polled
    assert reverse("suggestions:course-review", args=[world["outside"].pk]) in polled


def test_the_courses_to_review_come_most_first_in_fixed_queries(world, django_assert_num_queries):
    CourseFactory(code="OUT2", title="Web pages", outcomes="Use JavaScript on a web page")
    suggestions_generate(course_ids=selectors.catalogue_course_ids(), position_ids=[])
    counts = {}
    for suggestion in Suggestion.objects.to_review().filter(course__isnull=False):
        counts[suggestion.course_id] = counts.get(suggestion.course_id, 0) + 1
    assert len(counts) > 1
    with django_assert_num_queries(3):
        first, total = selectors.catalogue_courses_to_review(limit=1)
    assert total == len(counts)
    (course,) = first
    assert course.to_review == max(counts.values())


def test_without_a_framework_staff_who_may_import_one_are_linked_to_the_import(
    client, staff_user, django_user_model
):
    """Observed walking the README on an empty database: the catalogue page said there was no
    framework and stopped there, a dead end, where a programme's review links *Import a
    framework*. The catalogue page links it too, for those who may start an import."""
    CourseFactory(code="LONE")
    importing = f'href="{reverse("admin:positions_importjob_add")}"'
    client.force_login(staff_user)
    html = client.get(reverse("suggestions:catalogue")).content.decode()
    assert "There is no competency framework yet" in html
    assert importing in html
    reviewer = django_user_model.objects.create_user(username="reviewer", is_staff=True)
    reviewer.user_permissions.set(
        staff_user.user_permissions.exclude(
            codename="add_importjob", content_type__app_label="positions"
        )
    )
    client.force_login(reviewer)
    html = client.get(reverse("suggestions:catalogue")).content.decode()
    assert "There is no competency framework yet" in html
    assert importing not in html


def test_an_empty_catalogue_links_staff_who_may_import_courses_to_the_import(client, staff_user):
    """Likewise with no course at all: the page links the admin's catalogue import."""
    small_framework()
    client.force_login(staff_user)
    html = client.get(reverse("suggestions:catalogue")).content.decode()
    assert "The catalogue has no courses yet" in html
    assert f'href="{reverse("admin:curricula_course_import")}"' in html
