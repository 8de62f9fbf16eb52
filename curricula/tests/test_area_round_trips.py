"""A framework whose competency areas an import made of its top-level competencies
(`--top-level-areas`) exported as Moodle CSV or as a CASE package and imported back with the
option, into a database without it, has the same areas (name, order, code in the framework)
with the same abilities in each, and its abilities gain no item type."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from positions.importers import framework_import
from positions.models import Ability, CompetencyArea, Framework

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "positions" / "tests" / "fixtures"
AREAS = {"top_level_areas": True}


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _structure(framework: Framework) -> dict:
    """The framework's areas and memberships, area codes without the framework's prefix
    (`F<id>-`), which a new database numbers its own way."""
    prefix = f"F{framework.pk}-"

    def local(code: str | None) -> str | None:
        assert code is None or code.startswith(prefix), code
        return code and code.removeprefix(prefix)

    areas = [
        (local(area.code), area.name, area.order)
        for area in CompetencyArea.objects.filter(framework=framework).order_by("order", "pk")
    ]
    members = {
        ability.text: (local(ability.area and ability.area.code), ability.item_type)
        for ability in Ability.objects.filter(framework=framework).select_related("area")
    }
    return {"areas": areas, "members": members}


def _forget(framework: Framework) -> None:
    """A fresh database, as far as the framework goes: its abilities, areas and itself gone."""
    Ability.objects.filter(framework=framework).update(parent=None)
    Ability.objects.filter(framework=framework).delete()
    CompetencyArea.objects.filter(framework=framework).delete()
    framework.delete()


def _moodle_export(framework: Framework, tmp_path) -> Path:
    path = tmp_path / "export.csv"
    call_command("export_framework", framework.pk, format="moodle", output=str(path))
    return path


def _case_export(api_client, framework: Framework, tmp_path) -> Path:
    response = api_client.get(f"/ims/case/v1p1/CFPackages/{framework.identifier}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    path = tmp_path / "export.json"
    path.write_bytes(body)
    return path


# A CASE framework exported as Moodle CSV is left out: Moodle has no item hanging from nothing
# (a CASE item without isChildOf becomes one more root, so one more area) and its ID numbers are
# the items' identifiers, not their codes (positions.importers.moodle.held_idnumber).
@pytest.mark.parametrize(
    ("source", "format", "export_as"),
    [
        ("moodle/top_level_areas.csv", "moodle", "moodle"),
        ("moodle/top_level_areas.csv", "moodle", "case"),
        ("case/top_level_areas.json", "case", "case"),
    ],
)
def test_top_level_areas_round_trip_into_a_fresh_database(
    api_client, tmp_path, source, format, export_as
):
    assert framework_import(path=FIXTURES / source, format=format, options=AREAS).ok
    framework = Framework.objects.get()
    before = _structure(framework)
    assert before["areas"]
    if export_as == "moodle":
        exported = _moodle_export(framework, tmp_path)
    else:
        exported = _case_export(api_client, framework, tmp_path)
    _forget(framework)

    report = framework_import(path=exported, format=export_as, options=AREAS)

    assert report.ok, report.error
    assert _structure(Framework.objects.get()) == before


def test_a_moodle_export_imported_as_another_framework_has_the_same_areas(tmp_path):
    """Beside the first: a copy under another ID number gets areas of its own, the same."""
    source = FIXTURES / "moodle" / "top_level_areas.csv"
    assert framework_import(path=source, format="moodle", options=AREAS).ok
    framework = Framework.objects.get()
    exported = _moodle_export(framework, tmp_path)
    copy = tmp_path / "copy.csv"
    copy.write_text(
        exported.read_text(encoding="utf-8").replace(",TLA-FW,", ",TLA-COPY,", 1),
        encoding="utf-8",
    )

    report = framework_import(path=copy, format="moodle", options=AREAS)

    assert report.ok, report.error
    first, second = Framework.objects.order_by("pk")
    assert _structure(second) == _structure(first)


def test_without_the_option_the_area_stays_the_item_type_it_was_published_as(api_client, tmp_path):
    """Imported without `top_level_areas`, no area is made again: the item type the provider
    published each ability in is the only trace of its area, so it is kept."""
    source = FIXTURES / "case" / "top_level_areas.json"
    assert framework_import(path=source, format="case", options=AREAS).ok
    exported = _case_export(api_client, Framework.objects.get(), tmp_path)
    _forget(Framework.objects.get())

    report = framework_import(path=exported, format="case")

    assert report.ok, report.error
    assert not CompetencyArea.objects.exists()
    assert Ability.objects.get(text="Run a social media campaign.").item_type == (
        "Digital marketing"
    )
