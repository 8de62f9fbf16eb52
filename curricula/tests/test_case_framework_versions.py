"""The CASE provider after a publisher's new version is imported in place: it publishes the
framework as that version has it."""

import json

import pytest

from positions.importers import framework_import
from positions.models import Ability, Framework

ROOT = "/ims/case/v1p1/"
DOC = "11111111-cccc-4ccc-8ccc-000000000000"


def _item(n: int) -> dict:
    return {
        "identifier": f"11111111-cccc-4ccc-8ccc-00000000000{n}",
        "uri": f"https://pub.example.org/CFItems/{n}",
        "fullStatement": f"Item {n}",
        "humanCodingScheme": f"I.{n}",
    }


def _child_of(n: int, parent: int | None) -> dict:
    def node(k: int | None) -> dict:
        if k is None:
            return {"identifier": DOC, "uri": "https://pub.example.org/doc", "title": "T"}
        return {"identifier": _item(k)["identifier"], "uri": _item(k)["uri"], "title": str(k)}

    return {
        "identifier": f"22222222-cccc-4ccc-8ccc-00000000000{n}",
        "associationType": "isChildOf",
        "originNodeURI": node(n),
        "destinationNodeURI": node(parent),
        "sequenceNumber": n,
    }


def _import(tmp_path, numbers: list[int], parents: dict[int, int | None]):
    path = tmp_path / f"v{len(numbers)}.json"
    path.write_text(
        json.dumps(
            {
                "CFDocument": {"identifier": DOC, "title": "T"},
                "CFItems": [_item(n) for n in numbers],
                "CFAssociations": [_child_of(n, parents[n]) for n in numbers],
            }
        )
    )
    report = framework_import(path=path, format="case")
    assert report.ok, report.error


def _get(client, path, **headers):
    response = client.get(ROOT + path, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, (json.loads(body) if body else None)


@pytest.mark.django_db
def test_items_a_new_version_drops_are_no_longer_in_the_package(api_client, tmp_path):
    """Item 3 (under item 2) is gone from the publisher's next version: the import retires it,
    and the package still listed it as an item of the framework, with its isChildOf, so a
    client reading the package got back what the publisher withdrew. Its ETag changes too
    (the version differs by that retirement alone), and the item is still at CFItems/{id}."""
    parents = {1: None, 2: None, 3: 2}
    _import(tmp_path, [1, 2, 3], parents)
    framework = Framework.objects.get()
    before, package = _get(api_client, f"CFPackages/{framework.identifier}")
    assert len(package["CFItems"]) == 3

    _import(tmp_path, [1, 2], parents)

    assert Ability.objects.get(code="I.3").retired
    response, package = _get(
        api_client, f"CFPackages/{framework.identifier}", HTTP_IF_NONE_MATCH=before["ETag"]
    )
    assert response.status_code == 200
    assert [item["humanCodingScheme"] for item in package["CFItems"]] == ["I.1", "I.2"]
    gone = _item(3)["identifier"]
    assert all(a["originNodeURI"]["identifier"] != gone for a in package["CFAssociations"])
    _response, associations = _get(api_client, f"CFItemAssociations/{_item(2)['identifier']}")
    assert [a["originNodeURI"]["identifier"] for a in associations["CFAssociations"]] == [
        _item(2)["identifier"]
    ]
    assert _get(api_client, f"CFItems/{gone}")[0].status_code == 200


@pytest.mark.django_db
def test_a_version_swapping_which_item_is_retired_changes_the_package_etag(api_client, tmp_path):
    """One version drops item 3, the next brings it back and drops item 2: as many items as
    before and no item rewritten, so with retirements leaving every change stamp alone the
    ETag stayed and a client revalidating was told its package (with item 2) still held."""
    parents = {1: None, 2: None, 3: None}
    _import(tmp_path, [1, 2, 3], parents)
    _import(tmp_path, [1, 2], parents)
    identifier = Framework.objects.get().identifier
    before, _package = _get(api_client, f"CFPackages/{identifier}")

    path = tmp_path / "swap.json"
    path.write_text(
        json.dumps(
            {
                "CFDocument": {"identifier": DOC, "title": "T"},
                "CFItems": [_item(1), _item(3)],
                "CFAssociations": [_child_of(1, None), _child_of(3, None)],
            }
        )
    )
    assert framework_import(path=path, format="case").ok

    response, package = _get(
        api_client, f"CFPackages/{identifier}", HTTP_IF_NONE_MATCH=before["ETag"]
    )
    assert response.status_code == 200
    assert [item["humanCodingScheme"] for item in package["CFItems"]] == ["I.1", "I.3"]
