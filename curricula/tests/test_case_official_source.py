"""A publisher's `officialSourceURL` (where the framework is officially published, such as
Smarter Balanced's specification document) is published again as the publisher gave it, and
survives this site's own export read into another database or handed back in place."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from curricula.tests.case_packages import published_package, written_package
from curricula.tests.test_case_provider import (  # noqa: F401 (fixture)
    assert_valid_package,
    package_validator,
)
from positions.importers import framework_import
from positions.models import Framework

PACKAGE = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures" / "case" / "package_1_1.json"
OFFICIAL = "https://case.example.org/content/Documents/Specs/Spec_G03_C1_T1.docx"


def _source(official: str | None = OFFICIAL) -> dict:
    source = json.loads(PACKAGE.read_text(encoding="utf-8"))
    if official is not None:
        source["CFDocument"]["officialSourceURL"] = official
    return source


@pytest.mark.django_db
def test_the_publisher_s_official_source_url_is_published_as_it_gave_it(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    source = _source()
    document = source["CFDocument"]
    assert framework_import(path=written_package(tmp_path, "p.json", source), format="case").ok

    exported = published_package(api_client, document["identifier"])

    assert_valid_package(package_validator, exported)
    assert exported["CFDocument"]["officialSourceURL"] == OFFICIAL
    # The publisher's own URI for the document stays discoverable, as an item's does.
    assert exported["CFDocument"]["extensions"]["sourceURI"] == document["uri"]
    listed = api_client.get(f"/ims/case/v1p1/CFDocuments/{document['identifier']}").json()
    assert listed["officialSourceURL"] == OFFICIAL


@pytest.mark.django_db
def test_the_official_source_url_survives_our_export_in_place_and_in_another_database(
    api_client, tmp_path
):
    source = _source()
    identifier = source["CFDocument"]["identifier"]
    assert framework_import(path=written_package(tmp_path, "p.json", source), format="case").ok
    exported = published_package(api_client, identifier)
    path = written_package(tmp_path, "exported.json", exported)

    in_place = framework_import(path=path, format="case")
    assert in_place.ok, in_place.error
    assert in_place.as_dict()["counts"]["framework"]["unchanged"] == 1

    Framework.objects.all().delete()
    fresh = framework_import(path=path, format="case")
    assert fresh.ok, fresh.error
    framework = Framework.objects.get(identifier=identifier)
    # The publisher's URI is the framework's own again, not the provider's or the document's.
    assert framework.uri == source["CFDocument"]["uri"]
    again = published_package(api_client, identifier)
    assert again["CFDocument"]["officialSourceURL"] == OFFICIAL
    assert again["CFDocument"]["extensions"]["sourceURI"] == source["CFDocument"]["uri"]
    # The publisher's package read after the export updates the same framework.
    publisher = framework_import(
        path=written_package(tmp_path, "publisher.json", source), format="case"
    )
    assert publisher.ok, publisher.error
    assert Framework.objects.count() == 1
    assert published_package(api_client, identifier)["CFDocument"]["officialSourceURL"] == OFFICIAL


@pytest.mark.django_db
def test_without_an_official_source_url_the_document_names_the_publisher_s_uri(
    api_client, tmp_path
):
    source = _source(official=None)
    document = source["CFDocument"]
    assert framework_import(path=written_package(tmp_path, "p.json", source), format="case").ok

    exported = published_package(api_client, document["identifier"])

    assert exported["CFDocument"]["officialSourceURL"] == document["uri"]
    assert "sourceURI" not in exported["CFDocument"]["extensions"]


@pytest.mark.django_db
def test_a_document_uri_no_web_address_is_kept_discoverable(api_client, tmp_path):
    """OpenSALT's test frameworks name their document `https://server/…` (no domain), which is
    not kept as the framework's URI: the CFDocument names it in `extensions.sourceURI`, as a
    CFItem names its own, and another database reading the export keeps it so."""
    source = _source(official=None)
    document = source["CFDocument"]
    document["uri"] = f"https://server/ims/case/v1p0/CFDocuments/{document['identifier']}"
    assert framework_import(path=written_package(tmp_path, "p.json", source), format="case").ok

    exported = published_package(api_client, document["identifier"])

    assert exported["CFDocument"]["extensions"]["sourceURI"] == document["uri"]
    assert "officialSourceURL" not in exported["CFDocument"]
    path = written_package(tmp_path, "exported.json", exported)
    in_place = framework_import(path=path, format="case")
    assert in_place.as_dict()["counts"]["framework"]["unchanged"] == 1
    Framework.objects.all().delete()
    assert framework_import(path=path, format="case").ok
    again = published_package(api_client, document["identifier"])
    assert again["CFDocument"]["extensions"]["sourceURI"] == document["uri"]
