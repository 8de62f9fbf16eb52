"""Programme counts by subquery (issue #15's load run: the home page took over 30 s on the esco
catalogue, its query joining courses and targets, 400 rows per programme, and reading each
report's JSON summary once per row)."""

import pytest

from curricula.models import Programme
from curricula.tests.factories import CourseFactory, ProgrammeFactory
from positions.tests.factories import PositionFactory


@pytest.mark.django_db
def test_counts_are_right_without_multiplying_rows():
    both = ProgrammeFactory(
        courses=[CourseFactory() for _ in range(2)], targets=[PositionFactory() for _ in range(3)]
    )
    empty = ProgrammeFactory(courses=[], targets=[])

    counted = {p.pk: (p.course_count, p.target_count) for p in Programme.objects.with_counts()}

    assert counted[both.pk] == (2, 3)
    assert counted[empty.pk] == (0, 0)
    sql = str(Programme.objects.with_counts().query).upper()
    assert "GROUP BY" not in sql.split("(SELECT")[0]
    assert "JOIN" not in sql.split("(SELECT")[0]
