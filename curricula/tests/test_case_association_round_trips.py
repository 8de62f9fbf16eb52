"""CASE associations on a round trip: extension types (ext:...), notes, and items sharing one
humanCodingScheme, through this site's own export into the same and into a fresh database."""

import json
from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.models import Ability, Framework

ROOT = "/ims/case/v1p1/"


def _package(client, identifier) -> dict:
    response = client.get(f"{ROOT}CFPackages/{identifier}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(body)


def _write(tmp_path, name: str, package: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def _node(identifier: str, title: str = "x") -> dict:
    return {"identifier": identifier, "uri": f"https://p.example.org/{identifier}", "title": title}


def _association(n: int, kind: str, origin: str, destination: str, **more) -> dict:
    return {
        "identifier": f"7c1e0f2a-1b2c-4d3e-8f40-00000000e{n:03d}",
        "associationType": kind,
        "uri": f"https://p.example.org/assoc/{n}",
        "originNodeURI": _node(origin),
        "destinationNodeURI": _node(destination),
        "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
        **more,
    }


@pytest.mark.django_db
def test_items_sharing_a_human_coding_scheme_keep_which_one_holds_it_in_a_fresh_database(
    api_client, tmp_path
):
    """Smarter Balanced gives several siblings one humanCodingScheme; the first item in the
    publisher's file holds it as its code. This site's package lists the others first (by
    order, then code, and theirs is empty): imported into a fresh database, the code must stay
    with the item that held it, not go to whichever item the export happens to list first."""
    document = "6b1d1c3e-f08c-11e7-a604-000000000001"
    root = "6b1d1c3e-f08c-11e7-a604-000000000002"
    shared = ["6b1d1c3e-f08c-11e7-a604-0000000000a1", "6b1d1c3e-f08c-11e7-a604-0000000000a2"]

    def edge(n, child, parent):
        return _association(n, "isChildOf", child, parent, sequenceNumber=1)

    package = {
        "CFDocument": {"identifier": document, "title": "ELA Grade 3"},
        "CFItems": [
            {"identifier": root, "fullStatement": "Claim 2", "humanCodingScheme": "C2"},
            *(
                {"identifier": i, "fullStatement": f"Target {n}", "humanCodingScheme": "T1a"}
                for n, i in enumerate(shared)
            ),
        ],
        "CFAssociations": [
            edge(0, root, document),
            *(edge(n + 1, i, root) for n, i in enumerate(shared)),
        ],
    }
    assert framework_import(path=_write(tmp_path, "ela.json", package), format="case").ok
    assert str(Ability.objects.get(code="T1a").identifier) == shared[0]
    exported = _package(api_client, document)
    Framework.objects.all().delete()

    fresh = framework_import(path=_write(tmp_path, "exported.json", exported), format="case")

    assert fresh.ok, fresh.error
    assert str(Ability.objects.get(code="T1a").identifier) == shared[0]
    assert Ability.objects.get(identifier=shared[1]).extra.get("humanCodingScheme") == "T1a"
    # And the package published from the fresh database says the same as the first one.
    again = _package(api_client, document)
    assert [(i["identifier"], i.get("humanCodingScheme")) for i in again["CFItems"]] == [
        (i["identifier"], i.get("humanCodingScheme")) for i in exported["CFItems"]
    ]
