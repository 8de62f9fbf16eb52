"""CASE date-times from other servers: xsd:dateTime allows one without an offset, which says
nothing of the server's zone. This site reads such a one as UTC, whatever its own TIME_ZONE,
and one with an offset as the instant it names."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from curricula.tests.test_case_provider import (  # noqa: F401 (fixture)
    assert_valid_package,
    package_validator,
)
from positions.importers import framework_import

ROOT = "/ims/case/v1p1/"
DOCUMENT = "c0ffee00-0000-4000-8000-000000000001"
ITEM = "c0ffee00-0000-4000-8000-000000000002"
ITEM_TYPE = "c0ffee00-0000-4000-8000-0000000000f1"
SUBJECT = "c0ffee00-0000-4000-8000-0000000000f2"
LICENCE = "c0ffee00-0000-4000-8000-0000000000f3"


def _package() -> dict:
    def definition(identifier: str, kind: str, stamp: str, **more) -> dict:
        return {
            "identifier": identifier,
            "uri": f"https://publisher.example.org/{kind}/{identifier}",
            "title": kind,
            "lastChangeDateTime": stamp,
            **more,
        }

    return {
        "CFDocument": {"identifier": DOCUMENT, "title": "Dated", "creator": "Publisher"},
        "CFItems": [
            {
                "identifier": ITEM,
                "fullStatement": "Read a date",
                "CFItemType": "Skill",
                "CFItemTypeURI": {
                    "title": "Skill",
                    "identifier": ITEM_TYPE,
                    "uri": f"https://publisher.example.org/CFItemTypes/{ITEM_TYPE}",
                },
                # A publisher's extension that happens to use the name: not a CASE stamp.
                "extensions": {"lastChangeDateTime": "2019-05-01T10:00:00", "review": "soon"},
            }
        ],
        "CFAssociations": [],
        "CFDefinitions": {
            "CFItemTypes": [
                definition(ITEM_TYPE, "CFItemTypes", "2019-05-01T10:00:00", hierarchyCode="1")
            ],
            "CFSubjects": [
                definition(SUBJECT, "CFSubjects", "2019-05-01T10:00:00.250", hierarchyCode="1")
            ],
            "CFLicenses": [
                definition(LICENCE, "CFLicenses", "2019-05-01T10:00:00-05:00", licenseText="x")
            ],
            "CFConcepts": [],
            "CFAssociationGroupings": [],
        },
    }


@pytest.mark.django_db
def test_a_date_time_without_offset_is_read_as_utc_whatever_the_servers_zone(
    api_client,
    settings,
    tmp_path,
    package_validator,  # noqa: F811
):
    """A publisher's "2019-05-01T10:00:00" is 10:00 UTC here: it was read in the server's
    own zone (TIME_ZONE, which Django makes the process's), so the same package published
    2019-05-01T02:00:00+00:00 from a server in Shanghai and 14:00 from one in New York. A
    date-time with an offset keeps the instant it names."""
    settings.TIME_ZONE = "Asia/Shanghai"
    path = tmp_path / "dated.json"
    path.write_text(json.dumps(_package()), encoding="utf-8")
    assert framework_import(path=path, format="case").ok

    response = api_client.get(f"{ROOT}CFPackages/{DOCUMENT}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    exported = json.loads(body)

    assert_valid_package(package_validator, exported)
    definitions = exported["CFDefinitions"]
    assert [
        definitions[kind][0]["lastChangeDateTime"]
        for kind in ("CFItemTypes", "CFSubjects", "CFLicenses")
    ] == ["2019-05-01T10:00:00+00:00", "2019-05-01T10:00:00+00:00", "2019-05-01T15:00:00+00:00"]


@pytest.mark.django_db
def test_an_extension_naming_a_last_change_is_not_read_as_the_items(api_client, settings, tmp_path):
    """The item's Last-Modified comes from its own lastChangeDateTime: a key of the same name
    inside its extensions (here without offset, beside the item's own with one) made the
    comparison of the two fail, a 500."""
    settings.TIME_ZONE = "America/New_York"
    path = tmp_path / "dated.json"
    path.write_text(json.dumps(_package()), encoding="utf-8")
    assert framework_import(path=path, format="case").ok

    # A second on, the item's Last-Modified is given (not while its change's second runs).
    now = timezone.now
    with mock.patch.object(timezone, "now", side_effect=lambda: now() + timedelta(seconds=2)):
        response = api_client.get(f"{ROOT}CFItems/{ITEM}")

    assert response.status_code == 200
    item = response.json()
    assert item["extensions"]["lastChangeDateTime"] == "2019-05-01T10:00:00"
    assert response["Last-Modified"]
