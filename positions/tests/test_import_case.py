"""CASE packages: 1.1, pre-1.0 dialect, arrays, externals, failures, re-import."""

import json
import uuid
from pathlib import Path

import pytest

from core.models import Provenance
from positions.importers import framework_import
from positions.models import Ability, AbilityRelation, Framework, RelationType

FIXTURES = Path(__file__).parent / "fixtures" / "case"
DOC = uuid.UUID("11111111-aaaa-4aaa-8aaa-000000000001")


def _import(name):
    return framework_import(path=FIXTURES / name, format="case")


@pytest.mark.django_db
def test_case_package_becomes_framework_abilities_tree_and_relations():
    report = _import("package_1_1.json")

    assert report.ok, report.error
    framework = Framework.objects.get(identifier=DOC)
    assert framework.name == "Cross-border e-commerce skills"
    assert framework.extra["creator"] == "Test Board"
    assert framework.extra["CFDefinitions"]["CFItemTypes"][0]["title"] == "Domain"
    child = Ability.objects.get(identifier=uuid.UUID("11111111-aaaa-4aaa-8aaa-000000000013"))
    assert child.code == "CBE.1.2"
    assert child.item_type == "Competency"
    assert child.external_id == "11111111-aaaa-4aaa-8aaa-000000000013"
    assert child.uri.endswith("/CFItems/11111111-aaaa-4aaa-8aaa-000000000013")
    assert child.provenance == Provenance.IMPORT
    assert child.source_ref == "package_1_1.json"
    # The child comes before its parent in the file; isChildOf still finds it.
    assert child.parent.code == "CBE.1"
    assert child.order == 2
    assert child.extra["educationLevel"] == ["13"]
    # No isChildOf: hangs from the document.
    assert Ability.objects.get(code="CBE.2").parent is None
    assert Ability.objects.get(code="CBE.1").short_name == "Communication"


@pytest.mark.django_db
def test_case_associations_inside_and_outside_the_package():
    report = _import("package_1_1.json")

    precedes = AbilityRelation.objects.get(relation_type=RelationType.PRECEDES)
    assert (precedes.source.code, precedes.target.code) == ("CBE.1.1", "CBE.1.2")
    external = AbilityRelation.objects.get(relation_type=RelationType.EXACT_MATCH_OF)
    assert external.target is None
    assert (
        external.target_uri
        == "https://other.example.org/CFItems/99999999-cccc-4ccc-8ccc-000000000001"
    )
    assert external.target_label == "Customs compliance (other board)"
    assert external.target_external_id == "99999999-cccc-4ccc-8ccc-000000000001"
    # An association from a node outside the package is kept too, that node by its identifier,
    # URI and title, and listed by the package's framework.
    incoming = AbilityRelation.objects.get(relation_type=RelationType.IS_RELATED_TO)
    assert incoming.source is None
    assert incoming.target.code == "CBE.2"
    assert (incoming.source_external_id, incoming.source_uri, incoming.source_label) == (
        "99999999-cccc-4ccc-8ccc-000000000002",
        "https://other.example.org/CFItems/99999999-cccc-4ccc-8ccc-000000000002",
        "Somewhere else",
    )
    assert {r.framework_id for r in AbilityRelation.objects.all()} == {report.frameworks[0]}
    assert report.skipped_total == 0
    assert report.as_dict()["counts"]["relation"]["created"] == 3


@pytest.mark.django_db
def test_case_reimport_updates_in_place_without_duplicates():
    _import("package_1_1.json")
    again = _import("package_1_1.json")

    assert again.ok
    counts = again.as_dict()["counts"]
    assert counts["ability"] == {"created": 0, "updated": 0, "unchanged": 4, "conflict": 0}
    assert counts["relation"]["unchanged"] == 3
    assert Ability.objects.count() == 4
    assert Framework.objects.count() == 1


@pytest.mark.django_db
def test_case_pre_1_0_string_uris_and_non_uuid_identifiers():
    report = _import("pre_1_0.json")

    assert report.ok, report.error
    item = Ability.objects.get(external_id="http://standards.example.org/resources/S201")
    assert item.identifier == uuid.uuid5(
        uuid.NAMESPACE_URL, "http://standards.example.org/resources/S201"
    )
    assert item.parent.external_id == "http://standards.example.org/resources/S200"
    framework = Framework.objects.get()
    assert framework.external_id == "http://standards.example.org/resources/D100"
    assert framework.identifier == uuid.uuid5(
        uuid.NAMESPACE_URL, "http://standards.example.org/resources/D100"
    )
    assert item.parent.parent is None


@pytest.mark.django_db
def test_case_array_of_packages_links_across_packages():
    report = _import("array_of_packages.json")

    assert report.ok, report.error
    assert len(report.frameworks) == 2
    relation = AbilityRelation.objects.get(source__code="DM.1")
    assert relation.target.code == "CBE.1.2"


@pytest.mark.django_db
def test_case_external_target_links_to_an_ability_already_in_the_database():
    other = Framework.objects.create(name="Other board", provenance=Provenance.IMPORT)
    known = Ability.objects.create(
        framework=other,
        identifier=uuid.UUID("99999999-cccc-4ccc-8ccc-000000000001"),
        text="Customs compliance",
    )

    _import("package_1_1.json")

    assert AbilityRelation.objects.get(relation_type=RelationType.EXACT_MATCH_OF).target == known


@pytest.mark.django_db
def test_case_malformed_json_writes_nothing_and_names_the_line():
    report = _import("malformed.json")

    assert not report.ok
    assert report.error["where"].startswith("line ")
    assert "malformed JSON" in report.error["message"]
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_case_a_key_given_twice_in_one_object_is_refused_naming_its_place(tmp_path):
    """Observed: the second "humanCodingScheme" of an item silently replaced the first (the
    API's parser refuses a key given twice). Refused, naming the key, and the line and column
    of the object holding it, nothing written."""
    package = (FIXTURES / "package_1_1.json").read_text(encoding="utf-8")
    # CFItems' first item, which has a humanCodingScheme, given another before it.
    start = package.index('"CFItems"')
    brace = package.index("{", start)
    line = package.count("\n", 0, brace) + 1
    column = brace - package.rfind("\n", 0, brace)
    doubled = package[: brace + 1] + '"humanCodingScheme": "X1", ' + package[brace + 1 :]
    path = tmp_path / "doubled.json"
    path.write_text(doubled, encoding="utf-8")

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "humanCodingScheme" in report.error["message"]
    assert "twice" in report.error["message"]
    assert report.error["where"] == f"line {line}, column {column}"
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_case_unknown_parent_reference_writes_nothing():
    report = _import("unknown_parent.json")

    assert not report.ok
    assert report.error["where"] == "CFAssociations[6]"
    assert "unknown reference" in report.error["message"]
    assert not Framework.objects.exists()
    assert not Ability.objects.exists()


@pytest.mark.django_db
def test_case_not_a_package_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "CFDocument" in report.error["message"]


@pytest.mark.django_db
def test_case_is_child_of_cycle_is_refused_and_nothing_written(tmp_path):

    data = json.loads((FIXTURES / "package_1_1.json").read_text())
    package = data.get("CFPackage", data)
    top = "11111111-aaaa-4aaa-8aaa-000000000010"  # CBE.1, whose child CBE.1.2 becomes its parent
    child = next(
        a["originNodeURI"]
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf" and a["destinationNodeURI"]["identifier"] == top
    )
    for association in package["CFAssociations"]:
        if (
            association["associationType"] == "isChildOf"
            and association["originNodeURI"]["identifier"] == top
        ):
            association["destinationNodeURI"] = child
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps(data))

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "cycle" in report.error["message"]
    assert not Ability.objects.exists()


@pytest.mark.django_db
def test_case_sequence_numbers_written_as_strings_order_the_siblings():
    """Early OpenSALT exports write isChildOf sequenceNumbers as strings ("1"): they order the
    siblings as the integers do, rather than being dropped for the items' order in the file
    (the fixture, trimmed from such an export, lists the second item first)."""
    report = _import("opensalt_2017.json")

    assert report.ok, report.error
    roots = Ability.objects.filter(parent=None).order_by("order")
    assert list(roots.values_list("code", "order")) == [("6.RP.A", 1), ("7.RP.A", 2)]


def _sequenced_package(numbers: dict[str, int]) -> dict:
    """A document with one root item and, under it, one child per (code, sequenceNumber)."""
    doc = "5e9f0000-0000-4000-8000-000000000001"
    root = "5e9f0000-0000-4000-8000-000000000002"

    def node(identifier, title):
        return {
            "identifier": identifier,
            "uri": f"https://p.example.org/{identifier}",
            "title": title,
        }

    items = [{"identifier": root, "fullStatement": "Root", "humanCodingScheme": "R"}]
    assocs = [
        {
            "identifier": "5e9f0000-0000-4000-8000-0000000000a0",
            "associationType": "isChildOf",
            "sequenceNumber": -7,
            "originNodeURI": node(root, "R"),
            "destinationNodeURI": node(doc, "Document"),
        }
    ]
    for n, (code, number) in enumerate(numbers.items()):
        identifier = f"5e9f0000-0000-4000-8000-0000000001{n:02d}"
        items.append({"identifier": identifier, "fullStatement": code, "humanCodingScheme": code})
        assocs.append(
            {
                "identifier": f"5e9f0000-0000-4000-8000-0000000002{n:02d}",
                "associationType": "isChildOf",
                "sequenceNumber": number,
                "originNodeURI": node(identifier, code),
                "destinationNodeURI": node(root, "R"),
            }
        )
    return {
        "CFDocument": {"identifier": doc, "title": "Signed sequence numbers"},
        "CFItems": items,
        "CFAssociations": assocs,
    }


SIGNED_NUMBERS = {"C": 2_147_483_648, "A": -3, "D": 7, "B": 0, "E": 99_999_999_999}


@pytest.mark.django_db
def test_case_negative_and_huge_sequence_numbers_import_in_the_publishers_order(tmp_path):
    """CASE's sequenceNumber is any integer: negative ones (and ones beyond int32) are written,
    the siblings keeping the order the publisher gave them, and the same package imported
    again changes nothing."""
    path = tmp_path / "signed.json"
    path.write_text(json.dumps(_sequenced_package(SIGNED_NUMBERS)))

    report = framework_import(path=path, format="case")

    assert report.ok, report.error
    children = Ability.objects.filter(parent__code="R").order_by("order", "id")
    assert [a.code for a in children] == ["A", "B", "D", "C", "E"]
    again = framework_import(path=path, format="case")
    assert again.ok, again.error
    counts = again.as_dict()["counts"]
    assert counts["ability"] == {"created": 0, "updated": 0, "unchanged": 6, "conflict": 0}
    assert counts["framework"]["unchanged"] == 1
