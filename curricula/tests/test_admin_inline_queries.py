"""A change page's inline rows are read with the page, not one or more queries each.

Observed on the generated catalogue: a position's change page ran 68 queries for its 20
requirements (each row's own position read again for the row's title, its ability read again for
its autocomplete box, the levels read again for its level menu), a course's 36 for 10 links; an
ESCO occupation of a hundred skills ran three hundred."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import AbilityFactory, PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def _position(rows: int) -> str:
    position = PositionFactory()
    RequirementFactory.create_batch(rows, position=position)
    return reverse("admin:positions_position_change", args=[position.pk])


def _course(rows: int) -> str:
    course = CourseFactory()
    CourseAbilityFactory.create_batch(rows, course=course)
    return reverse("admin:curricula_course_change", args=[course.pk])


def _ability(rows: int) -> str:
    ability = AbilityFactory()
    CourseAbilityFactory.create_batch(rows, ability=ability)
    return reverse("admin:positions_ability_change", args=[ability.pk])


def _programme(rows: int) -> str:
    programme = ProgrammeFactory(
        courses=CourseFactory.create_batch(rows), targets=PositionFactory.create_batch(rows)
    )
    return reverse("admin:curricula_programme_change", args=[programme.pk])


@pytest.mark.parametrize("page", [_position, _course, _ability, _programme])
def test_a_change_page_reads_its_inline_rows_in_a_fixed_number_of_queries(admin_client, page):
    few_url = page(2)
    admin_client.get(few_url)  # the first request of a test reads what later ones find cached
    few = _queries(admin_client, few_url)
    many = _queries(admin_client, page(12))
    assert many == few
