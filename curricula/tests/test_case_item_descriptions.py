"""What the suggestions read of an ability beyond its statement (its description and its
alternative labels) is published in its CFItem as CASE carries them (`notes`,
`conceptKeywords`), whatever format the framework came in, so a framework exported as a CASE
package and imported into another database keeps them; and an edit made here is what is
published, not the copy an import kept."""

import json

import pytest

from curricula.tests.test_case_provider import (  # noqa: F401 (fixture)
    assert_valid_package,
    package_validator,
)
from positions.importers import framework_import
from positions.models import Ability, Framework
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db


def _package(api_client, framework: Framework) -> dict:
    response = api_client.get(f"/ims/case/v1p1/CFPackages/{framework.identifier}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(body)


def _forget(framework: Framework) -> None:
    Ability.objects.filter(framework=framework).delete()
    framework.delete()


def test_an_esco_shaped_ability_keeps_its_description_and_labels_through_case(
    api_client,
    tmp_path,
    package_validator,  # noqa: F811
):
    framework = FrameworkFactory(name="Skills", language="en")
    AbilityFactory(
        framework=framework,
        area=None,
        code="",
        text="Collect and submit terms to build up terminology databases.",
        short_name="develop terminology databases",
        description="Terms are checked for legitimacy before they are submitted.",
        alt_labels="populate terminology databases\nwrite terminology databases",
    )
    package = _package(api_client, framework)
    assert_valid_package(package_validator, package)
    (item,) = package["CFItems"]
    assert item["notes"] == "Terms are checked for legitimacy before they are submitted."
    assert item["conceptKeywords"] == [
        "populate terminology databases",
        "write terminology databases",
    ]
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    _forget(framework)

    assert framework_import(path=path, format="case").ok

    ability = Ability.objects.get()
    assert ability.description == "Terms are checked for legitimacy before they are submitted."
    # The short name comes back as the abbreviated statement, first of the labels.
    assert ability.alt_labels.splitlines() == [
        "develop terminology databases",
        "populate terminology databases",
        "write terminology databases",
    ]


def test_a_label_that_is_the_short_name_is_not_published_twice(api_client):
    framework = FrameworkFactory(name="Skills", language="en")
    AbilityFactory(
        framework=framework,
        area=None,
        text="Use Haskell.",
        short_name="Haskell",
        alt_labels="Haskell\nHaskell 98",
    )
    (item,) = _package(api_client, framework)["CFItems"]
    assert item["abbreviatedStatement"] == "Haskell"
    assert item["conceptKeywords"] == ["Haskell 98"]


def test_an_edit_made_here_is_published_rather_than_the_imported_copy(api_client, tmp_path):
    document = "d4444444-4444-4444-8444-444444444444"
    item_id = "e4444444-4444-4444-8444-444444444441"
    path = tmp_path / "package.json"
    path.write_text(
        json.dumps(
            {
                "CFDocument": {
                    "identifier": document,
                    "uri": f"https://case.example.org/CFDocuments/{document}",
                    "creator": "Example",
                    "title": "Edited here",
                    "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
                },
                "CFItems": [
                    {
                        "identifier": item_id,
                        "uri": f"https://case.example.org/CFItems/{item_id}",
                        "fullStatement": "Write a report.",
                        "notes": "As the publisher wrote it.",
                        "conceptKeywords": ["reporting"],
                        "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
                    }
                ],
                "CFAssociations": [],
            }
        ),
        encoding="utf-8",
    )
    assert framework_import(path=path, format="case").ok
    (item,) = _package(api_client, Framework.objects.get())["CFItems"]
    # Unedited, the publisher's values are published as they came.
    assert (item["notes"], item["conceptKeywords"]) == ("As the publisher wrote it.", ["reporting"])
    ability = Ability.objects.get()
    ability.description = "Reworded here."
    ability.alt_labels = "reporting\nminutes"
    ability.save()

    (item,) = _package(api_client, Framework.objects.get())["CFItems"]

    assert item["notes"] == "Reworded here."
    assert item["conceptKeywords"] == ["reporting", "minutes"]
