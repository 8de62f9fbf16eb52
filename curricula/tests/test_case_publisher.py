"""Who a CASE document names as its creator and publisher: the publisher of a framework this site
imported from one (ESCO, O*NET, a CASE package's own creator), and this site for a framework it
holds as its own, whatever format it was brought in: a school's framework written in Moodle is
the school's, not Moodle's."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from curricula.case import identifiers
from curricula.tests.case_packages import published_package, written_package
from curricula.tests.factories import CourseFactory
from positions.importers import framework_import
from positions.models import Framework

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures"
SITE = "Competency-to-curriculum mapping"


def test_a_framework_imported_from_a_moodle_csv_is_published_by_this_site(api_client):
    """Observed (a nursing school): its own framework, imported from a Moodle CSV, was published
    through CASE with "Moodle" as its creator and publisher, as though Moodle had written it.
    The site publishes it, as it does its own; where it came from stays recorded, on the
    framework and in the document's extensions."""
    assert framework_import(path=FIXTURES / "moodle" / "current.csv", format="moodle").ok
    framework = Framework.objects.get()
    document = published_package(api_client, framework.identifier)["CFDocument"]
    assert (document["creator"], document["publisher"]) == (SITE, SITE)
    assert document["extensions"]["source"] == "Moodle"
    framework.refresh_from_db()
    assert framework.source == "Moodle"


def test_a_publisher_s_framework_keeps_its_publisher(api_client):
    assert framework_import(path=FIXTURES / "esco_v12", format="esco").ok
    framework = Framework.objects.get()
    document = published_package(api_client, framework.identifier)["CFDocument"]
    assert (document["creator"], document["publisher"]) == ("ESCO", "ESCO")
    assert "source" not in document.get("extensions", {})


def test_the_moodle_framework_handed_back_as_case_is_unchanged(api_client, tmp_path):
    assert framework_import(path=FIXTURES / "moodle" / "current.csv", format="moodle").ok
    framework = Framework.objects.get()
    before = Framework.objects.values("source", "extra", "external_id").get()
    package = published_package(api_client, framework.identifier)
    report = framework_import(path=written_package(tmp_path, "m.json", package), format="case")
    assert report.ok, report.error
    assert report.as_dict()["counts"]["framework"]["unchanged"] == 1
    assert Framework.objects.values("source", "extra", "external_id").get() == before
    assert json.dumps(package)  # plain JSON


UNIVERSITY = "Zhejiang University of Technology"


def test_a_site_names_its_own_organisation_as_the_publisher(api_client, settings):
    """Observed (a university deploying the product): its own frameworks and course catalogue
    went out through CASE published by "Competency-to-curriculum mapping", the product, with no
    setting to name the university. CASE_PUBLISHER names it; a publisher's framework keeps its
    publisher."""
    settings.CASE_PUBLISHER = UNIVERSITY
    assert framework_import(path=FIXTURES / "moodle" / "current.csv", format="moodle").ok
    assert framework_import(path=FIXTURES / "esco_v12", format="esco").ok
    CourseFactory(code="DB101")
    own = Framework.objects.get(source="Moodle").identifier
    esco = Framework.objects.get(source="ESCO").identifier
    catalogue = identifiers.course_catalogue_identifier()

    for identifier, publisher in ((own, UNIVERSITY), (catalogue, UNIVERSITY), (esco, "ESCO")):
        document = published_package(api_client, identifier)["CFDocument"]
        assert (document["creator"], document["publisher"]) == (publisher, publisher)


def test_naming_the_organisation_changes_the_package_version(api_client, settings):
    """A package's ETag changes with the publisher it names, so a client (or the disk cache of
    large packages) holding the old one takes the new one."""
    assert framework_import(path=FIXTURES / "moodle" / "current.csv", format="moodle").ok
    path = f"/ims/case/v1p1/CFPackages/{Framework.objects.get().identifier}"
    before = api_client.get(path)["ETag"]
    settings.CASE_PUBLISHER = UNIVERSITY
    after = api_client.get(path, HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def test_the_framework_handed_back_under_the_organisation_is_unchanged(
    api_client, settings, tmp_path
):
    settings.CASE_PUBLISHER = UNIVERSITY
    assert framework_import(path=FIXTURES / "moodle" / "current.csv", format="moodle").ok
    before = Framework.objects.values("source", "extra", "external_id").get()
    package = published_package(api_client, Framework.objects.get().identifier)

    report = framework_import(path=written_package(tmp_path, "m.json", package), format="case")

    assert report.ok, report.error
    assert report.as_dict()["counts"]["framework"]["unchanged"] == 1
    assert Framework.objects.values("source", "extra", "external_id").get() == before


@pytest.mark.parametrize("renamed", ["", "Zhejiang University of Technology (Pingfeng)"])
def test_an_export_handed_back_after_the_organisation_is_renamed_is_unchanged(
    api_client, settings, tmp_path, renamed
):
    """Observed (attacker's pass): a framework exported under one CASE_PUBLISHER and handed back
    after the setting changed (renamed, or cleared) was 'updated', keeping the old name as its
    own publisher, which then went out in every package whatever the setting said. The
    document's source extension says the provider named this site; the name it gave is not
    news."""
    settings.CASE_PUBLISHER = UNIVERSITY
    assert framework_import(path=FIXTURES / "moodle" / "current.csv", format="moodle").ok
    before = Framework.objects.values("source", "extra", "external_id").get()
    package = published_package(api_client, Framework.objects.get().identifier)
    settings.CASE_PUBLISHER = renamed

    report = framework_import(path=written_package(tmp_path, "m.json", package), format="case")

    assert report.ok, report.error
    assert report.as_dict()["counts"]["framework"]["unchanged"] == 1
    assert Framework.objects.values("source", "extra", "external_id").get() == before
    document = published_package(api_client, Framework.objects.get().identifier)["CFDocument"]
    assert document["publisher"] == document["creator"] == (renamed or SITE)


def test_a_case_package_naming_no_publisher_is_not_published_by_case(api_client, tmp_path):
    """Observed (OpenSALT's test frameworks, the Common Core sample): a package naming its
    creator but no publisher was published with "publisher": "CASE", the name of the format it
    came in, as though 1EdTech had published it. The package's creator stays; a publisher it
    never named is not made up; handed back, the framework is unchanged."""
    package = FIXTURES / "case" / "package_1_1.json"
    assert "publisher" not in json.loads(package.read_text(encoding="utf-8"))["CFDocument"]
    assert framework_import(path=package, format="case").ok
    framework = Framework.objects.get()

    exported = published_package(api_client, framework.identifier)
    document = exported["CFDocument"]
    listed = api_client.get(f"/ims/case/v1p1/CFDocuments/{framework.identifier}").json()

    assert document["creator"] == listed["creator"] == "Test Board"
    assert "publisher" not in document
    assert "publisher" not in listed
    report = framework_import(path=written_package(tmp_path, "p.json", exported), format="case")
    assert report.as_dict()["counts"]["framework"]["unchanged"] == 1
