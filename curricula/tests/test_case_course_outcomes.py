"""A course's learning outcomes and teaching language go through the CASE course catalogue: the
language as the CFItem's `language`, the outcomes (one per line here) as the list
`extensions.learningOutcomes`. Before, the catalogue read into another database (an LMS's, or a
fresh install) lost both, and with them what the mapping assistant ranks abilities by."""

import pytest

from curricula.case import identifiers
from curricula.models import Course
from curricula.tests.case_packages import published_package, written_package
from curricula.tests.factories import CourseFactory
from curricula.tests.test_case_provider import (  # noqa: F401 (fixture)
    assert_valid_package,
    package_validator,
)
from positions.importers import framework_import

pytestmark = pytest.mark.django_db

OUTCOMES = "Design a relational database schema\nWrite SQL queries that join three tables"


def _catalogue(api_client) -> dict:
    return published_package(api_client, identifiers.course_catalogue_identifier())


def test_the_catalogue_publishes_a_courses_language_and_outcomes(
    api_client,
    package_validator,  # noqa: F811
):
    CourseFactory(code="DB101", title="Databases", language="en", outcomes=OUTCOMES)

    catalogue = _catalogue(api_client)

    assert_valid_package(package_validator, catalogue)
    (item,) = catalogue["CFItems"]
    assert item["language"] == "en"
    assert item["extensions"]["learningOutcomes"] == [
        "Design a relational database schema",
        "Write SQL queries that join three tables",
    ]


def test_the_catalogue_read_into_another_database_keeps_language_and_outcomes(api_client, tmp_path):
    CourseFactory(code="DB101", title="Databases", language="zh", outcomes=OUTCOMES)
    path = written_package(tmp_path, "catalogue.json", _catalogue(api_client))
    Course.objects.all().delete()

    assert framework_import(path=path, format="case").ok

    course = Course.objects.get()
    assert (course.language, course.outcomes) == ("zh", OUTCOMES)


def test_the_catalogue_handed_back_in_place_is_unchanged(api_client, tmp_path):
    CourseFactory(code="DB101", title="Databases", language="en", outcomes=OUTCOMES)
    path = written_package(tmp_path, "catalogue.json", _catalogue(api_client))

    report = framework_import(path=path, format="case")

    assert report.ok, report.error
    assert report.counts["course"] == {"unchanged": 1}


def test_a_package_without_them_leaves_a_courses_language_and_outcomes_alone(api_client, tmp_path):
    CourseFactory(code="DB101", title="Databases", language="en", outcomes=OUTCOMES)
    catalogue = _catalogue(api_client)
    (item,) = catalogue["CFItems"]
    item.pop("language", None)
    item.get("extensions", {}).pop("learningOutcomes", None)

    report = framework_import(
        path=written_package(tmp_path, "catalogue.json", catalogue), format="case"
    )

    assert report.ok, report.error
    assert report.counts["course"] == {"unchanged": 1}
    course = Course.objects.get()
    assert (course.language, course.outcomes) == ("en", OUTCOMES)
