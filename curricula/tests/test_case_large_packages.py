"""Bounded CASE responses (hardening report, point 11: an anonymous GET of a 100,000-item
package built 90 MB in memory in 12 s, every time). A package above
CASE_PACKAGE_CACHE_THRESHOLD is streamed from the database a page at a time into a file once,
then served from that file; no request holds the package in memory, and no second request
rebuilds it."""

import gzip
import json
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from curricula.case import builders, selectors
from positions.models import Ability, AbilityRelation
from positions.tests.factories import FrameworkFactory

ROOT = "/ims/case/v1p1/"


def _framework(n: int):
    framework = FrameworkFactory(name="Large")
    Ability.objects.bulk_create(
        Ability(
            framework=framework,
            code=f"L{i:05}",
            text=f"Ability number {i} of a large framework, with a statement of some length.",
            order=i,
        )
        for i in range(n)
    )
    first = Ability.objects.filter(framework=framework).order_by("order").first()
    AbilityRelation.objects.bulk_create(
        AbilityRelation(
            framework=framework,
            source=first,
            target_uri=f"https://other.example.org/CFItems/{i}",
            target_label=f"Elsewhere {i}",
            relation_type="isRelatedTo",
        )
        for i in range(n // 10)
    )
    return framework


def _body(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body


@pytest.fixture
def large(db, settings, tmp_path):
    settings.CASE_PACKAGE_CACHE_THRESHOLD = 100
    settings.CASE_PACKAGE_CACHE_DIR = str(tmp_path / "case-packages")
    return _framework(300)


def test_a_large_package_is_written_once_and_then_served_without_rebuilding(
    api_client, large, settings, monkeypatch
):
    path = f"{ROOT}CFPackages/{large.identifier}"
    first = api_client.get(path)
    assert first.status_code == 200
    assert first.streaming
    package = json.loads(_body(first))
    assert len(package["CFItems"]) == 300
    assert len(package["CFAssociations"]) == 330

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the cached package was built again")

    monkeypatch.setattr(builders, "ability_item", no_rebuild)
    with CaptureQueriesContext(connection) as queries:
        again = api_client.get(path, HTTP_ACCEPT_ENCODING="gzip")
    assert again["Content-Encoding"] == "gzip"
    assert json.loads(_body(again)) == package
    assert len(queries) <= 3  # the version only
    assert again["ETag"] == first["ETag"]
    assert api_client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    # The same package built in memory, below the threshold, is the same JSON.
    monkeypatch.undo()
    settings.CASE_PACKAGE_CACHE_THRESHOLD = 10**9
    assert json.loads(_body(api_client.get(path))) == package


def test_a_change_to_the_framework_gives_a_new_version(api_client, large):
    path = f"{ROOT}CFPackages/{large.identifier}"
    before = api_client.get(path)
    _body(before)
    ability = Ability.objects.filter(framework=large).order_by("order").last()
    ability.text = "A changed statement"
    ability.save()

    after = api_client.get(path)

    assert after["ETag"] != before["ETag"]
    statements = {item["fullStatement"] for item in json.loads(_body(after))["CFItems"]}
    assert "A changed statement" in statements


def test_building_a_large_package_holds_a_page_of_rows_not_the_package(
    api_client, db, settings, tmp_path, monkeypatch
):
    """Memory while building stays well below the package's size: rows are read a page at a
    time and each object is written out as soon as it is made."""
    settings.CASE_PACKAGE_CACHE_THRESHOLD = 100
    settings.CASE_PACKAGE_CACHE_DIR = str(tmp_path / "case-packages")
    monkeypatch.setattr(selectors, "CHUNK_SIZE", 100)
    framework = _framework(2000)
    path = f"{ROOT}CFPackages/{framework.identifier}"
    # Modules a first request imports are not the package's memory.
    api_client.get(f"{ROOT}CFDocuments")

    tracemalloc.start()
    try:
        response = api_client.get(path)
        size = sum(len(chunk) for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    raw = len(_body(api_client.get(path)))
    assert raw > 1_300_000
    assert size > 0
    # Built whole, the package would take several times its JSON size; streamed, a fraction.
    assert peak < raw / 2, (peak, raw)
