"""Early OpenSALT exports (the Common Core math sample) link a document's subjects as
`subjectURL`, CASE 1.1's `subjectURI`: the links are published again under 1.1's name, as the
pre-1.0 `educationalLevel` is, rather than lost on the way out."""

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

PACKAGE = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures" / "case" / "package_1_1.json"
MATH = {
    "title": "Math",
    "identifier": "eb8ae273-6667-52ec-a73f-3d8a631bde9f",
    "uri": "https://salt-dev.example.org/uri/eb8ae273-6667-52ec-a73f-3d8a631bde9f",
}


@pytest.mark.django_db
def test_pre_1_0_subject_links_are_published_as_subject_uri(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    source = json.loads(PACKAGE.read_text(encoding="utf-8"))
    source["CFDocument"]["subject"] = "Math"
    source["CFDocument"]["subjectURL"] = [MATH]
    source["CFItems"][0]["subjectURL"] = [MATH]
    source["CFDefinitions"]["CFSubjects"] = [{**MATH, "hierarchyCode": "1"}]
    identifier = source["CFDocument"]["identifier"]
    assert framework_import(path=written_package(tmp_path, "p.json", source), format="case").ok

    exported = published_package(api_client, identifier)

    assert_valid_package(package_validator, exported)
    assert exported["CFDocument"]["subject"] == ["Math"]
    assert exported["CFDocument"]["subjectURI"] == [MATH]
    first = source["CFItems"][0]["identifier"]
    item = next(i for i in exported["CFItems"] if i["identifier"] == first)
    assert item["subjectURI"] == [MATH]
    assert "subjectURL" not in exported["CFDocument"]
    assert "subjectURL" not in item

    in_place = framework_import(
        path=written_package(tmp_path, "exported.json", exported), format="case"
    )
    counts = in_place.as_dict()["counts"]
    assert counts["framework"]["unchanged"] == 1
    assert counts["ability"]["updated"] == 0
