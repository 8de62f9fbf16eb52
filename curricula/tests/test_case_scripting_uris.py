"""A URI that runs script is never published: a CASE package's `javascript:` (or `vbscript:`,
`data:`) item or document URI, refused by the ability's and the framework's `uri`, was kept in
`extra` and published again as the `sourceURI` of the site's own package, as were the URIs of
its LinkURIs (licenseURI, subjectURI, conceptKeywordsURI) and of its CFDefinitions' licences:
a CASE reader showing them as links (OpenSALT does) ran the script of whoever wrote the
package."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from curricula.tests.case_packages import published_package, written_package
from positions.importers import framework_import
from positions.models import Ability, Framework

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures" / "case" / "package_1_1.json"
HOSTILE = re.compile(r"(?i)j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:|vbscript:|data:text")


def _link(number: int, uri: str) -> dict:
    return {
        "title": "x",
        "identifier": f"11111111-aaaa-4aaa-8aaa-0000000009{number:02d}",
        "uri": uri,
    }


def test_a_package_s_script_uris_are_not_published_again(api_client, tmp_path):
    package = json.loads(FIXTURE.read_text(encoding="utf-8"))
    document, item = package["CFDocument"], package["CFItems"][0]
    document["uri"] = "javascript:alert(1)"
    document["licenseURI"] = _link(1, "JavaScript:alert(2)")
    document["subjectURI"] = [_link(2, " javascript:alert(3)")]
    item["uri"] = "java\tscript:alert(4)"
    item["conceptKeywordsURI"] = _link(3, "vbscript:alert(5)")
    item["licenseURI"] = _link(4, "data:text/html,<script>alert(6)</script>")
    package["CFDefinitions"]["CFLicenses"] = [
        {
            **_link(5, "javascript:alert(7)"),
            "licenseText": "x",
            "lastChangeDateTime": "2024-01-10T10:00:00+00:00",
        }
    ]

    assert framework_import(path=written_package(tmp_path, "p.json", package), format="case").ok

    framework = Framework.objects.get()
    published = json.dumps(published_package(api_client, framework.identifier))
    assert HOSTILE.findall(published) == []
    # Nor kept as the publisher's URI to publish: the columns refuse them.
    assert "uri" not in framework.extra
    assert "uri" not in Ability.objects.get(code=item["humanCodingScheme"]).extra


def test_a_script_uri_kept_before_is_not_published(api_client, tmp_path):
    """What an earlier import kept is read past by the provider too."""
    assert framework_import(path=FIXTURE, format="case").ok
    framework = Framework.objects.get()
    framework.extra = {**framework.extra, "uri": "javascript:alert(1)"}
    framework.uri = ""
    framework.save()
    ability = Ability.objects.get(code="CBE.1.2")
    ability.extra = {
        **ability.extra,
        "uri": "javascript:alert(2)",
        "licenseURI": _link(1, "javascript:alert(3)"),
    }
    ability.uri = ""
    ability.save()

    published = json.dumps(published_package(api_client, framework.identifier))

    assert HOSTILE.findall(published) == []


def test_other_uris_a_package_gives_are_still_published(api_client, tmp_path):
    package = json.loads(FIXTURE.read_text(encoding="utf-8"))
    package["CFDocument"]["licenseURI"] = _link(1, "https://case.example.org/licenses/1")
    package["CFItems"][0]["uri"] = "tag:case.example.org,2024:item-13"

    assert framework_import(path=written_package(tmp_path, "p.json", package), format="case").ok

    published = json.dumps(published_package(api_client, Framework.objects.get().identifier))
    assert "https://case.example.org/licenses/1" in published
    assert "tag:case.example.org,2024:item-13" in published
