"""A delete confirmation names the records it would delete with the parents of each kind read
once, not once per record.

Observed on the generated catalogue (medium preset): a position's delete page ran 58 queries
for its 42 requirements (each named by its ability, read one at a time), a programme's 59 for its
40 courses, a level in use 406 for the 200 records it lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from curricula.tests.factories import CourseAbilityFactory, CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # the first request of a test reads what later ones find cached
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _position(rows: int) -> str:
    position = PositionFactory()
    RequirementFactory.create_batch(rows, position=position)
    return reverse("admin:positions_position_delete", args=[position.pk])


def _course(rows: int) -> str:
    course = CourseFactory()
    CourseAbilityFactory.create_batch(rows, course=course)
    return reverse("admin:curricula_course_delete", args=[course.pk])


def _programme(rows: int) -> str:
    programme = ProgrammeFactory(
        courses=CourseFactory.create_batch(rows), targets=PositionFactory.create_batch(rows)
    )
    return reverse("admin:curricula_programme_delete", args=[programme.pk])


@pytest.mark.parametrize("page", [_position, _course, _programme])
def test_a_delete_page_names_its_records_in_a_fixed_number_of_queries(admin_client, page):
    few = _queries(admin_client, page(2))
    many = _queries(admin_client, page(12))
    assert many == few
