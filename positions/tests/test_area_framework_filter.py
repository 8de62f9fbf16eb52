"""/api/v1/competency-areas/ says which framework an area was imported from and filters by it:
`?framework=ID` for one framework's areas, `?framework=none` for the paper's (and any other of no
framework); a bad value is a 400 naming the field. The admin's list filters by framework too."""

import pytest

from positions.tests.factories import CompetencyAreaFactory, FrameworkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    imported = FrameworkFactory(name="Imported skills")
    other = FrameworkFactory(name="Other skills")
    CompetencyAreaFactory(code="A", name="Paper first", order=1)
    CompetencyAreaFactory(code="F7-A1", name="Imported first", order=1, framework=imported)
    CompetencyAreaFactory(code="F9-A1", name="Other first", order=1, framework=other)
    return imported, other


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [area["code"] for area in response.json()["results"]]


def test_each_area_names_its_framework_or_none(api_client, areas):
    imported, other = areas
    listed = api_client.get("/api/v1/competency-areas/").json()["results"]
    assert {area["code"]: area["framework"] for area in listed} == {
        "A": None,
        "F7-A1": imported.pk,
        "F9-A1": other.pk,
    }


def test_areas_filter_by_framework_or_by_none(api_client, areas):
    imported, other = areas
    url = "/api/v1/competency-areas/"
    assert _codes(api_client.get(url, {"framework": imported.pk})) == ["F7-A1"]
    assert _codes(api_client.get(url, {"framework": other.pk})) == ["F9-A1"]
    assert _codes(api_client.get(url, {"framework": "none"})) == ["A"]
    assert _codes(api_client.get(url, {"framework": "None"})) == ["A"]
    assert _codes(api_client.get(url, {"framework": ""})) == ["A", "F7-A1", "F9-A1"]


@pytest.mark.parametrize("value", ["abc", "-1", "0", "1.5", str(2**70), "null"])
def test_a_bad_framework_is_a_400_naming_the_field(api_client, areas, value):
    response = api_client.get("/api/v1/competency-areas/", {"framework": value})
    assert response.status_code == 400
    assert list(response.json()) == ["framework"]


def test_the_schema_documents_the_framework_field_and_filter():
    from core.tests import openapi

    schema, _generator = openapi.generate()
    area = schema["components"]["schemas"]["CompetencyArea"]["properties"]["framework"]
    assert openapi.allows_null(area)
    (parameter,) = [
        parameter
        for parameter in schema["paths"]["/api/v1/competency-areas/"]["get"]["parameters"]
        if parameter["name"] == "framework"
    ]
    kinds = parameter["schema"]["oneOf"]
    assert {"type": "integer", "minimum": 1, "maximum": 2**63 - 1} in kinds
    assert {"type": "string", "enum": ["none"]} in kinds


def test_the_admin_lists_areas_of_one_framework_or_of_none(admin_client, areas):
    imported, _other = areas
    url = "/admin/positions/competencyarea/"
    page = admin_client.get(url, {"framework__id__exact": imported.pk})
    assert page.status_code == 200
    assert [area.code for area in page.context["cl"].result_list] == ["F7-A1"]
    page = admin_client.get(url, {"framework__isnull": "True"})
    assert [area.code for area in page.context["cl"].result_list] == ["A"]
    assert "Imported skills" in page.content.decode()
