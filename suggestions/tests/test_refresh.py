"""Background refresh: changed course text or a changed framework regenerates suggestions after
commit, once per burst."""

from unittest import mock

import pytest

from curricula import services as curricula_services
from curricula.models import Suggestion
from suggestions import services
from suggestions.signals import schedule_refresh
from suggestions.tasks import refresh_lock_key
from suggestions.tests.factories import database_course, small_framework

pytestmark = pytest.mark.django_db


def test_editing_a_courses_text_refreshes_its_suggestions_after_commit(
    django_capture_on_commit_callbacks,
):
    framework, abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        curricula_services.course_update(
            course=course,
            title="Marketing",
            description="",
            outcomes="Plan digital marketing campaigns on social media",
        )
    assert len(callbacks) >= 1
    best = Suggestion.objects.filter(course=course).order_by("rank").first()
    assert best.ability == abilities["MKT"]


def test_a_credits_edit_does_not_refresh(django_capture_on_commit_callbacks):
    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        curricula_services.course_update(course=course, credits=5)
    enqueue.assert_not_called()


def test_a_burst_of_edits_enqueues_one_refresh(django_capture_on_commit_callbacks):
    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        curricula_services.course_update(course=course, title="Databases I")
        curricula_services.course_update(course=course, title="Databases II")
    assert enqueue.call_count == 1
    assert enqueue.call_args.kwargs["kwargs"]["course_ids"] == [course.pk]
    # A later edit while that refresh still waits rides on it: the lock is held.
    with mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as again:
        schedule_refresh(course_ids={course.pk})
    again.assert_not_called()


def test_a_rolled_back_edit_enqueues_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    with (
        mock.patch("suggestions.tasks.refresh_suggestions.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        try:
            with transaction.atomic():
                curricula_services.course_update(course=course, title="Gone")
                raise RuntimeError
        except RuntimeError:
            pass
    enqueue.assert_not_called()


def test_changing_a_ranked_framework_refreshes_its_courses(django_capture_on_commit_callbacks):
    from positions.tests.factories import AbilityFactory

    framework, _abilities = small_framework()
    course = database_course()
    services.suggestions_generate(course_ids=[course.pk], framework=framework)
    with django_capture_on_commit_callbacks(execute=True):
        new = AbilityFactory(
            framework=framework,
            code="SQL",
            short_name="write SQL queries on a relational database schema",
            text="write SQL queries on a relational database schema",
        )
    assert Suggestion.objects.filter(course=course, ability=new).exists()


def test_the_refresh_task_releases_its_locks_first():
    from django.core.cache import cache

    from suggestions.tasks import refresh_suggestions

    cache.add(refresh_lock_key("course", 99), 1)
    refresh_suggestions.apply(kwargs={"course_ids": [99]})
    assert cache.get(refresh_lock_key("course", 99)) is None
