"""The link list's total: exact after single and bulk writes, and on PostgreSQL read from the
trigger-kept counter instead of counting every link on each page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curricula.models import CourseAbility
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, level

pytestmark = pytest.mark.django_db

URL = "/api/v1/course-abilities/"


def listed_count(client, **params) -> int:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


def test_the_total_stays_exact_through_single_bulk_and_deleting_writes(api_client):
    course = CourseFactory()
    abilities = AbilityFactory.create_batch(12)
    CourseAbility.objects.create(course=course, ability=abilities[0], level=level("I"))
    assert listed_count(api_client) == CourseAbility.objects.count() == 1

    CourseAbility.objects.bulk_create(
        [CourseAbility(course=course, ability=a, level=level("R")) for a in abilities[1:]]
    )
    assert listed_count(api_client) == CourseAbility.objects.count() == 12

    CourseAbility.objects.filter(ability__in=abilities[:5]).delete()
    assert listed_count(api_client) == CourseAbility.objects.count() == 7
    # A filtered list still counts what the filter keeps.
    other = CourseFactory()
    CourseAbility.objects.create(course=other, ability=abilities[0], level=level("M"))
    assert listed_count(api_client, course=other.pk) == 1
    assert listed_count(api_client) == 8


def test_on_postgresql_the_unfiltered_list_does_not_count_the_links(api_client):
    if connection.vendor != "postgresql":
        pytest.skip("the counter is kept by PostgreSQL triggers")
    course = CourseFactory()
    CourseAbility.objects.bulk_create(
        [
            CourseAbility(course=course, ability=a, level=level("R"))
            for a in AbilityFactory.create_batch(3)
        ]
    )
    with CaptureQueriesContext(connection) as queries:
        assert listed_count(api_client) == 3
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"].upper()]
    assert counts == []


ADMIN_LIST = "/admin/curricula/courseability/"


def test_the_admin_link_list_counts_exactly_unfiltered_and_filtered(admin_client):
    course, other = CourseFactory(), CourseFactory()
    abilities = AbilityFactory.create_batch(4)
    CourseAbility.objects.bulk_create(
        [CourseAbility(course=course, ability=a, level=level("R")) for a in abilities]
        + [CourseAbility(course=other, ability=abilities[0], level=level("M"))]
    )
    response = admin_client.get(ADMIN_LIST)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 5
    assert "(Show all)" not in response.content.decode()
    filtered = admin_client.get(ADMIN_LIST, {"level__id__exact": level("M").pk})
    assert filtered.context["cl"].result_count == 1
    # "1 result (5 total)", as Django's own list says it.
    assert (filtered.context["cl"].full_result_count, "5 total") == (
        5,
        filtered.content.decode().split('<span class="small quiet">')[1].split("</a>")[0][-7:],
    )
    searched = admin_client.get(ADMIN_LIST, {"q": other.code})
    assert searched.context["cl"].result_count == 1


def test_the_admin_link_lists_checkboxes_are_djangos_markup(admin_client):
    """The list renders each row's checkbox itself (no form widget per row): the same markup."""
    from django import forms
    from django.contrib import admin
    from django.contrib.admin import helpers
    from django.utils.html import format_html
    from django.utils.translation import gettext

    link = CourseAbility.objects.create(
        course=CourseFactory(code="C<1>"), ability=AbilityFactory(), level=level("I")
    )
    widget = forms.CheckboxInput(
        {
            "class": "action-select",
            "aria-label": format_html(gettext("Select this object for an action - {}"), str(link)),
        },
        lambda value: False,
    ).render(helpers.ACTION_CHECKBOX_NAME, str(link.pk))
    assert admin.site._registry[CourseAbility].action_checkbox(link) == widget
    assert widget in admin_client.get(ADMIN_LIST).content.decode()


def test_on_postgresql_the_unfiltered_admin_list_does_not_count_the_links(admin_client):
    if connection.vendor != "postgresql":
        pytest.skip("the counter is kept by PostgreSQL triggers")
    course = CourseFactory()
    CourseAbility.objects.bulk_create(
        [
            CourseAbility(course=course, ability=a, level=level("R"))
            for a in AbilityFactory.create_batch(3)
        ]
    )
    admin_client.get(ADMIN_LIST)  # warm
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(ADMIN_LIST)
    assert response.context["cl"].result_count == 3
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts == []
    # Filtered, the list counts what the filter keeps, and only that: the total is the counter's.
    with CaptureQueriesContext(connection) as queries:
        filtered = admin_client.get(ADMIN_LIST, {"level__id__exact": level("R").pk})
    assert (filtered.context["cl"].result_count, filtered.context["cl"].full_result_count) == (3, 3)
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
