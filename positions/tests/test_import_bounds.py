"""Every import read is bounded (issue #15: a 408 KB zip of 400 MB of spaces took a worker to
873 MB; 300 MB of blank lines ran for three minutes). Small synthetic bombs, with the bounds set
low: each import stops with an error naming the bound and its setting, and writes nothing."""

import json
import zipfile

import pytest

from positions.importers import framework_import
from positions.models import Ability, Framework, Position

ESCO_HEADER = "conceptType,conceptUri,preferredLabel,description,code,iscoGroup\n"


@pytest.fixture
def low_bounds(settings):
    settings.IMPORT_MAX_FILE_MB = 1
    settings.IMPORT_MAX_UNPACKED_MB = 2
    settings.IMPORT_MAX_ENTRIES = 5
    settings.IMPORT_MAX_LINE_CHARS = 1000
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_MAX_JSON_DEPTH = 10
    return settings


def _nothing_written() -> bool:
    return not (Framework.objects.exists() or Ability.objects.exists() or Position.objects.exists())


@pytest.mark.django_db
def test_a_zip_of_spaces_is_refused_from_its_directory(tmp_path, low_bounds):
    bomb = tmp_path / "case.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("package.json", " " * (3 * 1024 * 1024))
    assert bomb.stat().st_size < 20_000  # small upload, large unpacked

    report = framework_import(path=bomb, format="case")

    assert not report.ok
    assert "IMPORT_MAX_FILE_MB" in report.error["message"]
    assert report.error["where"] == "package.json"
    assert _nothing_written()


@pytest.mark.django_db
def test_an_archive_unpacking_past_the_total_bound_is_refused(tmp_path, low_bounds):
    bomb = tmp_path / "esco.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(3):
            archive.writestr(f"part{n}.csv", "\n" * (900 * 1024))

    report = framework_import(path=bomb, format="esco")

    assert not report.ok
    assert "IMPORT_MAX_UNPACKED_MB" in report.error["message"]
    assert _nothing_written()


@pytest.mark.django_db
def test_an_archive_with_too_many_entries_is_refused(tmp_path, low_bounds):
    bomb = tmp_path / "many.zip"
    with zipfile.ZipFile(bomb, "w") as archive:
        for n in range(6):
            archive.writestr(f"f{n}.csv", "x\n")

    report = framework_import(path=bomb, format="esco")

    assert not report.ok
    assert "IMPORT_MAX_ENTRIES" in report.error["message"]


@pytest.mark.django_db
def test_blank_lines_past_the_row_bound_stop_the_esco_import(tmp_path, low_bounds):
    folder = tmp_path / "esco"
    folder.mkdir()
    (folder / "occupations_en.csv").write_text(ESCO_HEADER + "\n" * 500)
    (folder / "skills_en.csv").write_text(ESCO_HEADER)
    (folder / "occupationSkillRelations_en.csv").write_text(
        "occupationUri,relationType,skillType,skillUri\n"
    )

    report = framework_import(path=folder, format="esco")

    assert not report.ok
    assert "IMPORT_MAX_ROWS" in report.error["message"]
    assert report.error["where"].startswith("occupations_en.csv line ")
    assert _nothing_written()


@pytest.mark.django_db
def test_one_endless_line_is_refused_without_reading_it_whole(tmp_path, low_bounds):
    path = tmp_path / "moodle.csv"
    path.write_text("a" * 5000 + "\n")

    report = framework_import(path=path, format="moodle")

    assert not report.ok
    assert "IMPORT_MAX_LINE_CHARS" in report.error["message"]
    assert report.error["where"] == "moodle.csv line 1"


@pytest.mark.django_db
def test_onet_tab_files_are_bounded_too(tmp_path, low_bounds):
    folder = tmp_path / "onet"
    folder.mkdir()
    (folder / "Occupation Data.txt").write_text(
        "O*NET-SOC Code\tTitle\tDescription\n" + "11-1011.00\tChief\t" + "d" * 2000 + "\n"
    )

    report = framework_import(path=folder, format="onet")

    assert not report.ok
    assert "IMPORT_MAX_LINE_CHARS" in report.error["message"]


@pytest.mark.django_db
def test_json_nested_past_the_depth_bound_is_refused(tmp_path, low_bounds):
    path = tmp_path / "deep.json"
    path.write_text("[" * 20 + "]" * 20)

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "IMPORT_MAX_JSON_DEPTH" in report.error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    ["[" * 500, '{"CFDocument": {}, "x": ' + "[" * 100 + "1,]"],
    ids=["unclosed-500", "broken-at-100"],
)
def test_json_cut_short_or_broken_past_the_depth_bound_names_the_bound(tmp_path, text):
    """The reader stops at what is broken, before the depth is checked: past the bound (64 by
    default), the file is refused for its depth, as a deeper or a whole one is, not as
    malformed JSON ("something that is not a JSON value")."""
    path = tmp_path / "deep.json"
    path.write_text(text)

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "IMPORT_MAX_JSON_DEPTH" in report.error["message"]


@pytest.mark.django_db
def test_json_broken_within_the_depth_bound_says_what_is_broken(tmp_path):
    """Brackets inside a string are text, not nesting."""
    path = tmp_path / "broken.json"
    path.write_text('{"CFDocument": {"title": "' + "[" * 500 + '"},}')

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "malformed JSON" in report.error["message"]


@pytest.mark.django_db
def test_json_nested_past_the_parser_stack_is_the_same_clear_error(tmp_path):
    path = tmp_path / "deeper.json"
    path.write_text(
        json.dumps({"CFDocument": {}})[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "IMPORT_MAX_JSON_DEPTH" in report.error["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("layout", ["minified", "indented"])
def test_a_number_of_thousands_of_digits_is_refused_naming_its_line(tmp_path, layout):
    """Python will not read an integer of more than 4,300 digits (its guard against slow
    conversions), and json lets that ValueError through: the import failed "unexpectedly",
    logged as a crash, without saying what or where."""
    package = {"CFDocument": {"identifier": "x", "title": "T"}, "CFItems": [], "N": 7}
    text = json.dumps(package, indent=2 if layout == "indented" else None)
    text = text.replace("7", "7" * 5000)
    path = tmp_path / "case.json"
    path.write_text(text)
    line = text[: text.index("7" * 5000)].count("\n") + 1

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert "digits" in report.error["message"]
    assert report.error["where"].startswith(f"line {line}, column ")
    assert _nothing_written()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "layout"),
    [
        ("NaN", "minified"),
        ("Infinity", "indented"),
        ("-Infinity", "minified"),
        ("1e400", "indented"),
    ],
)
def test_a_number_json_cannot_carry_is_refused_naming_its_line(tmp_path, number, layout):
    """Python's json reads NaN, Infinity and a number past a double's range (1e400, read as
    inf), which JSON has not: the item was written with it, and the database refused the row
    (SQLite's JSON check, PostgreSQL's json), so the import failed on a "database error" that
    named neither the value nor where it was. The file is refused naming both."""
    package = {
        "CFDocument": {"identifier": "x", "title": "T"},
        "CFItems": [{"identifier": "i", "fullStatement": "Infinity and NaN", "listEnumeration": 7}],
    }
    text = json.dumps(package, indent=2 if layout == "indented" else None)
    text = text.replace("7", number)
    path = tmp_path / "case.json"
    path.write_text(text)
    at = text.index(number, text.index("listEnumeration"))
    line = text[:at].count("\n") + 1
    column = at - text.rfind("\n", 0, at)

    report = framework_import(path=path, format="case")

    assert not report.ok
    assert number in report.error["message"]
    assert report.error["where"] == f"line {line}, column {column}"
    assert _nothing_written()
