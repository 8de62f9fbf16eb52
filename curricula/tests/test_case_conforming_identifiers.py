"""Identifiers CASE 1.1's schema refuses (OpenSALT's d0000000-0000-0000-0000-000000000000,
of no RFC 4122 variant) are published as a UUID it takes, made of the publisher's (uuid5), with
the publisher's identifier and URI beside it; a round trip maps back to the same records."""

import importlib
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from curricula.tests.case_packages import published_package, written_package
from curricula.tests.test_case_provider import (  # noqa: F401 (fixture)
    assert_valid_package,
    package_validator,
)
from positions.importers import framework_import
from positions.models import Ability, AbilityRelation, Framework

FIXTURE = (
    Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures" / "case"
) / "non_rfc4122_identifiers.json"
ROOT = "/ims/case/v1p1/"
DOCUMENT = "d0000000-0000-0000-0000-000000000000"
ITEM_1 = "00000000-0000-0000-0000-000000000001"
ITEM_2 = "00000000-0000-0000-0000-000000000002"


@pytest.fixture(autouse=True)
def _case_base_url(settings):
    settings.CASE_BASE_URL = "https://case.example.edu"


def conforming(identifier: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, identifier))


def _state() -> tuple:
    return (
        sorted(Framework.objects.values_list("identifier", "external_id", "uri")),
        sorted(Ability.objects.values_list("identifier", "external_id", "uri", "parent__code")),
        sorted(AbilityRelation.objects.values_list("identifier", "target_external_id")),
    )


@pytest.mark.django_db
def test_identifiers_case_refuses_are_published_as_uuids_made_of_them_and_the_package_is_valid(
    api_client,
    package_validator,  # noqa: F811
):
    assert framework_import(path=FIXTURE, format="case").ok

    exported = published_package(api_client, conforming(DOCUMENT))

    assert_valid_package(package_validator, exported)
    assert exported["CFDocument"]["identifier"] == conforming(DOCUMENT)
    assert exported["CFDocument"]["extensions"]["sourceIdentifier"] == DOCUMENT
    items = {item["identifier"]: item for item in exported["CFItems"]}
    assert set(items) == {conforming(ITEM_1), conforming(ITEM_2)}
    assert items[conforming(ITEM_1)]["extensions"]["sourceIdentifier"] == ITEM_1
    # The publisher's URI is published too, a URN (which no URL column holds) included.
    assert items[conforming(ITEM_1)]["extensions"]["sourceURI"] == "urn:example:standards:item-1"
    assert items[conforming(ITEM_2)]["extensions"]["sourceURI"] == (
        "https://server.example/ims/case/v1p0/CFItems/" + ITEM_2
    )
    assert items[conforming(ITEM_1)]["CFItemTypeURI"]["identifier"] == conforming(
        "b0000000-0000-0000-0000-000000000000"
    )
    associations = {a["identifier"]: a for a in exported["CFAssociations"]}
    assert set(associations) == {
        conforming(f"a0000000-0000-0000-0000-00000000000{n}") for n in (1, 2, 3)
    }
    # A node elsewhere is named as its publisher named it (CASE's links take any identifier).
    crosswalk = associations[conforming("a0000000-0000-0000-0000-000000000003")]
    assert crosswalk["destinationNodeURI"]["identifier"] == "e0000000-0000-0000-0000-000000000009"
    # The publisher's identifier still finds the item and the item type.
    response = api_client.get(f"{ROOT}CFItems/{ITEM_1}")
    assert response.status_code == 200
    assert response.json()["identifier"] == conforming(ITEM_1)
    item_type = api_client.get(f"{ROOT}CFItemTypes/b0000000-0000-0000-0000-000000000000")
    assert item_type.status_code == 200
    assert item_type.json()["CFItemTypes"][0]["title"] == "Standard"


@pytest.mark.django_db
def test_a_round_trip_maps_back_to_the_same_records_in_place_and_into_a_fresh_database(
    api_client, tmp_path
):
    assert framework_import(path=FIXTURE, format="case").ok
    before = _state()
    exported = published_package(api_client, conforming(DOCUMENT))

    # In place: our export handed back, then the publisher's package again.
    for path in (written_package(tmp_path, "ours.json", exported), FIXTURE):
        report = framework_import(path=path, format="case")
        assert report.ok, report.error
        counts = report.as_dict()["counts"]
        assert all(not c["created"] and not c["updated"] for c in counts.values()), counts
        assert _state() == before

    # Another database reading our export, then the publisher's own package: the same records.
    Framework.objects.all().delete()
    assert framework_import(path=written_package(tmp_path, "ours.json", exported), format="case").ok
    assert (
        Ability.objects.filter(external_id=ITEM_1, uri="urn:example:standards:item-1").count() == 1
    )
    report = framework_import(path=FIXTURE, format="case")
    assert report.ok, report.error
    counts = report.as_dict()["counts"]
    assert counts["ability"]["created"] == 0, counts
    assert counts["framework"]["created"] == 0, counts
    assert Ability.objects.count() == 2
    assert AbilityRelation.objects.count() == 1


@pytest.mark.django_db
def test_records_an_earlier_release_stored_under_refused_identifiers_are_found_again(
    api_client, tmp_path
):
    """An earlier release kept OpenSALT's identifiers as they were: positions 0033 gives those
    records the identifiers an import now makes, so the publisher's package re-imported updates
    them in place instead of adding a copy of every record."""
    assert framework_import(path=FIXTURE, format="case").ok
    for model, given in (
        (Framework, DOCUMENT),
        (Ability, ITEM_1),
        (Ability, ITEM_2),
        (AbilityRelation, "a0000000-0000-0000-0000-000000000003"),
    ):
        model.objects.filter(identifier=conforming(given)).update(identifier=uuid.UUID(given))
    migration = importlib.import_module(
        "positions.migrations.0033_case_identifiers_of_rfc4122_variant"
    )

    migration.rekey(apps, None)

    assert set(Ability.objects.values_list("identifier", flat=True)) == {
        uuid.UUID(conforming(ITEM_1)),
        uuid.UUID(conforming(ITEM_2)),
    }
    report = framework_import(path=FIXTURE, format="case")
    assert report.ok, report.error
    counts = report.as_dict()["counts"]
    assert all(not c["created"] and not c["updated"] for c in counts.values()), counts
    assert (Framework.objects.count(), Ability.objects.count()) == (1, 2)
    assert AbilityRelation.objects.count() == 1

    migration.restore(apps, None)

    assert Framework.objects.get().identifier == uuid.UUID(DOCUMENT)
    assert set(Ability.objects.values_list("identifier", flat=True)) == {
        uuid.UUID(ITEM_1),
        uuid.UUID(ITEM_2),
    }


@pytest.mark.django_db
def test_an_items_urn_is_its_uri_shown_by_the_api_and_published_back(api_client, tmp_path):
    """A CFItem's URI that is a URN (no web address) was kept out of sight in `extra`: the API
    and the admin showed the ability without one. It is the ability's URI like any other."""
    assert framework_import(path=FIXTURE, format="case").ok
    ability = Ability.objects.get(external_id=ITEM_1)

    assert ability.uri == "urn:example:standards:item-1"
    assert "uri" not in ability.extra
    answer = api_client.get(f"/api/v1/abilities/{ability.pk}/")
    assert answer.status_code == 200
    assert answer.json()["uri"] == "urn:example:standards:item-1"
    item = api_client.get(f"{ROOT}CFItems/{ability.identifier}").json()
    assert item["extensions"]["sourceURI"] == "urn:example:standards:item-1"


@pytest.mark.django_db
def test_courses_an_earlier_release_stored_under_refused_identifiers_are_rekeyed(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    """An earlier release kept a course catalogue's OpenSALT identifiers as they were, and the
    *Course catalogue* published them so: curricula 0043 gives those courses the identifiers an
    import now makes, as positions 0033 does for abilities, so the catalogue validates and the
    publisher's catalogue re-imported finds them by identifier, adding no copy."""
    from curricula.case import identifiers
    from curricula.models import Course
    from positions.tests.factories import AbilityFactory, level

    ability = AbilityFactory()
    level("R")
    given = ["00000000-0000-0000-0000-0000000000c1", "00000000-0000-0000-0000-0000000000c2"]
    package = {
        "CFDocument": {"identifier": DOCUMENT, "title": "Syllabus"},
        "CFItems": [
            {"identifier": item, "fullStatement": f"Course {n}", "humanCodingScheme": f"OS{n}"}
            for n, item in enumerate(given)
        ],
        "CFAssociations": [
            {
                "identifier": "00000000-0000-0000-0000-0000000000a1",
                "associationType": "isRelatedTo",
                "originNodeURI": {"identifier": given[0], "uri": "x", "title": "OS0"},
                "destinationNodeURI": {
                    "identifier": str(ability.identifier),
                    "uri": "y",
                    "title": "z",
                },
                "extensions": {"level": "R"},
            }
        ],
    }
    path = written_package(tmp_path, "syllabus.json", package)
    assert framework_import(path=path, format="case", options={"as": "courses"}).ok
    # As the earlier release stored them.
    for item in given:
        Course.objects.filter(identifier=conforming(item)).update(identifier=uuid.UUID(item))
    stamps = dict(Course.objects.values_list("code", "updated_at"))
    # The catalogue published the course at a URI of its own identifier that did not find it.
    assert api_client.get(f"{ROOT}CFItems/{given[0]}").status_code == 404
    migration = importlib.import_module(
        "curricula.migrations.0043_course_case_identifiers_of_rfc4122_variant"
    )

    migration.rekey(apps, None)

    assert set(Course.objects.values_list("identifier", flat=True)) == {
        uuid.UUID(conforming(item)) for item in given
    }
    assert all(c.updated_at > stamps[c.code] for c in Course.objects.all())
    item = api_client.get(f"{ROOT}CFItems/{given[0]}")
    assert item.status_code == 200
    assert item.json()["identifier"] == conforming(given[0])
    catalogue = published_package(api_client, identifiers.course_catalogue_identifier())
    assert_valid_package(package_validator, catalogue)
    report = framework_import(path=path, format="case", options={"as": "courses"})
    assert report.ok, report.error
    counts = report.as_dict()["counts"]
    assert counts["course"]["created"] == 0, counts
    assert Course.objects.count() == 2

    migration.restore(apps, None)

    assert set(Course.objects.values_list("identifier", flat=True)) == {
        uuid.UUID(conforming(item)) for item in given
    }
