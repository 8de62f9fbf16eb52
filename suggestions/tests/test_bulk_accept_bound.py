"""Observed (a hostile pass): a bulk accept posted by hand with every pending suggestion of a
review selected (thousands: a page lists at most QUEUE_PAGE) was accepted one by one in one
transaction, about forty queries each: 400 took 30 seconds on PostgreSQL, holding the locks of
every link it wrote. More than a page's rows is refused, saying so, and nothing is accepted."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from curricula.models import Suggestion
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory, level
from suggestions.tests.factories import SuggestionFactory
from suggestions.views import QUEUE_PAGE

pytestmark = pytest.mark.django_db

ERROR = re.compile(r'class="review-status__error">([^<]*)<')


def _pending(count: int):
    course = CourseFactory()
    framework = FrameworkFactory()
    rows = [
        SuggestionFactory(
            course=course,
            ability=AbilityFactory(framework=framework),
            rank=rank,
            proposed_level=level("R"),
        )
        for rank in range(1, count + 1)
    ]
    return course, rows


def _bulk(client, course, rows):
    return client.post(
        reverse("suggestions:decide"),
        {"scope": f"course:{course.pk}", "bulk": "1", "selected": [s.pk for s in rows]},
        headers={"HX-Request": "true"},
    )


def test_a_bulk_accept_of_more_than_a_pages_rows_is_refused_and_accepts_nothing(staff_user):
    course, rows = _pending(QUEUE_PAGE + 1)
    client = Client()
    client.force_login(staff_user)
    response = _bulk(client, course, rows)
    assert response.status_code == 422, response.status_code
    said = gettext("Select at most %(count)s suggestions to accept at once.") % {
        "count": QUEUE_PAGE
    }
    assert said in response.content.decode()
    assert not Suggestion.objects.filter(status="accepted").exists()


def test_a_bulk_accept_of_a_whole_page_is_accepted(staff_user):
    course, rows = _pending(QUEUE_PAGE)
    client = Client()
    client.force_login(staff_user)
    response = _bulk(client, course, rows)
    assert response.status_code == 200, ERROR.findall(response.content.decode())
    assert Suggestion.objects.filter(status="accepted").count() == QUEUE_PAGE
