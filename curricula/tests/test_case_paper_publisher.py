"""Who the CASE document of the paper's framework names as its creator and publisher. CASE 1.1:
a CFDocument's creator is "the entity responsible for making the resource", its publisher the
entity making it available. The statements are Table II's, in the authors' words, so the
authors stay its creator; the document this site serves also carries what the paper does not
say (each statement's ability area as its CFItemType, its code, its Chinese text), so this site
(CASE_PUBLISHER) is its publisher and the document's notes say what is editorial. Identifiers
are unchanged: a package imported before is still the same document."""

import pytest

from curricula.models import Course, Module
from curricula.paper import data
from curricula.tests.case_packages import published_package, written_package
from positions.importers import framework_import
from positions.models import CompetencyArea, Framework

pytestmark = pytest.mark.django_db

AUTHORS = "Lanlan Luan, Yiqun Li, Jiawen Shen, Xinyi Fu, Wei Shi, Jingyi Liu"
SITE = "Competency-to-curriculum mapping"
UNIVERSITY = "Zhejiang University of Technology"


def _documents(api_client) -> list[dict]:
    package = published_package(api_client, data.FRAMEWORK_IDENTIFIER)["CFDocument"]
    listed = api_client.get(f"/ims/case/v1p1/CFDocuments/{data.FRAMEWORK_IDENTIFIER}").json()
    return [package, listed]


def test_the_papers_framework_names_its_authors_as_creator_and_this_site_as_publisher(
    paper, api_client, settings
):
    """Observed: the paper's framework went out with the whole citation as creator and as
    publisher, as though the authors had published this document, its editorial areas, codes
    and translations included."""
    for publisher, setting in ((SITE, ""), (UNIVERSITY, UNIVERSITY)):
        settings.CASE_PUBLISHER = setting
        for document in _documents(api_client):
            assert document["creator"] == AUTHORS
            assert document["publisher"] == publisher
            assert document["identifier"] == str(data.FRAMEWORK_IDENTIFIER)
            notes = document["notes"]
            assert "Table II" in notes
            assert "editorial" in notes
            assert "ability area" in notes


def test_the_papers_package_handed_back_in_place_is_unchanged_whatever_the_publisher(
    paper, api_client, settings, tmp_path
):
    settings.CASE_PUBLISHER = UNIVERSITY
    before = Framework.objects.values("source", "extra", "external_id", "provenance").get()
    package = published_package(api_client, data.FRAMEWORK_IDENTIFIER)
    settings.CASE_PUBLISHER = ""

    report = framework_import(path=written_package(tmp_path, "p.json", package), format="case")

    assert report.ok, report.error
    assert report.as_dict()["counts"]["framework"]["unchanged"] == 1
    assert report.conflicts == []
    assert Framework.objects.values("source", "extra", "external_id", "provenance").get() == before
    assert _documents(api_client)[0]["publisher"] == SITE


def test_a_database_that_imported_the_old_package_takes_the_new_one_as_the_same_document(
    paper, api_client, tmp_path
):
    """Another site imported the package as it went out before (the citation as creator and
    publisher, no notes); reading the new one, it updates that framework, creates none."""
    new = published_package(api_client, data.FRAMEWORK_IDENTIFIER)
    old = {**new, "CFDocument": {**new["CFDocument"]}}
    old["CFDocument"].update(creator=data.CITATION, publisher=data.CITATION)
    old["CFDocument"].pop("notes", None)
    for model in (Course, Module, Framework, CompetencyArea):
        model.objects.all().delete()
    assert framework_import(path=written_package(tmp_path, "old.json", old), format="case").ok
    first = Framework.objects.get()

    report = framework_import(path=written_package(tmp_path, "new.json", new), format="case")

    assert report.ok, report.error
    assert report.as_dict()["counts"]["framework"]["created"] == 0
    framework = Framework.objects.get()
    assert (framework.pk, framework.identifier) == (first.pk, data.FRAMEWORK_IDENTIFIER)
    assert framework.extra["creator"] == AUTHORS
    assert framework.extra["publisher"] == SITE
