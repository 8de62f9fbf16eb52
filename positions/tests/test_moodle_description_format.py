"""The Moodle export says which format its descriptions are in. Observed: a description written
here ("Price < cost & margin", two lines) was exported with Description format 1, HTML, so Moodle
read "<" as the start of a tag and "&" as an entity, and ran the lines together. Moodle's formats
are 0 MOODLE, 1 HTML, 2 PLAIN, 4 MARKDOWN; tool_lpimportcsv stores the description raw with the
format given, and Moodle shows a PLAIN one escaped, its line breaks kept (format_text). So text
written here is exported as 2, and the same text read back is the same text; a Moodle
framework's own descriptions keep the format they came in."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from positions.importers.moodle import CURRENT_HEADERS
from positions.models import Ability, Framework
from positions.tests.factories import AbilityFactory, FrameworkFactory

# A scale configuration Moodle takes: its one value the default and proficient.
SCALE_CONFIGURATION = '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":1}]'

pytestmark = pytest.mark.django_db

FRAMEWORK_TEXT = "Pricing for <small> shops & sole traders\nSecond line"
ABILITY_TEXT = "Set a price < cost & margin\nwhen <b>stock</b> is low"


def _export(framework: Framework, path: Path) -> Path:
    call_command("export_framework", framework.pk, format="moodle", output=str(path))
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _import(path: Path) -> dict:
    out = io.StringIO()
    call_command("import_framework", str(path), format="moodle", as_json=True, stdout=out)
    return json.loads(out.getvalue())


def _save(path: Path, rows: list[dict[str, str]]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CURRENT_HEADERS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def made_here() -> Framework:
    framework = FrameworkFactory(name="Pricing", description=FRAMEWORK_TEXT)
    AbilityFactory(framework=framework, code="P1", text=ABILITY_TEXT, order=1)
    AbilityFactory(framework=framework, code="P2", text="Plain words", order=2)
    return framework


def test_text_written_here_is_exported_as_moodle_plain_text(made_here, tmp_path):
    rows = _rows(_export(made_here, tmp_path / "pricing.csv"))

    assert [row["Description format"] for row in rows] == ["2", "2", "2"]
    # Written as it is: Moodle escapes a PLAIN description itself.
    assert rows[0]["Description"] == FRAMEWORK_TEXT
    assert rows[1]["Description"] == ABILITY_TEXT


def test_the_export_read_back_keeps_the_text_identical(made_here, tmp_path):
    before = list(Ability.objects.order_by("pk").values())
    framework_before = list(Framework.objects.values())

    report = _import(_export(made_here, tmp_path / "pricing.csv"))

    assert report["ok"], report["error"]
    assert report["counts"]["ability"]["unchanged"] == 2
    assert report["counts"]["framework"]["unchanged"] == 1
    assert list(Ability.objects.order_by("pk").values()) == before
    assert list(Framework.objects.values()) == framework_before
    assert Ability.objects.get(code="P1").text == ABILITY_TEXT


def test_an_export_of_an_earlier_release_handed_back_is_not_news(made_here, tmp_path):
    """Files exported before this fix say 1 where the export now says 2: handed back, the
    framework holds no Moodle columns of its own, and the next export still says 2."""
    path = _export(made_here, tmp_path / "pricing.csv")
    rows = [{**row, "Description format": "1"} for row in _rows(path)]
    before = list(Ability.objects.order_by("pk").values())

    report = _import(_save(tmp_path / "earlier.csv", rows))

    assert report["ok"], report["error"]
    assert report["counts"]["ability"]["unchanged"] == 2
    assert list(Ability.objects.order_by("pk").values()) == before
    again = _rows(_export(made_here, tmp_path / "again.csv"))
    assert [row["Description format"] for row in again] == ["2", "2", "2"]


def test_a_moodle_frameworks_html_descriptions_keep_their_format(db, tmp_path):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CURRENT_HEADERS)
    writer.writerow(
        ["", "FW", "Moodle's", "<p>Ours</p>", "1", "A,B", SCALE_CONFIGURATION, *[""] * 5, "1", ""]
    )
    writer.writerow(["", "C1", "First", "<p>Bold <b>move</b></p>", "1", *[""] * 3, "0", "null"])
    writer.writerow(["", "C2", "Second", "Plain & *marked*", "4", *[""] * 3, "0", "null"])
    source = tmp_path / "moodle.csv"
    source.write_text(out.getvalue(), encoding="utf-8")
    assert _import(source)["ok"]

    rows = _rows(_export(Framework.objects.get(), tmp_path / "back.csv"))

    assert [(r["Description"], r["Description format"]) for r in rows] == [
        ("<p>Ours</p>", "1"),
        ("<p>Bold <b>move</b></p>", "1"),
        ("Plain & *marked*", "4"),
    ]
