"""Every CASE operation refuses a query parameter it does not take, as getAllCFDocuments does:
a 400 in CASE's imsx_StatusInfo body naming each, `invalid_selection_field`. Observed:
`CFDocuments?orderby=desc` was refused, but `CFItems/{id}?fields=title`, `CFPackages/{id}?limit=1`
or `CFAssociations/{id}?lang=zh` answered in full, each parameter read past without a word, so a
client could not tell its selection was never made. DRF's `format` (the response's format) is
taken everywhere, as on the list."""

import uuid

import pytest

from core.tests import openapi
from curricula.case import identifiers
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.tests.factories import AbilityFactory, FrameworkFactory, level

pytestmark = pytest.mark.django_db

ROOT = "/ims/case/v1p1/"
DETAIL_OPERATIONS = {
    "getCFDocument": "CFDocuments/{identifier}",
    "getCFPackage": "CFPackages/{identifier}",
    "getCFItem": "CFItems/{identifier}",
    "getCFAssociation": "CFAssociations/{identifier}",
    "getCFItemAssociations": "CFItemAssociations/{identifier}",
    "getCFItemType": "CFItemTypes/{identifier}",
    "getCFAssociationGrouping": "CFAssociationGroupings/{identifier}",
}


@pytest.fixture
def paths() -> dict[str, str]:
    """A path of each single-object operation naming an object it finds (a grouping only a CASE
    import keeps: one it does not find, which the parameter's refusal comes before)."""
    framework = FrameworkFactory()
    ability = AbilityFactory(framework=framework, area=None, code="A1", item_type="Skill")
    course = CourseFactory(code="C1")
    CourseAbilityFactory(course=course, ability=ability, level=level("M"))
    found = {
        "getCFDocument": framework.identifier,
        "getCFPackage": framework.identifier,
        "getCFItem": ability.identifier,
        "getCFAssociation": identifiers.course_link_identifier(
            course.identifier, ability.identifier
        ),
        "getCFItemAssociations": ability.identifier,
        "getCFItemType": identifiers.label_item_type_identifier("Skill"),
        "getCFAssociationGrouping": uuid.uuid4(),
    }
    return {
        operation: ROOT + DETAIL_OPERATIONS[operation].format(identifier=identifier)
        for operation, identifier in found.items()
    }


@pytest.mark.parametrize("operation", DETAIL_OPERATIONS)
def test_a_single_object_takes_no_parameter_but_format(api_client, paths, operation):
    path = paths[operation]
    expected = 404 if operation == "getCFAssociationGrouping" else 200
    assert api_client.get(path).status_code == expected
    assert api_client.get(path, {"format": "json"}).status_code == expected


@pytest.mark.parametrize("operation", DETAIL_OPERATIONS)
@pytest.mark.parametrize("query", ["fields=title", "limit=1&lang=zh"])
def test_a_single_object_refuses_an_unknown_parameter_as_the_list_does(
    api_client, paths, operation, query
):
    response = api_client.get(f"{paths[operation]}?{query}")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["imsx_codeMajor"] == "failure"
    minors = body["imsx_codeMinor"]["imsx_codeMinorField"]
    names = [pair.split("=")[0] for pair in query.split("&")]
    assert sorted(minor["imsx_codeMinorFieldName"] for minor in minors) == sorted(names)
    assert {minor["imsx_codeMinorFieldValue"] for minor in minors} == {"invalid_selection_field"}
    assert body["imsx_description"].count("Unknown parameter") == 1
    assert "takes no parameters" in body["imsx_description"]


def test_the_list_s_refusal_is_unchanged(api_client):
    response = api_client.get(f"{ROOT}CFDocuments?orderby=desc")
    assert response.status_code == 400
    assert "orderBy" in response.json()["imsx_description"]


def test_the_refusal_is_one_each_operation_documents():
    schema = openapi.generate()[0]
    for path, item in schema["paths"].items():
        if not path.startswith(ROOT):
            continue
        responses = item["get"]["responses"]
        assert "400" in responses, path
        assert responses["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/imsx_StatusInfo"
        }, path


def _list_parameters() -> dict[str, dict]:
    operation = openapi.generate()[0]["paths"][f"{ROOT}CFDocuments"]["get"]
    return {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}


def test_the_list_documents_the_bounds_and_sort_properties_it_enforces(api_client):
    """Observed: `limit` and `offset` were documented as any integer and `sort` as any string,
    yet `limit=0`, `offset=-1` and `sort=bogus` are 400s: a client generated from the schema
    could send them, and could not list the properties documents sort by."""
    schemas = _list_parameters()
    assert schemas["limit"]["minimum"] == 1
    assert schemas["offset"]["minimum"] == 0
    for name, value in (("limit", 0), ("offset", -1), ("sort", "bogus")):
        assert api_client.get(f"{ROOT}CFDocuments", {name: value}).status_code == 400, name
    for sort in schemas["sort"]["enum"]:
        assert api_client.get(f"{ROOT}CFDocuments", {"sort": sort}).status_code == 200, sort


def test_the_list_documents_its_paging_headers(api_client):
    """`X-Total-Count` and the `Link` pages (first, last, next, prev) are what a client pages
    the documents with; the schema named neither."""
    FrameworkFactory()
    answer = api_client.get(f"{ROOT}CFDocuments", {"limit": 1})
    assert answer["X-Total-Count"] == "2"
    assert 'rel="next"' in answer["Link"]
    headers = openapi.generate()[0]["paths"][f"{ROOT}CFDocuments"]["get"]["responses"]["200"][
        "headers"
    ]
    assert headers["X-Total-Count"]["schema"] == {"type": "integer", "minimum": 0}
    assert headers["Link"]["schema"] == {"type": "string"}
