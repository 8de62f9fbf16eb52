"""Issue 15, observed 14: framework imports say which line and which field a problem is in, and
refuse what cannot be right (a competency related to itself), instead of a bare exception name."""

import json
import shutil
from pathlib import Path

import pytest

from positions.importers import framework_import
from positions.models import Ability, Framework, Position

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.django_db
def test_a_nul_character_in_a_moodle_csv_names_its_line_and_field(tmp_path):
    path = tmp_path / "nul.csv"
    text = (FIXTURES / "moodle" / "current.csv").read_text()
    path.write_text(text.replace("Product listings", "Product\x00listings"))

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert report.error["where"] == "line 4"
    assert "short_name contains a NUL character" in report.error["message"]
    assert "ValueError" not in report.error["message"]
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_a_nul_character_in_a_case_package_names_the_item(tmp_path):
    package = json.loads((FIXTURES / "case" / "package_1_1.json").read_text())
    package["CFItems"][1]["fullStatement"] = "half\x00statement"
    path = tmp_path / "nul.json"
    path.write_text(json.dumps(package))

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "contains a NUL character" in report.error["message"]
    assert report.error["where"]
    assert not Ability.objects.exists()


@pytest.mark.parametrize(
    ("where", "field"),
    [
        ("CFItems", "fullStatement"),
        ("CFDocument", "title"),
        # The identifiers too: hashed into the record's UUID before any check, one failed there
        # (UnicodeEncodeError) with no place to look.
        ("CFItems", "identifier"),
        ("CFDocument", "identifier"),
    ],
)
@pytest.mark.django_db
def test_a_lone_surrogate_in_a_case_package_names_the_item_and_field(tmp_path, where, field):
    """Observed: JSON may escape half of a UTF-16 pair ("\\ud800"), which Python reads as a
    lone surrogate that no database can store: the import failed with "could not be imported
    (UnicodeEncodeError)" and no place to look. It is refused like a NUL, naming the item."""
    package = json.loads((FIXTURES / "case" / "package_1_1.json").read_text())
    record = package["CFItems"][1] if where == "CFItems" else package["CFDocument"]
    record[field] = "half\ud800" + record[field]
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(package))

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "contains a lone surrogate" in report.error["message"]
    assert "UnicodeEncodeError" not in report.error["message"]
    assert report.error["where"].startswith(where)
    assert not Framework.objects.exists()
    assert not Ability.objects.exists()


@pytest.mark.parametrize("value", ["NaN", "nan", "Infinity", "-inf", "sNaN"])
@pytest.mark.django_db
def test_an_onet_data_value_that_is_not_a_number_names_file_and_line(tmp_path, value):
    folder = tmp_path / "onet"
    shutil.copytree(FIXTURES / "onet", folder)
    skills = (folder / "Skills.txt").read_text().replace("\tLV\t5.12\t", f"\tLV\t{value}\t", 1)
    (folder / "Skills.txt").write_text(skills)

    report = framework_import(path=folder, format="onet")

    assert not report.ok
    assert report.error["where"] == "Skills.txt line 3"
    assert report.error["message"] == f"Data Value '{value}' is not a number"
    assert not Position.objects.exists()


@pytest.mark.django_db
def test_a_moodle_competency_cross_referencing_itself_is_refused(tmp_path):
    path = tmp_path / "self.csv"
    text = (FIXTURES / "moodle" / "current.csv").read_text()
    path.write_text(text.replace('"CBE.2.1",11', '"CBE.1.1",11'))

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert report.error["where"] == "line 3"
    assert "CBE.1.1 cross-references itself" in report.error["message"]
    assert not Framework.objects.exists()


def _latin1_near_the_end(path: Path) -> int:
    """Rewrite `path` in Latin-1 with an accented letter on the last line with an "e" in it;
    that line's number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    last = max(i for i, line in enumerate(lines) if "e" in line)
    lines[last] = lines[last].replace("e", "\u00e9", 1)
    path.write_bytes("".join(lines).encode("latin-1"))
    return last + 1


@pytest.mark.parametrize(
    ("format", "source", "member"),
    [
        ("esco", "esco_v12", "skills_en.csv"),
        ("esco", "esco_v11", "occupationSkillRelations_en.csv"),
        ("onet", "onet", "Skills.txt"),
        ("moodle", "moodle/current.csv", None),
        ("case", "case/package_1_1.json", None),
    ],
)
@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_naming_the_line_that_is_not(
    tmp_path, format, source, member
):
    """Observed: an ESCO skills file saved in Latin-1 with the accent on line 21 was refused at
    "skills_en.csv line 1" with the codec's "position 3477": the reader decoded 8 kB ahead and
    the error was blamed on the line it was reading."""
    target = tmp_path / Path(source).name
    if member:
        shutil.copytree(FIXTURES / source, target)
        line = _latin1_near_the_end(target / member)
        where = f"{member} line {line}"
    else:
        shutil.copy(FIXTURES / source, target)
        line = _latin1_near_the_end(target)
        where = f"{target.name} line {line}"
    assert line > 2

    report = framework_import(path=target, format=format)

    assert not report.ok
    assert report.error["where"] == where
    assert report.error["message"] == "the file is not UTF-8 text: save it as UTF-8"
    assert not Framework.objects.exists()
    assert not Position.objects.exists()


@pytest.mark.django_db
def test_an_esco_header_with_names_padded_by_spaces_imports_as_the_plain_one(tmp_path):
    """Observed: "occupationUri, occupationLabel, relationType, ..." passed the column check,
    which reads the header's names stripped, then every row was keyed by the names as written
    and the import failed with "the file could not be imported (KeyError)"."""
    target = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v12", target)
    relations = target / "occupationSkillRelations_en.csv"
    header, *rows = relations.read_text(encoding="utf-8").splitlines()
    relations.write_text("\n".join([", ".join(header.split(",")), *rows]) + "\n", encoding="utf-8")

    report = framework_import(path=target, format="esco")

    assert report.ok, report.error
    assert Position.objects.get(name="export clerk").requirements.count() == 2


@pytest.mark.django_db
def test_a_control_character_in_a_moodle_csv_is_left_out_and_named_in_a_warning(tmp_path):
    """A publisher's file is not refused for a stray control character, as staff's catalogue
    is: it is left out, and the report names the line and field. Observed before: imported as
    written (an escape in a competency's name)."""
    path = tmp_path / "escape.csv"
    text = (FIXTURES / "moodle" / "current.csv").read_text()
    path.write_text(text.replace("Product listings", "Product\x1b[31m list\x85ings"))

    report = framework_import(path=path, format="moodle")

    assert report.ok, report.error
    assert Ability.objects.filter(short_name="Product[31m listings").exists()
    (warning,) = [w for w in report.warnings if "U+001B" in w["message"]]
    assert warning["where"] == "line 4"
    assert "short_name" in warning["message"]
    assert "U+0085" in warning["message"]


@pytest.mark.django_db
def test_control_characters_in_a_case_package_are_tidied_and_named_in_a_warning(tmp_path):
    """A line break in a name becomes a space; a statement (prose) keeps its line breaks and
    loses the rest."""
    package = json.loads((FIXTURES / "case" / "package_1_1.json").read_text())
    package["CFDocument"]["title"] = "Digital\ntrade\u000b framework"
    item = package["CFItems"][1]
    item["fullStatement"] = "First line\nsecond\u001b line"
    path = tmp_path / "control.json"
    path.write_text(json.dumps(package))

    report = framework_import(path=path, format="case")

    assert report.ok, report.error
    assert Framework.objects.get().name == "Digital trade framework"
    assert Ability.objects.filter(text="First line\nsecond line").exists()
    messages = " ".join(w["message"] for w in report.warnings)
    assert "U+000A, U+000B" in messages
    assert "U+001B" in messages


@pytest.mark.django_db
def test_a_control_character_in_a_case_code_is_tidied_and_named_in_a_warning(tmp_path):
    """Codes refuse control characters as names do, so a publisher's are tidied with a warning
    rather than stored as written (which left the ability unsaveable by the admin): a tab in a
    code is a space, an escape is left out."""
    package = json.loads((FIXTURES / "case" / "package_1_1.json").read_text())
    item = package["CFItems"][1]
    item["humanCodingScheme"] = "CBE\t1\u001b"
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(package))

    report = framework_import(path=path, format="case")

    assert report.ok, report.error
    ability = Ability.objects.get(external_id=item["identifier"])
    assert ability.code == "CBE 1"
    ability.full_clean()
    assert "U+0009, U+001B" in " ".join(w["message"] for w in report.warnings)


@pytest.mark.django_db
def test_a_control_character_in_an_esco_uri_is_tidied_and_a_reimport_finds_the_record(tmp_path):
    """An ESCO concept's URI is its key, its external identifier and its URI: tidied (the
    escape left out, with a warning), the file's relations still reach it by the URI as
    written, and importing the file again updates the record rather than adding a second."""
    target = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v12", target)
    written = "http://data.europa.eu/esco/occupation/test-occ-1"
    for name in ("occupations_en.csv", "occupationSkillRelations_en.csv"):
        file = target / name
        file.write_text(
            file.read_text(encoding="utf-8").replace(written, written + "\u001b"),
            encoding="utf-8",
        )

    report = framework_import(path=target, format="esco")

    assert report.ok, report.error
    position = Position.objects.get(name="e-commerce manager")
    assert (position.uri, position.external_id) == (written, written)
    assert position.requirements.exists()
    position.full_clean()
    assert any("U+001B" in w["message"] for w in report.warnings)

    again = framework_import(path=target, format="esco")

    assert again.ok, again.error
    assert Position.objects.filter(name="e-commerce manager").count() == 1
