"""An association from a CASE item to itself is left out, and no relation joins an ability
to itself.

Observed: a package's `isRelatedTo` whose origin and destination are one item (or an
`exactMatchOf` from an item to itself) was imported as a relation of the ability to itself
and published again, where the API refuses such a relation ("An ability cannot be related to
itself") and the Moodle import refuses a competency cross-referencing itself; nothing in the
database stopped it. The import now leaves such an association out, with a warning naming
it (the rest of the publisher's package is taken), and the database refuses the row.
"""

import copy
import json
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from positions.importers import framework_import
from positions.models import AbilityRelation
from positions.tests.factories import AbilityFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "case" / "package_1_1.json"
ROOT = "https://case.example.org/ims/case/v1p1/"
ITEM_A = "11111111-aaaa-4aaa-8aaa-000000000012"
ITEM_B = "11111111-aaaa-4aaa-8aaa-000000000020"
SELF_RELATED = "11111111-bbbb-4bbb-8bbb-0000000000f1"
SELF_MATCH = "11111111-bbbb-4bbb-8bbb-0000000000f2"


def _node(identifier: str, *, by_uri_only: bool = False) -> dict:
    node = {"title": identifier[-4:], "uri": f"{ROOT}CFItems/{identifier}"}
    if not by_uri_only:
        node["identifier"] = identifier
    return node


def _association(identifier: str, kind: str, origin: dict, destination: dict) -> dict:
    return {
        "identifier": identifier,
        "uri": f"{ROOT}CFAssociations/{identifier}",
        "associationType": kind,
        "originNodeURI": origin,
        "destinationNodeURI": destination,
        "lastChangeDateTime": "2024-01-10T10:00:00+00:00",
    }


def _package(tmp_path, *associations: dict) -> Path:
    package = json.loads(FIXTURE.read_text(encoding="utf-8"))
    package = copy.deepcopy(package)
    package["CFAssociations"].extend(associations)
    path = tmp_path / "self.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def test_an_association_from_an_item_to_itself_is_left_out_with_a_warning(tmp_path):
    plain = framework_import(path=FIXTURE, format="case")
    assert plain.ok, plain.error
    relations_before = AbilityRelation.objects.count()

    path = _package(
        tmp_path,
        _association(SELF_RELATED, "isRelatedTo", _node(ITEM_A), _node(ITEM_A)),
        # The same item named by its identifier at one end and by its URI alone at the other.
        _association(SELF_MATCH, "exactMatchOf", _node(ITEM_B), _node(ITEM_B, by_uri_only=True)),
    )
    report = framework_import(path=path, format="case")

    assert report.ok, report.error
    assert not AbilityRelation.objects.filter(
        identifier__in=[uuid.UUID(SELF_RELATED), uuid.UUID(SELF_MATCH)]
    ).exists()
    assert AbilityRelation.objects.count() == relations_before
    warned = {w["where"]: w["message"] for w in report.warnings}
    related_at = [where for where, message in warned.items() if SELF_RELATED in message]
    match_at = [where for where, message in warned.items() if SELF_MATCH in message]
    listed = len(json.loads(FIXTURE.read_text(encoding="utf-8"))["CFAssociations"])
    assert related_at == [f"CFAssociations[{listed}]"]
    assert match_at
    assert "itself" in warned[related_at[0]]


def test_no_relation_of_an_ability_to_itself_gets_into_the_database():
    ability = AbilityFactory()
    relation = AbilityRelation(source=ability, target=ability, relation_type="isRelatedTo")

    with pytest.raises(ValidationError, match="cannot be related to itself"):
        relation.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        AbilityRelation.objects.create(source=ability, target=ability, relation_type="isRelatedTo")
    assert not AbilityRelation.objects.exists()


def test_an_item_its_own_parent_is_refused_as_a_cycle(tmp_path):
    """isChildOf from an item to itself: the importer already refuses it as a cycle of
    parents, naming the item (a tree needs a top), and writes nothing."""
    path = _package(tmp_path, _association(SELF_RELATED, "isChildOf", _node(ITEM_B), _node(ITEM_B)))

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "cycle" in report.error["message"]
    assert ITEM_B in report.error["message"]
    assert not AbilityRelation.objects.exists()
