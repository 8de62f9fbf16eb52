"""getCFAssociationGrouping (CASE 1.1: GET CFAssociationGroupings/{sourcedId}) serves the
association groupings a framework's import kept, at this provider's URIs, as item types kept from
a publisher are: the CFAssociationGroupingURI of a published association leads to it."""

import uuid
from urllib.parse import urlsplit

import pytest

from curricula.tests.case_packages import published_package, written_package
from curricula.tests.test_case_child_of_and_groupings import (
    CHILD,
    CROSSWALK,
    DOCUMENT,
    PROGRESSION,
    _package,
)
from curricula.tests.test_case_provider import _assert_case_error
from positions.importers import framework_import
from positions.models import Ability, AbilityRelation

BASE = "https://case.example.edu"
ROOT = "/ims/case/v1p1/"
# A grouping the package links to without defining it: nothing of ours to serve.
UNDEFINED = {
    "identifier": "4b2a0c1e-7d3f-4e5a-9b6c-0000000000b9",
    "uri": "https://p.example.org/CFAssociationGroupings/undefined",
    "title": "Elsewhere",
}


@pytest.fixture(autouse=True)
def _case_base_url(settings):
    settings.CASE_BASE_URL = BASE


@pytest.fixture
def imported(db, tmp_path):
    source = _package()
    source["CFAssociations"][0]["CFAssociationGroupingURI"] = UNDEFINED
    report = framework_import(path=written_package(tmp_path, "grouped.json", source), format="case")
    assert report.ok, report.error
    return source


def _get(client, uri: str, **headers):
    """GET an absolute URI of the provider, through the test client."""
    assert uri.startswith(BASE + ROOT), uri
    return client.get(urlsplit(uri).path, **headers)


def _ours(identifier: str) -> str:
    return f"{BASE}{ROOT}CFAssociationGroupings/{identifier}"


def test_a_kept_grouping_is_served_at_its_identifier(api_client, imported):
    response = api_client.get(f"{ROOT}CFAssociationGroupings/{PROGRESSION['identifier']}")

    assert response.status_code == 200
    assert response.json() == {
        "identifier": PROGRESSION["identifier"],
        "uri": _ours(PROGRESSION["identifier"]),
        "title": "Learning progression",
        "description": "How reading grows",
        "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
        "extensions": {"owner": "ELA team"},
    }
    assert response["Last-Modified"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert response["ETag"]


def test_an_unknown_grouping_is_a_case_404(api_client, imported):
    for identifier in (str(uuid.uuid4()), UNDEFINED["identifier"]):
        response = api_client.get(f"{ROOT}CFAssociationGroupings/{identifier}")

        minor = _assert_case_error(response, 404, "unknownobject")
        assert minor["imsx_codeMinorFieldName"] == "sourcedId"


@pytest.mark.parametrize("identifier", ["progression-2", "1234", "a/b", "%00", "' OR 1=1 --"])
def test_a_malformed_grouping_identifier_is_invalid_uuid(api_client, imported, identifier):
    """The package's own malformed grouping ("progression-2") was never kept as one."""
    response = api_client.get(f"{ROOT}CFAssociationGroupings/{identifier}")

    _assert_case_error(response, 404, "invalid_uuid")


def test_a_grouping_answers_conditional_gets(api_client, imported):
    path = f"{ROOT}CFAssociationGroupings/{CROSSWALK['identifier']}"
    first = api_client.get(path)
    assert first["Last-Modified"] == "Thu, 01 Feb 2024 00:00:00 GMT"

    by_tag = api_client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = api_client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    stale = api_client.get(path, HTTP_IF_NONE_MATCH='"something-else"')

    assert by_tag.status_code == 304
    assert by_date.status_code == 304
    assert by_tag["ETag"] == first["ETag"]
    assert stale.status_code == 200


def test_every_grouping_link_of_a_package_resolves(api_client, imported):
    """Observed: a published CFAssociationGroupingURI named the publisher's URI and nothing of
    ours. Each link to a grouping the package defines now leads to it here, as the package's
    CFDefinitions list it; one to a grouping defined nowhere keeps its publisher's URI."""
    package = published_package(api_client, DOCUMENT)
    defined = {g["identifier"]: g for g in package["CFDefinitions"]["CFAssociationGroupings"]}
    links = [
        a["CFAssociationGroupingURI"]
        for a in package["CFAssociations"]
        if "CFAssociationGroupingURI" in a
    ]
    assert len(links) == 4

    for link in links:
        if link["identifier"] == UNDEFINED["identifier"]:
            assert link == UNDEFINED
            continue
        assert link["uri"] == _ours(link["identifier"])
        assert defined[link["identifier"]]["uri"] == link["uri"]
        response = _get(api_client, link["uri"])
        assert response.status_code == 200
        assert response.json() == defined[link["identifier"]]


def test_single_associations_link_to_the_served_grouping(api_client, imported):
    """getCFAssociation and getCFItemAssociations name the same URIs as the package."""
    for association in imported["CFAssociations"][1:]:
        grouping = association.get("CFAssociationGroupingURI") or association.get(
            "associationGroupingURI"
        )
        single = api_client.get(f"{ROOT}CFAssociations/{association['identifier']}").json()
        assert single["CFAssociationGroupingURI"]["uri"] == _ours(grouping["identifier"])

    child = imported["CFAssociations"][1]["originNodeURI"]["identifier"]
    around = api_client.get(f"{ROOT}CFItemAssociations/{child}").json()
    links = {
        a["identifier"]: a["CFAssociationGroupingURI"]["uri"]
        for a in around["CFAssociations"]
        if "CFAssociationGroupingURI" in a
    }
    assert links == {
        imported["CFAssociations"][1]["identifier"]: _ours(PROGRESSION["identifier"]),
        imported["CFAssociations"][3]["identifier"]: _ours(CROSSWALK["identifier"]),
    }


def test_our_package_handed_back_keeps_the_publishers_grouping_links(
    api_client, tmp_path, imported
):
    """The package now links groupings at this provider's URIs: read back in place, that is not
    news (the abilities and relations keep the publisher's links, nothing is 'updated'); read
    into a fresh database, it is published the same again."""
    exported = published_package(api_client, DOCUMENT)

    again = framework_import(path=written_package(tmp_path, "ours.json", exported), format="case")

    assert again.ok, again.error
    counts = again.as_dict()["counts"]
    assert counts["ability"]["unchanged"] == 3
    assert counts["relation"]["unchanged"] == 1
    assert published_package(api_client, DOCUMENT) == exported
    child = Ability.objects.get(identifier=CHILD)
    assert child.extra["caseTree"]["CFAssociationGroupingURI"] == PROGRESSION
    (relation,) = AbilityRelation.objects.all()
    assert relation.extra["CFAssociationGroupingURI"] == CROSSWALK
