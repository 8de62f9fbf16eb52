"""A publisher's package whose isChildOf associations carry no sequenceNumber (OpenSALT's
ordering test framework, the ACT Holistic Framework) orders siblings by their place in the
file. A new version that only drops or rewords an item leaves the others' order as it was:
they are unchanged, not rewritten (with a history row and a new lastChangeDateTime each, sent
again to every client syncing with updated_since) because their place in the file moved up."""

import copy

import pytest

from positions.importers import framework_import
from positions.models import Ability

DOC = "a33fc64e-5c40-41e7-82c4-3d54268aa9ee"


def _package(count: int = 5) -> dict:
    items = [
        {
            "identifier": f"00000000-0000-4000-8000-00000000000{n}",
            "uri": f"https://case.example.org/CFItems/00000000-0000-4000-8000-00000000000{n}",
            "fullStatement": f"Statement {n}",
            "humanCodingScheme": f"A.{n}",
            "lastChangeDateTime": "2017-10-18T15:02:46+00:00",
        }
        for n in range(1, count + 1)
    ]
    associations = [
        {
            "identifier": f"10000000-0000-4000-8000-00000000000{n}",
            "uri": f"https://case.example.org/CFAssociations/10000000-0000-4000-8000-00000000000{n}",
            "associationType": "isChildOf",
            "originNodeURI": {"title": "", "identifier": item["identifier"], "uri": item["uri"]},
            "destinationNodeURI": {
                "title": "",
                "identifier": DOC,
                "uri": f"https://case.example.org/CFDocuments/{DOC}",
            },
            "lastChangeDateTime": "2017-10-18T15:02:46+00:00",
        }
        for n, item in enumerate(items, start=1)
    ]
    return {
        "CFDocument": {
            "identifier": DOC,
            "uri": f"https://case.example.org/CFDocuments/{DOC}",
            "creator": "ACT, Inc.",
            "title": "Unnumbered",
            "lastChangeDateTime": "2017-10-18T15:02:46+00:00",
        },
        "CFItems": items,
        "CFAssociations": associations,
    }


def _import(tmp_path, package: dict, name: str):
    import json

    path = tmp_path / name
    path.write_text(json.dumps(package), encoding="utf-8")
    report = framework_import(path=path, format="case")
    assert report.ok, report.error
    return report.as_dict()["counts"]["ability"]


def _state() -> dict:
    return {
        a.code: (a.order, a.updated_at, a.history.count())
        for a in Ability.objects.filter(retired=False)
    }


@pytest.mark.django_db
def test_dropping_an_unnumbered_item_leaves_its_siblings_unchanged(tmp_path):
    source = _package()
    _import(tmp_path, source, "v1.json")
    before = _state()
    newer = copy.deepcopy(source)
    del newer["CFItems"][1]
    del newer["CFAssociations"][1]

    counts = _import(tmp_path, newer, "v2.json")

    assert counts["unchanged"] == 4
    after = _state()
    assert after == {code: state for code, state in before.items() if code != "A.2"}
    assert Ability.objects.get(code="A.2").retired


@pytest.mark.django_db
def test_rewording_an_unnumbered_item_changes_it_alone(tmp_path):
    source = _package()
    _import(tmp_path, source, "v1.json")
    newer = copy.deepcopy(source)
    del newer["CFItems"][0]
    del newer["CFAssociations"][0]
    newer["CFItems"][2]["fullStatement"] = "Statement 4, reworded"

    counts = _import(tmp_path, newer, "v2.json")

    assert (counts["updated"], counts["unchanged"]) == (1, 3)


@pytest.mark.django_db
def test_siblings_listed_in_a_new_order_take_it(tmp_path):
    source = _package()
    _import(tmp_path, source, "v1.json")
    newer = copy.deepcopy(source)
    newer["CFItems"].reverse()

    _import(tmp_path, newer, "v2.json")

    ordered = Ability.objects.order_by("order").values_list("code", flat=True)
    assert list(ordered) == ["A.5", "A.4", "A.3", "A.2", "A.1"]


@pytest.mark.django_db
def test_an_item_added_between_others_takes_its_place(tmp_path):
    source = _package(count=4)
    _import(tmp_path, source, "v1.json")
    newer = _package(count=5)
    newer["CFItems"].insert(1, newer["CFItems"].pop())

    _import(tmp_path, newer, "v2.json")

    ordered = Ability.objects.order_by("order").values_list("code", flat=True)
    assert list(ordered) == ["A.1", "A.5", "A.2", "A.3", "A.4"]
