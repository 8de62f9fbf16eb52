"""CASE packages as publishers change them: what a later version drops, and odd but valid
shapes older exports write."""

import json

import pytest

from positions.importers import framework_import
from positions.models import Ability, Framework

DOC = "11111111-bbbb-4bbb-8bbb-000000000000"


def _item(n: int, code: str) -> dict:
    return {
        "identifier": f"11111111-bbbb-4bbb-8bbb-00000000000{n}",
        "uri": f"https://pub.example.org/CFItems/{n}",
        "fullStatement": f"Item {code}",
        "humanCodingScheme": code,
    }


def _association(n: int, kind: str, origin: int, destination: int | None, **more) -> dict:
    def node(k: int | None) -> dict:
        if k is None:
            return {"identifier": DOC, "uri": "https://pub.example.org/doc", "title": "T"}
        return {
            "identifier": f"11111111-bbbb-4bbb-8bbb-00000000000{k}",
            "uri": f"https://pub.example.org/CFItems/{k}",
            "title": str(k),
        }

    return {
        "identifier": f"22222222-bbbb-4bbb-8bbb-00000000000{n}",
        "associationType": kind,
        "originNodeURI": node(origin),
        "destinationNodeURI": node(destination),
        **more,
    }


def _package(items: list[dict], associations: list[dict]) -> dict:
    return {
        "CFDocument": {"identifier": DOC, "uri": "https://pub.example.org/doc", "title": "T"},
        "CFItems": items,
        "CFAssociations": associations,
    }


def _import(tmp_path, package: dict, name: str = "package.json"):
    path = tmp_path / name
    path.write_text(json.dumps(package))
    return framework_import(path=path, format="case")


@pytest.mark.django_db
def test_an_item_type_link_written_as_a_bare_uri_is_read_as_a_link_without_title(tmp_path):
    """Older exports write CFItemTypeURI as a URI string rather than a link object: the import
    failed with an AttributeError (no location, nothing said of the cause). The item's type
    comes from CFItemType, and the string is kept as the publisher wrote it."""
    item = {**_item(1, "A"), "CFItemType": "Standard", "CFItemTypeURI": "https://pub.example.org/t"}
    bare = {**_item(2, "B"), "CFItemTypeURI": "https://pub.example.org/t"}

    report = _import(tmp_path, _package([item, bare], []))

    assert report.ok, report.error
    assert Ability.objects.get(code="A").item_type == "Standard"
    assert Ability.objects.get(code="B").item_type == ""
    assert Ability.objects.get(code="B").extra["CFItemTypeURI"] == "https://pub.example.org/t"


@pytest.mark.django_db
@pytest.mark.parametrize("identifier", ["", "   "])
def test_an_item_with_a_blank_identifier_is_refused_with_its_place(tmp_path, identifier):
    """A blank identifier was taken as one: the item became an ability whose identifier was
    made of the empty string, the same for every such item of every package, and its
    isChildOf was skipped as coming from outside the package."""
    items = [_item(1, "A"), {**_item(2, "B"), "identifier": identifier}]

    report = _import(tmp_path, _package(items, [_association(1, "isChildOf", 1, None)]))

    assert not report.ok
    assert report.error["where"] == "CFItems[1]"
    assert "identifier" in report.error["message"]
    assert not Framework.objects.exists()
