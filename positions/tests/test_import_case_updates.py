"""CASE packages as publishers change them: what a later version drops, and odd but valid
shapes older exports write."""

import json

import pytest

from core.models import Provenance
from positions.importers import framework_import
from positions.models import Ability, AbilityRelation, Framework, RelationType

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


@pytest.mark.django_db
def test_associations_a_new_version_drops_are_removed_with_their_relations(tmp_path):
    """A publisher's next version no longer lists an isRelatedTo and a precedes: both
    relations stayed, so the provider kept publishing them and crosswalk-aware coverage kept
    reading them. They are removed (and counted); one staff made by hand stays."""
    items = [_item(1, "A"), _item(2, "B"), _item(3, "C")]
    tree = [_association(1, "isChildOf", 1, None), _association(2, "isChildOf", 2, None)]
    first = _import(
        tmp_path,
        _package(
            items,
            [
                *tree,
                _association(3, "isRelatedTo", 1, 2),
                _association(4, "precedes", 2, 3),
                _association(5, "exactMatchOf", 1, 3),
            ],
        ),
    )
    assert first.ok, first.error
    framework = Framework.objects.get()
    by_hand = AbilityRelation.objects.create(
        framework=framework,
        source=Ability.objects.get(code="C"),
        target=Ability.objects.get(code="A"),
        relation_type=RelationType.IS_PEER_OF,
        provenance=Provenance.EDIT,
    )

    again = _import(tmp_path, _package(items, [*tree, _association(5, "exactMatchOf", 1, 3)]))

    assert again.ok, again.error
    assert set(AbilityRelation.objects.values_list("relation_type", flat=True)) == {
        RelationType.EXACT_MATCH_OF,
        RelationType.IS_PEER_OF,
    }
    assert AbilityRelation.objects.filter(pk=by_hand.pk).exists()
    assert again.as_dict()["counts"]["relation"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 1,
        "conflict": 0,
        "removed": 2,
    }
    # The same version again removes nothing more.
    third = _import(tmp_path, _package(items, [*tree, _association(5, "exactMatchOf", 1, 3)]))
    assert third.as_dict()["counts"]["relation"]["removed"] == 0
    assert AbilityRelation.objects.count() == 2


@pytest.mark.django_db
def test_a_package_listing_a_framework_twice_keeps_the_relations_of_both(tmp_path):
    """An array may list one document twice (two parts of a framework): the relations the
    first part lists are not taken as dropped by the second."""
    one = _package([_item(1, "A"), _item(2, "B")], [_association(3, "isRelatedTo", 1, 2)])
    two = _package([_item(3, "C")], [_association(4, "precedes", 1, 3)])

    report = _import(tmp_path, [one, two])
    assert report.ok, report.error
    again = _import(tmp_path, [one, two])

    assert again.ok, again.error
    assert AbilityRelation.objects.count() == 2


@pytest.mark.django_db
def test_a_crosswalk_to_a_framework_imported_later_is_linked_when_it_comes(tmp_path):
    """Framework T says its item 1 is an exact match of an item of another publisher's
    framework, not yet imported: the relation keeps that node by identifier and URI. When the
    other framework is imported, the relation stayed a dead end (crosswalk-aware coverage
    could not follow it, the provider kept the placeholder title) until T was imported
    again; it now points at the ability, as if the other framework had come first."""
    other = "99999999-bbbb-4bbb-8bbb-000000000001"
    crosswalk = {
        **_association(3, "exactMatchOf", 1, None),
        "destinationNodeURI": {
            "identifier": other,
            "uri": f"https://other.example.org/CFItems/{other}",
            "title": "Destination Node",
        },
    }
    assert _import(tmp_path, _package([_item(1, "A")], [crosswalk])).ok
    relation = AbilityRelation.objects.get()
    assert relation.target is None
    later = {
        "CFDocument": {"identifier": "99999999-bbbb-4bbb-8bbb-000000000000", "title": "Other"},
        "CFItems": [
            {
                "identifier": other,
                "uri": f"https://other.example.org/CFItems/{other}",
                "fullStatement": "Their item",
                "humanCodingScheme": "O.1",
            }
        ],
        "CFAssociations": [],
    }

    report = _import(tmp_path, later, "other.json")

    assert report.ok, report.error
    relation.refresh_from_db()
    assert relation.target == Ability.objects.get(code="O.1")
    assert (relation.target_uri, relation.target_label, relation.target_external_id) == ("", "", "")
    assert report.details["relations_linked"] == 1
    # T imported again finds its relation as it would write it.
    again = _import(tmp_path, _package([_item(1, "A")], [crosswalk]))
    assert again.as_dict()["counts"]["relation"]["unchanged"] == 1
    assert relation.history.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("keywords", "labels"),
    [(7, ""), (True, ""), (["trade", None, 3, {"a": 1}], "trade"), ("trade", "trade")],
)
def test_concept_keywords_of_another_shape_import_and_name_only_their_strings(
    tmp_path, keywords, labels
):
    """conceptKeywords is a list of strings; a number there failed the whole import with a
    TypeError and no location, and a null in the list became the label "None"."""
    item = {**_item(1, "A"), "conceptKeywords": keywords}

    report = _import(tmp_path, _package([item], []))

    assert report.ok, report.error
    ability = Ability.objects.get()
    assert ability.alt_labels == labels
    assert ability.extra["conceptKeywords"] == keywords


@pytest.mark.django_db
def test_a_new_version_that_renumbers_its_items_is_imported(tmp_path):
    """Publishers renumber: a standard inserted shifts the codes after it (1.2 becomes 1.3,
    1.3 becomes 1.4), or two items trade codes. Each ability takes its item's new code; the
    import failed with a database error, one ability taking a code another still had."""
    path = tmp_path / "package.json"
    path.write_text(json.dumps(_package([_item(1, "1.2"), _item(2, "1.3"), _item(3, "X")], [])))
    assert framework_import(path=path, format="case").ok
    path.write_text(
        json.dumps(
            _package(
                [_item(4, "1.2"), _item(1, "1.3"), _item(2, "1.4"), _item(3, "X")],
                [],
            )
        )
    )

    renumbered = framework_import(path=path, format="case")

    assert renumbered.ok, renumbered.error
    assert renumbered.warnings == []
    codes = dict(Ability.objects.values_list("external_id", "code"))
    assert codes == {
        _item(4, "")["identifier"]: "1.2",
        _item(1, "")["identifier"]: "1.3",
        _item(2, "")["identifier"]: "1.4",
        _item(3, "")["identifier"]: "X",
    }
    path.write_text(json.dumps(_package([_item(1, "1.4"), _item(2, "1.3")], [])))

    swapped = framework_import(path=path, format="case")

    assert swapped.ok, swapped.error
    assert Ability.objects.get(external_id=_item(1, "")["identifier"]).code == "1.4"
    assert Ability.objects.get(external_id=_item(2, "")["identifier"]).code == "1.3"
