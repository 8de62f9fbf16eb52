"""A publisher's package that gives two different associations one identifier (seen when a
server copies associations by hand) is imported, and the provider publishes each association
under an identifier of its own: a CFPackage names every association once, and
`CFAssociations/{id}` answers one of them. The tree the file gives is kept."""

import json

import pytest

from curricula.tests.test_case_provider import (  # noqa: F401 (fixture)
    assert_valid_package,
    package_validator,
)
from positions.importers import framework_import
from positions.models import Ability, AbilityRelation

pytestmark = pytest.mark.django_db

DOC = "d1111111-1111-4111-8111-111111111111"
SHARED = "a3333333-3333-4333-8333-333333333333"


def _item(n: int) -> dict:
    identifier = f"e2222222-2222-4222-8222-00000000000{n}"
    return {
        "identifier": identifier,
        "uri": f"https://case.example.org/CFItems/{identifier}",
        "fullStatement": f"Statement {n}",
        "humanCodingScheme": f"S.{n}",
        "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
    }


def _node(identifier: str, kind: str = "CFItems") -> dict:
    return {
        "title": identifier,
        "identifier": identifier,
        "uri": f"https://case.example.org/{kind}/{identifier}",
    }


def _association(identifier: str, kind: str, origin: str, destination: dict) -> dict:
    return {
        "identifier": identifier,
        "uri": f"https://case.example.org/CFAssociations/{identifier}",
        "associationType": kind,
        "originNodeURI": _node(origin),
        "destinationNodeURI": destination,
        "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
    }


def _package(associations: list[dict]) -> dict:
    return {
        "CFDocument": {
            "identifier": DOC,
            "uri": f"https://case.example.org/CFDocuments/{DOC}",
            "creator": "Example",
            "title": "Shared identifiers",
            "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
        },
        "CFItems": [_item(1), _item(2), _item(3)],
        "CFAssociations": associations,
    }


def _published(api_client) -> dict:
    response = api_client.get(f"/ims/case/v1p1/CFPackages/{DOC}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(body)


ONE, TWO, THREE = (f"e2222222-2222-4222-8222-00000000000{n}" for n in (1, 2, 3))
DOCUMENT = _node(DOC, "CFDocuments")


@pytest.mark.parametrize(
    "associations",
    [
        # Two isChildOf, of two items, under one identifier.
        [
            _association(SHARED, "isChildOf", ONE, DOCUMENT),
            _association(SHARED, "isChildOf", TWO, DOCUMENT),
            _association("a3333333-3333-4333-8333-000000000003", "isChildOf", THREE, _node(ONE)),
        ],
        # An isChildOf and a crosswalk under one identifier.
        [
            _association(SHARED, "isChildOf", ONE, DOCUMENT),
            _association("a3333333-3333-4333-8333-000000000002", "isChildOf", TWO, DOCUMENT),
            _association("a3333333-3333-4333-8333-000000000003", "isChildOf", THREE, _node(ONE)),
            _association(SHARED, "isRelatedTo", TWO, _node(THREE)),
        ],
    ],
    ids=["two-parents-links", "parent-link-and-crosswalk"],
)
def test_associations_sharing_an_identifier_are_published_once_each(
    api_client,
    tmp_path,
    associations,
    package_validator,  # noqa: F811
):
    path = tmp_path / "package.json"
    path.write_text(json.dumps(_package(associations)), encoding="utf-8")

    report = framework_import(path=path, format="case")

    assert report.ok, report.error
    # The tree is the file's: the first two items hang from the document, the third from one.
    parents = {a.text: a.parent and a.parent.text for a in Ability.objects.select_related("parent")}
    assert parents == {"Statement 1": None, "Statement 2": None, "Statement 3": "Statement 1"}
    package = _published(api_client)
    assert_valid_package(package_validator, package)
    identifiers = [a["identifier"] for a in package["CFAssociations"]]
    assert len(identifiers) == len(set(identifiers)), identifiers
    # The first association keeps the publisher's identifier, and says what it is.
    first = api_client.get(f"/ims/case/v1p1/CFAssociations/{SHARED}")
    assert first.status_code == 200
    assert first.json()["originNodeURI"]["identifier"] == ONE
    assert first.json()["associationType"] == "isChildOf"
    # The report says which association lost the identifier it shared.
    assert report.warnings or report.skipped


def test_a_crosswalk_sharing_an_isChildOf_identifier_is_kept(api_client, tmp_path):
    """The crosswalk is not lost for its identifier: it is published under one of its own."""
    associations = [
        _association(SHARED, "isChildOf", ONE, DOCUMENT),
        _association("a3333333-3333-4333-8333-000000000002", "isChildOf", TWO, DOCUMENT),
        _association(SHARED, "isRelatedTo", TWO, _node(THREE)),
    ]
    path = tmp_path / "package.json"
    path.write_text(json.dumps(_package(associations)), encoding="utf-8")

    report = framework_import(path=path, format="case")

    assert report.ok, report.error
    relation = AbilityRelation.objects.get()
    assert (relation.source.text, relation.target.text) == ("Statement 2", "Statement 3")
    published = _published(api_client)["CFAssociations"]
    assert sorted(a["associationType"] for a in published) == [
        "isChildOf",
        "isChildOf",
        "isRelatedTo",
    ]
    assert len({a["identifier"] for a in published}) == 3

    again = framework_import(path=path, format="case")

    assert again.ok, again.error
    assert dict(again.counts["relation"]) == {"unchanged": 1}
    assert AbilityRelation.objects.get().pk == relation.pk
