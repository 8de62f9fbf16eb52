"""Moodle holds a competency's and a framework's short name in 100 characters
(competency.shortname, competency_framework.shortname). The export writes every short name
within that, cut at a word with an ellipsis; this site's Moodle import of its own export does not
take the cut short name for the ability's name or statement."""

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.importers.moodle import CURRENT_HEADERS, framework_moodle_csv, moodle_shortname
from positions.models import Ability, Framework

# A scale configuration Moodle takes: its one value the default and proficient.
SCALE_CONFIGURATION = '[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":1}]'

FIXTURES = Path(__file__).parent / "fixtures" / "moodle_php"

WORDS = "Plan and carry out a structured review of the patient's medication history with them "
STATEMENT = (WORDS * 4)[:299] + "."
assert len(STATEMENT) == 300
LONG_NAME = ("Structured medication review with the patient and the carers " * 3)[:150].strip()
FRAMEWORK_NAME = "Clinical pharmacy competences of the hospital pharmacists' network " * 2
assert len(FRAMEWORK_NAME) > 100


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _source(tmp_path):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CURRENT_HEADERS)
    writer.writerow(
        ["", "CP", "Clinical pharmacy", "", "1", "A,B", SCALE_CONFIGURATION, *[""] * 5, "1", ""]
    )
    for idnumber, description in (("CP1", "Review"), ("CP2", "Reconcile"), ("CP3", "")):
        writer.writerow(["", idnumber, idnumber, description, "1", "", "", "", "0", "null"])
    return _write(tmp_path, "cp.csv", out.getvalue())


@pytest.fixture
def framework(db, tmp_path):
    """A Moodle framework whose name and abilities were then edited here: one ability with a
    300-character statement and no short name, one with a 150-character short name, one that
    came without a description and now has a long statement."""
    assert framework_import(path=_source(tmp_path), format="moodle").ok
    framework = Framework.objects.get()
    Framework.objects.filter(pk=framework.pk).update(name=FRAMEWORK_NAME)
    Ability.objects.filter(code="CP1").update(short_name="", text=STATEMENT)
    Ability.objects.filter(code="CP2").update(short_name=LONG_NAME, text=STATEMENT)
    Ability.objects.filter(code="CP3").update(short_name="", text=STATEMENT)
    framework.refresh_from_db()
    return framework


def _held() -> dict[str, tuple[str, str, str]]:
    return {
        a.code: (a.text, a.short_name, a.description)
        for a in Ability.objects.filter(retired=False).order_by("code")
    }


def test_a_short_name_moodle_can_hold_is_cut_at_a_word():
    assert moodle_shortname("Communicate clearly") == "Communicate clearly"
    assert moodle_shortname("  Spaced\n out  ") == "Spaced\n out"
    cut = moodle_shortname(STATEMENT)
    assert len(cut) <= 100
    assert cut.endswith("…")
    assert STATEMENT.startswith(cut[:-1])
    assert STATEMENT[len(cut) - 1] == " "  # the cut falls between two words
    unbroken = "x" * 300
    assert moodle_shortname(unbroken) == "x" * 99 + "…"


def test_the_export_writes_short_names_moodle_takes(framework):
    """Observed: an ability's 150-character short name was written whole (Moodle refuses the
    row), a statement without short name was cut mid-word at 100 characters, and a framework
    name past 100 characters was written whole."""
    rows = _rows(framework_moodle_csv(framework=framework))

    assert all(len(row["Short name"]) <= 100 for row in rows), [r["Short name"] for r in rows]
    by_idnumber = {row["ID number"]: row for row in rows}
    assert by_idnumber["CP"]["Short name"] == moodle_shortname(FRAMEWORK_NAME)
    assert by_idnumber["CP1"]["Short name"] == moodle_shortname(STATEMENT)
    assert by_idnumber["CP2"]["Short name"] == moodle_shortname(LONG_NAME)
    # Each statement whole in its description, even the one that came without one: its cut
    # short name is not its statement.
    assert {by_idnumber[code]["Description"] for code in ("CP1", "CP2", "CP3")} == {STATEMENT}


def test_the_export_imported_back_in_place_changes_nothing(framework, tmp_path):
    before = _held()
    text = framework_moodle_csv(framework=framework)

    report = framework_import(path=_write(tmp_path, "export.csv", text), format="moodle")

    assert report.ok, report.error
    counts = report.as_dict()["counts"]
    assert counts["framework"]["unchanged"] == 1
    assert counts["ability"]["unchanged"] == 3
    assert _held() == before
    assert Framework.objects.get().name == FRAMEWORK_NAME


def test_the_export_read_into_an_empty_database_keeps_the_statements(framework, tmp_path):
    """Elsewhere, the full statement is the ability's text and a short name cut from it is no
    name of its own (the ability is shown by its statement, not by the cut)."""
    text = framework_moodle_csv(framework=framework)
    Framework.objects.all().delete()

    report = framework_import(path=_write(tmp_path, "export.csv", text), format="moodle")

    assert report.ok, report.error
    held = _held()
    assert {code: values[0] for code, values in held.items()} == dict.fromkeys(
        ("CP1", "CP2", "CP3"), STATEMENT
    )
    assert held["CP1"][1] == ""
    assert held["CP3"][1] == ""
    assert held["CP2"][1] == moodle_shortname(LONG_NAME)


# PHP's strip_tags, which Moodle's importer applies to a short name (clean_param PARAM_TEXT):
# "<" opens a tag unless whitespace follows, and the tag runs to the next ">" or to the end.
_OPENS_TAG = re.compile(r"<(?![ \t\n\r\x0b\x0c])")
SUPERSCRIPT = "Express as a logarithm the solution to ab<sup>ct</sup> = d"
LESS_THAN = "Solve x<5 and compare the results with the graph"


def test_a_short_name_keeps_what_moodles_tag_stripping_would_take():
    """Observed on the Common Core math CASE package: 3 of 703 short names (statements cut
    for Moodle) held "<sup>", which Moodle's importer strips ("abct = d"); "x<5" lost everything
    after "<". Written "&lt;", Moodle shows "<" (format_string) and strips nothing."""
    for text in (SUPERSCRIPT, LESS_THAN, STATEMENT[:95] + " a<b c<d", "ends with <"):
        cut = moodle_shortname(text)
        assert not _OPENS_TAG.search(cut), cut
        assert len(cut) <= 100
        shown = html.unescape(cut)
        assert text.startswith(shown.removesuffix("…").rstrip()), (text, shown)
    # What Moodle keeps as it is stays so: "<" before a space, and multilang spans.
    assert moodle_shortname("Doses for weight < 10 kg") == "Doses for weight < 10 kg"
    multilang = (
        '<span lang="en" class="multilang">Pharmacy</span>'
        '<span lang="fr" class="multilang">Pharmacie</span>'
    )
    assert moodle_shortname(multilang) == multilang
    # A span without class="multilang" is no multilang one: Moodle strips every tag of the text
    # ("PharmacyPharmacie", checked with PHP 8.2), so all are written "&lt;".
    mixed = '<span lang="en" class="multilang">Pharmacy</span><span lang="fr">Pharmacie</span>'
    assert not _OPENS_TAG.search(moodle_shortname(mixed))


def test_short_names_with_tags_are_exported_for_moodle_and_imported_back_in_place(
    framework, tmp_path
):
    Ability.objects.filter(code="CP1").update(short_name="", text=SUPERSCRIPT)
    Ability.objects.filter(code="CP2").update(short_name=LESS_THAN, text=STATEMENT)
    before = _held()

    text = framework_moodle_csv(framework=framework)

    names = {row["ID number"]: row["Short name"] for row in _rows(text)}
    assert names["CP1"] == "Express as a logarithm the solution to ab&lt;sup>ct&lt;/sup> = d"
    assert names["CP2"] == "Solve x&lt;5 and compare the results with the graph"
    report = framework_import(path=_write(tmp_path, "export.csv", text), format="moodle")
    assert report.ok, report.error
    assert report.as_dict()["counts"]["ability"]["unchanged"] == 3
    assert _held() == before


def test_text_moodles_param_text_would_change_is_written_so_that_it_keeps_it():
    """Observed with Moodle's own clean_param(PARAM_TEXT) on PHP 8.2 (fixtures/moodle_php/
    param_text.json): it keeps span and lang tags only in a text whose every tag is a multilang
    one, each opened and closed in turn; "<span>x</span>" became "x", so an ability coded
    "<span>a</span>" beside one coded "a" stopped Moodle's import ("ID number already taken"), and
    a short name lost its tags. The export wrote every span and lang tag as it was. Now such a
    text is written with "&lt;" like any tag, and a multilang text Moodle keeps stays as it is."""
    kept = dict(json.loads((FIXTURES / "param_text.json").read_text(encoding="utf-8")))
    raw = [
        "<span>x</span>",
        '<span lang="en">x</span> a<b',
        "x</span>",
        "<lang>x</lang>",
        '<span class="x">a</span>',
        '<span lang="en" class="multilang">Skill</span>'
        '<span lang="zh_cn" class="multilang">技能</span>',
        '<span class="multilang" lang="en">a</span>y<z',
        '<lang lang="en">Old</lang><lang lang="de">Alt</lang>',
        '<lang lang="en">a</lang><span lang="en" class="multilang">b</span>',
        '<span lang="en" class="multilang">open',
        "a<b",
        "<x>",
        "x < 5",
        "R&D <lab>",
        '<span lang="en" class="multilang">a</span></span>',
    ]
    for text in raw:
        written = moodle_shortname(text)
        assert kept[written] == written, (text, written)
    assert moodle_shortname(raw[5]) == raw[5], "a multilang short name is written as it is"
    assert moodle_shortname(raw[7]) == raw[7]
