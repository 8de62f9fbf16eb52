"""The admin's import of course-ability links (in the request, for a small file) looks its
abilities and the links it may update up for the whole file, as the background import and the
requirement import do (curricula.resources.preload_abilities): each row read its ability, and
the link it updates, with queries of its own."""

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curricula.models import CourseAbility
from curricula.resources import COLUMNS, CourseAbilityResource
from curricula.tests.factories import CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db


def _dataset(rows: int) -> tablib.Dataset:
    framework = FrameworkFactory(name=f"Framework of {rows}")
    courses = [CourseFactory(code=f"C{rows}X{i}") for i in range(3)]
    data = tablib.Dataset(headers=list(COLUMNS))
    for i in range(rows):
        AbilityFactory(framework=framework, code=f"K{i}")
        row = dict.fromkeys(COLUMNS, "")
        row |= {
            "course": courses[i % 3].code,
            "framework": str(framework.identifier),
            "ability": f"K{i}",
            "level": "M",
        }
        data.append([row[column] for column in COLUMNS])
    return data


def _lookups(rows: int) -> list[str]:
    data = _dataset(rows)
    with CaptureQueriesContext(connection) as queries:
        result = CourseAbilityResource().import_data(data, dry_run=False)
    assert not result.has_errors()
    assert not result.has_validation_errors()
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and any(
            f'FROM "{table}"' in query["sql"]
            for table in ("positions_ability", "curricula_courseability")
        )
    ]


def test_the_lookups_of_a_link_file_are_the_same_for_5_rows_as_for_50():
    few = _lookups(5)
    many = _lookups(50)
    assert len(many) == len(few), many
    assert CourseAbility.objects.count() == 55
