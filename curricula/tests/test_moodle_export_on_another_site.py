"""Two sites share a framework: the second read the first's CASE package. The first's Moodle
export of it, imported on the second (an LMS syncing against both), updates the second's
framework in place. Observed: the first writes a coded ability's code as its ID number, the
second knew the ability by its CASE identifier, so every row was a new ability (without its
code, which the old one held) and every ability the site had was retired."""

import pytest

from positions.importers import framework_import
from positions.importers.moodle import framework_moodle_csv
from positions.models import Ability, Framework
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db


def _forget(framework: Framework) -> None:
    Ability.objects.filter(framework=framework).update(parent=None)
    Ability.objects.filter(framework=framework).delete()
    framework.delete()


def test_a_moodle_export_read_on_a_site_that_has_the_framework_from_case_updates_it_in_place(
    api_client, tmp_path
):
    framework = FrameworkFactory(name="Hand-made", description="Made here")
    parent = AbilityFactory(framework=framework, code="H1", text="Plan a campaign", order=1)
    AbilityFactory(framework=framework, code="H1.1", text="Budget it", parent=parent, order=2)
    AbilityFactory(framework=framework, code="H2", text="Report on it", order=3)
    moodle = tmp_path / "framework.csv"
    moodle.write_text(framework_moodle_csv(framework=framework), encoding="utf-8")
    response = api_client.get(f"/ims/case/v1p1/CFPackages/{framework.identifier}")
    assert response.status_code == 200
    package = tmp_path / "package.json"
    package.write_bytes(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    _forget(framework)
    assert framework_import(path=package, format="case").ok
    shared = Framework.objects.get()
    before = set(shared.abilities.values_list("pk", "code", "text", "parent__code"))

    report = framework_import(path=moodle, format="moodle")

    assert report.ok, report.error
    assert report.as_dict()["details"].get("own_export") is True
    assert report.as_dict()["counts"]["ability"]["created"] == 0
    assert report.as_dict()["changes"]["retired"] == 0
    assert set(shared.abilities.values_list("pk", "code", "text", "parent__code")) == before
    assert not shared.abilities.filter(retired=True).exists()
