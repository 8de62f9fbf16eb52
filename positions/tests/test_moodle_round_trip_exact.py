"""A framework made in Moodle, read here and exported back, is the file Moodle wrote, cell by
cell: what an integrator moving a framework Moodle → here → Moodle compares.

The fixture is in the shape of Moodle's own export (tool_lpimportcsv's framework_exporter, and
the real Pharmacy sample it was modelled on): children before their parents, descriptions in
HTML, Markdown, Moodle and plain formats (with line breaks, quotes, commas and entities), a
framework scale and a competency's own scale, an "all" rule and a "points" rule naming
competencies by their Exported IDs, cross references (one ID number holding a comma, written
%2C), a competency without description, a Chinese short name and one holding "<" before a
space (which Moodle keeps). Only what Moodle itself renumbers on every export may differ: the
Exported IDs (each site's database ids), and with them the ids a points rule names."""

import codecs
import csv
import io
import json
from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.importers.moodle import framework_moodle_csv
from positions.models import Framework

FIXTURE = Path(__file__).parent / "fixtures" / "moodle" / "moodle_export.csv"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def _comparable(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows with the Exported IDs left out and a points rule's ids given as the ID numbers
    of the rows they name (what Moodle's importer maps them to)."""
    idnumber_of = {r["Exported ID (optional)"]: r["ID number"] for r in rows}
    kept = []
    for row in rows:
        row = dict(row)
        del row["Exported ID (optional)"]
        config = row["Rule config (optional)"]
        if config.startswith("{"):
            parsed = json.loads(config)
            for competency in parsed.get("competencies", []):
                competency["id"] = idnumber_of[str(competency["id"])]
            row["Rule config (optional)"] = parsed
        kept.append(row)
    return kept


@pytest.mark.django_db
@pytest.mark.parametrize("mark", [b"", codecs.BOM_UTF8], ids=["plain", "byte-order-mark"])
def test_a_moodle_export_read_and_exported_back_is_the_same_file_cell_by_cell(tmp_path, mark):
    source = FIXTURE.read_bytes()
    path = tmp_path / "moodle.csv"
    path.write_bytes(mark + source)

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.error
    exported = framework_moodle_csv(framework=Framework.objects.get())
    original = _rows(source.decode("utf-8"))
    assert list(_rows(exported)[0]) == list(original[0])
    assert _comparable(_rows(exported)) == _comparable(original)


@pytest.mark.django_db
def test_the_export_of_a_moodle_export_imported_back_changes_nothing(tmp_path):
    assert framework_import(path=FIXTURE, format="moodle").ok
    exported = tmp_path / "again.csv"
    exported.write_text(framework_moodle_csv(framework=Framework.objects.get()), encoding="utf-8")

    again = framework_import(path=exported, format="moodle")

    assert again.ok, again.error
    counts = again.as_dict()["counts"]
    assert counts["framework"] == {"created": 0, "updated": 0, "unchanged": 1, "conflict": 0}
    assert counts["ability"] == {"created": 0, "updated": 0, "unchanged": 6, "conflict": 0}
    assert counts["relation"]["unchanged"] == 2
    assert framework_moodle_csv(framework=Framework.objects.get()) == exported.read_text()
