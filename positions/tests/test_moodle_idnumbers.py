"""Moodle holds an ID number in 100 characters (competency.idnumber, competency_framework.idnumber,
unique per framework). The export writes every ID number within that, each still its own and the
same on every export; this site's Moodle import of its own export finds the same abilities."""

import csv
import io
import json
import unicodedata

import pytest

from positions.importers import framework_import
from positions.importers.moodle import CURRENT_HEADERS, framework_moodle_csv
from positions.models import Ability, AbilityRelation, Framework
from positions.tests.factories import AbilityFactory, FrameworkFactory

# A scale configuration Moodle takes: its one value the default and proficient.
SCALE_CONFIGURATION = '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":1}]'

# Two URIs as another tool writes them into ID numbers: the same first 100 characters.
BASE = (
    "https://standards.example.org/frameworks/digital-competence/2024/areas/information-literacy/"
)
assert len(BASE) < 100
FIRST = BASE + "competences/browsing-searching-and-filtering-data/level-1"
SECOND = BASE + "competences/browsing-searching-and-filtering-data/level-2"
assert FIRST[:100] == SECOND[:100]
assert FIRST != SECOND
FRAMEWORK = BASE + "framework-of-the-digital-competences-of-citizens-version-2-2-in-english"
assert len(FRAMEWORK) > 100


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _file(tmp_path) -> str:
    """A framework file with long ID numbers (as a tool other than Moodle writes them): the
    second long competency is a child of the first and cross-references a short one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CURRENT_HEADERS)
    writer.writerow(
        ["", FRAMEWORK, "DigComp", "", "1", "A,B", SCALE_CONFIGURATION, "", "", "", "", "", "1", ""]
    )
    writer.writerow(["", FIRST, "Level 1", "Browse", "1", "", "", "", "0", "null", "", "", "", ""])
    writer.writerow(
        [FIRST, SECOND, "Level 2", "Filter", "1", "", "", "", "0", "null", "S1", "", "", ""]
    )
    writer.writerow(["", "S1", "Short", "Search", "1", "", "", "", "0", "null", "", "", "", ""])
    path = tmp_path / "digcomp.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _assert_moodle_can_hold(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Every ID number within 100 characters and unique, every reference to one in the file."""
    idnumbers = [row["ID number"] for row in rows]
    assert all(0 < len(idnumber) <= 100 for idnumber in idnumbers), idnumbers
    assert len(set(idnumbers)) == len(idnumbers)
    by_idnumber = {row["ID number"]: row for row in rows[1:]}
    for row in rows[1:]:
        assert row["Parent ID number"] in {"", *by_idnumber}
        related = row["Cross-referenced competency ID numbers"]
        assert all(r in by_idnumber for r in related.split(",") if r)
    return by_idnumber


@pytest.mark.django_db
def test_long_id_numbers_are_exported_within_100_characters_and_imported_back_in_place(
    tmp_path,
):
    """Observed: the export wrote the ID numbers as they were held, URIs past 100 characters,
    which Moodle cuts or refuses: cut, the two competencies sharing their first 100 characters
    became one ID number. The ID numbers past the limit are shortened (their start and a digest
    of the whole), the short one kept as it is, the same on every export; imported back here,
    the file updates the framework and abilities it came from, changing nothing."""
    assert framework_import(path=_file(tmp_path), format="moodle").ok
    framework = Framework.objects.get()
    first = Ability.objects.get(external_id=FIRST)

    text = framework_moodle_csv(framework=framework)

    rows = _rows(text)
    by_idnumber = _assert_moodle_can_hold(rows)
    assert "S1" in by_idnumber
    by_name = {row["Short name"]: row for row in rows}
    assert by_name["Level 2"]["Parent ID number"] == by_name["Level 1"]["ID number"]
    assert by_name["Level 2"]["Cross-referenced competency ID numbers"] == "S1"
    # Still readable: the start of what it shortens.
    assert by_name["Level 1"]["ID number"].startswith(BASE[:80])
    assert framework_moodle_csv(framework=framework) == text

    exported = tmp_path / "exported.csv"
    exported.write_text(text, encoding="utf-8")
    again = framework_import(path=exported, format="moodle")

    assert again.ok, again.error
    counts = again.as_dict()["counts"]
    assert counts["framework"]["unchanged"] == 1
    assert counts["ability"] == {"created": 0, "updated": 0, "unchanged": 3, "conflict": 0}
    assert counts["relation"]["unchanged"] == 1
    assert Framework.objects.get() == framework
    assert Ability.objects.get(external_id=FIRST) == first
    assert not Ability.objects.filter(retired=True).exists()
    assert AbilityRelation.objects.count() == 1


@pytest.mark.django_db
def test_a_case_framework_with_long_identifiers_exports_a_file_moodle_can_hold(tmp_path):
    """A CASE package of an older dialect names its items by URL (kept as their external ID):
    two sharing their first 100 characters get two ID numbers, and the tree and the cross
    reference between them still hold in the file. Imported back here, the file is the same
    framework and the same abilities (it made a second, Moodle, framework)."""
    package = {
        "CFDocument": {"identifier": FRAMEWORK, "title": "DigComp"},
        "CFItems": [
            {"identifier": FIRST, "fullStatement": "Browse"},
            {"identifier": SECOND, "fullStatement": "Filter"},
        ],
        "CFAssociations": [
            {
                "identifier": FIRST + "/child-of",
                "associationType": "isChildOf",
                "originNodeURI": {"identifier": SECOND, "uri": SECOND, "title": "x"},
                "destinationNodeURI": {"identifier": FIRST, "uri": FIRST, "title": "x"},
            },
            {
                "identifier": FIRST + "/related",
                "associationType": "isRelatedTo",
                "originNodeURI": {"identifier": FIRST, "uri": FIRST, "title": "x"},
                "destinationNodeURI": {"identifier": SECOND, "uri": SECOND, "title": "x"},
            },
        ],
    }
    path = tmp_path / "digcomp.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    assert framework_import(path=path, format="case").ok
    framework = Framework.objects.get()
    abilities = set(Ability.objects.values_list("pk", "external_id", "parent_id", "text"))

    text = framework_moodle_csv(framework=framework)

    rows = _rows(text)
    _assert_moodle_can_hold(rows)
    by_text = {row["Description"]: row for row in rows[1:]}
    assert by_text["Filter"]["Parent ID number"] == by_text["Browse"]["ID number"]
    exported = tmp_path / "exported.csv"
    exported.write_text(text, encoding="utf-8")
    report = framework_import(path=exported, format="moodle")
    assert report.ok, report.error
    counts = report.as_dict()["counts"]
    assert counts["framework"]["unchanged"] == 1
    assert counts["ability"] == {"created": 0, "updated": 0, "unchanged": 2, "conflict": 0}
    assert counts["relation"]["unchanged"] == 1
    assert Framework.objects.get() == framework
    assert set(Ability.objects.values_list("pk", "external_id", "parent_id", "text")) == abilities
    assert Ability.objects.get(text="Filter").parent.text == "Browse"
    assert AbilityRelation.objects.filter(framework=framework).count() == 1


def _folded(idnumber: str) -> str:
    """An ID number as MySQL's utf8mb4 collations that Moodle installs with compare it (case
    and accents ignored, trailing spaces too)."""
    decomposed = unicodedata.normalize("NFKD", idnumber)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().rstrip(" ")


@pytest.mark.django_db
def test_codes_differing_only_in_case_or_accents_export_id_numbers_moodle_on_mysql_takes(
    tmp_path,
):
    """Observed: a framework made here may hold codes "a1" and "A1", "Cafe" and "Café" (the code
    is unique as written). Moodle on MySQL (case- and accent-insensitive collations) refuses the
    second with "ID number already taken" and stops the import half done. The export salts such
    ID numbers, and reads them back in place."""
    framework = FrameworkFactory(name="Made here", external_id="")
    for code in ("a1", "A1", "Cafe", "Café", "B2"):
        AbilityFactory(framework=framework, code=code, text=f"Statement {code}")
    before = sorted(Ability.objects.values_list("code", "text", "parent_id"))

    text = framework_moodle_csv(framework=framework)

    rows = _rows(text)
    _assert_moodle_can_hold(rows)
    folded = [_folded(row["ID number"]) for row in rows[1:]]
    assert len(set(folded)) == len(folded), [row["ID number"] for row in rows]
    assert "B2" in {row["ID number"] for row in rows}, "an ID number no other folds to is kept"
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    report = framework_import(path=path, format="moodle")
    assert report.ok, report.error
    assert report.as_dict()["counts"]["ability"]["unchanged"] == 5
    assert sorted(Ability.objects.values_list("code", "text", "parent_id")) == before


@pytest.mark.django_db
def test_a_moodle_frameworks_id_numbers_are_given_back_as_its_site_wrote_them(tmp_path):
    """Moodle on PostgreSQL holds "a1" beside "A1": its own framework goes back as it came."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CURRENT_HEADERS)
    writer.writerow(
        ["", "FW", "Framework", "", "1", "A,B", SCALE_CONFIGURATION, "", "", "", "", "", "1", ""]
    )
    for idnumber in ("a1", "A1"):
        writer.writerow(["", idnumber, idnumber, "", "1", "", "", "", "0", "null", "", "", "", ""])
    path = tmp_path / "pg.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert framework_import(path=path, format="moodle").ok

    rows = _rows(framework_moodle_csv(framework=Framework.objects.get()))

    assert [row["ID number"] for row in rows] == ["FW", "a1", "A1"]
