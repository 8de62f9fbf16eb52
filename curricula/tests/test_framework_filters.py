"""Every list endpoint that filters by framework reads `?framework=` the same way: an id, and
`none` where a record may have no framework (competency areas); anything else is a 400 naming
the field, never a 500 nor the whole list. Abilities, which may have no competency area, take
`?area=none` as competency areas take `?framework=none`."""

import pytest

from curricula.tests.factories import CourseFactory
from positions.tests.factories import (
    AbilityFactory,
    CompetencyAreaFactory,
    FrameworkFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db

# Each list endpoint with a `framework` filter, and whether its records may have no framework.
FRAMEWORK_FILTERS = [
    ("/api/v1/competency-areas/", True),
    ("/api/v1/abilities/", False),
    ("/api/v1/ability-relations/", False),
    ("/api/v1/course-abilities/", False),
    ("/api/v1/suggestions/", False),
]
JUNK = ["abc", "-1", "0", "1.5", str(2**70), "null", "1,2", "none-of-them"]


@pytest.mark.parametrize(("url", "nullable"), FRAMEWORK_FILTERS)
@pytest.mark.parametrize("value", JUNK)
def test_a_bad_framework_is_a_400_naming_the_field(staff_client, url, nullable, value):
    response = staff_client.get(url, {"framework": value})
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["framework"]


@pytest.mark.parametrize(("url", "nullable"), FRAMEWORK_FILTERS)
def test_none_is_taken_only_where_a_record_may_have_no_framework(staff_client, url, nullable):
    response = staff_client.get(url, {"framework": "none"})
    if nullable:
        assert response.status_code == 200, response.content
    else:
        # Every such record has a framework: `none` would silently list nothing.
        assert response.status_code == 400, response.content
        assert list(response.json()) == ["framework"]


def test_the_nested_suggestion_lists_refuse_a_bad_framework(staff_client):
    for url in (
        f"/api/v1/courses/{CourseFactory().pk}/suggestions/",
        f"/api/v1/positions/{PositionFactory().pk}/suggestions/",
    ):
        for value in ("abc", "none", str(2**70)):
            response = staff_client.get(url, {"framework": value})
            assert response.status_code == 400, (url, value, response.content)
            assert list(response.json()) == ["framework"], (url, value)


def test_abilities_filter_by_no_area(api_client):
    framework = FrameworkFactory()
    area = CompetencyAreaFactory(code="F1-A", framework=framework)
    placed = AbilityFactory(code="P.1", framework=framework, area=area)
    loose = AbilityFactory(code="L.1", framework=framework, area=None)
    url = "/api/v1/abilities/"

    def codes(params) -> list[str]:
        response = api_client.get(url, params)
        assert response.status_code == 200, response.content
        return sorted(ability["code"] for ability in response.json()["results"])

    assert codes({"area": "none"}) == [loose.code]
    assert codes({"area": "None", "framework": framework.pk}) == [loose.code]
    assert codes({"area": area.pk}) == [placed.code]
    for value in ("abc", "0", str(2**70)):
        response = api_client.get(url, {"area": value})
        assert response.status_code == 400
        assert list(response.json()) == ["area"]
