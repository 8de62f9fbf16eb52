"""Issue 15, observed 6: no export writes a cell a spreadsheet runs as a formula, the admin's
import-export downloads and the Moodle CSV included; importing such an export gives back the
text as it was."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tablib import Dataset

from core.admin import FormulaSafeCSV, FormulaSafeXLSX
from core.csv import (
    FORMULA_PREFIXES,
    csv_dataset,
    csv_lines,
    looks_like_formula,
    safe_cell,
    unescape_cell,
)
from core.models import normalized_lines
from curricula.models import CourseAbility
from curricula.resources import CourseAbilityResource
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.importers import framework_import
from positions.importers.moodle import framework_moodle_csv
from positions.models import Ability, Framework
from positions.tests.factories import AbilityFactory, FrameworkFactory, level

ATTACKS = [
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    # OWASP's list has a line feed too; its full-width lookalikes, which a Chinese or Japanese
    # input method types, and whitespace before a formula, which spreadsheets trim, are
    # neutralised as well (core.csv.looks_like_formula).
    "\n=1+1",
    "\uff1d1+1",
    "\uff0b1+1",
    "\uff0d2+3",
    "\uff20SUM(A1:A2)",
    " =1+1",
]
# Beside ATTACKS: lookalikes the model would not keep as they are (a name's leading space).
LOOKALIKES = ["\u00a0=1+1", "\u3000=1+1", "  +1", " \t-1", "\n", "\u3000\uff1d1"]
FIELDS = ("course", "framework", "ability", "level", "note")


@pytest.fixture
def hostile_links(db):
    framework = FrameworkFactory(name="Framework")
    ability = AbilityFactory(framework=framework, code='=HYPERLINK("http://x")')
    for i, note in enumerate(ATTACKS):
        CourseAbilityFactory(
            course=CourseFactory(code=f"C{i}"), ability=ability, level=level("R"), note=note
        )
    return ability


def _export(admin_client, file_format: str) -> bytes:
    prefix = "courseabilityresource_"
    response = admin_client.post(
        reverse("admin:curricula_courseability_export"),
        {"format": file_format, **{f"{prefix}{name}": "on" for name in FIELDS}},
    )
    assert response.status_code == 200
    return response.content


def test_the_admin_csv_export_of_links_starts_no_cell_with_a_formula(admin_client, hostile_links):
    content = _export(admin_client, "0").decode()

    rows = list(csv.reader(io.StringIO(content)))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if looks_like_formula(cell)]
    assert {row[4] for row in rows[1:]} == {"'" + note for note in ATTACKS}
    assert {row[2] for row in rows[1:]} == {'\'=HYPERLINK("http://x")'}


def test_an_escaped_admin_csv_export_imports_back_unchanged(admin_client, hostile_links):
    content = _export(admin_client, "0")
    before = set(CourseAbility.objects.values_list("course_id", "ability_id", "note"))

    dataset = FormulaSafeCSV().create_dataset(content.decode())
    result = CourseAbilityResource().import_data(dataset)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}
    assert set(CourseAbility.objects.values_list("course_id", "ability_id", "note")) == before


def test_the_admin_xlsx_export_of_links_holds_no_formula_cell(admin_client, hostile_links):
    content = _export(admin_client, "1")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    notes = {row[4].value for row in sheet.iter_rows(min_row=2)}
    # XML reads a carriage return back as a line feed.
    assert notes == {note.replace("\r", "\n") for note in ATTACKS}
    # Quote-prefixed: retyping the cell in a spreadsheet keeps it text.
    assert all(row[4].quotePrefix for row in sheet.iter_rows(min_row=2))


def test_the_admin_xlsx_export_keeps_its_bold_header_in_view(admin_client, hostile_links):
    """Observed: scrolling down an admin XLSX export of a few thousand links in LibreOffice or
    Excel, the header (course, framework, ability, level, note) scrolled away; the programme
    workbook's long sheets freeze theirs."""
    sheet = openpyxl.load_workbook(io.BytesIO(_export(admin_client, "1"))).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])


def test_a_note_too_long_for_a_cell_is_not_imported_back_cut(admin_client, db):
    """Observed: a 40,000-character note exported to XLSX came back as its first 32,767
    characters, and importing the file would have replaced the note with them ("updated 1").
    The export marks the cut, and the import refuses the cell instead of writing it."""
    link = CourseAbilityFactory(note="n" * 40_000)
    content = _export(admin_client, "1")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["E2"].value.endswith("…")

    with pytest.raises(Exception, match="32,767") as problem:
        FormulaSafeXLSX().create_dataset(content)
    assert "2" in str(problem.value)
    link.refresh_from_db()
    assert len(link.note) == 40_000


@pytest.mark.django_db
def test_the_moodle_csv_export_escapes_names_and_imports_back(tmp_path):
    framework = FrameworkFactory(name="=cmd|' /C calc'!A0", external_id="FW")
    AbilityFactory(framework=framework, code="-A1", short_name="@name", text="+text")

    text = framework_moodle_csv(framework=framework)

    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
    assert rows[2][1:4] == ["'-A1", "'@name", "'+text"]
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@")]

    framework.delete()
    path = tmp_path / "moodle.csv"
    path.write_text(text, encoding="utf-8")
    report = framework_import(path=path, format="moodle")
    assert report.ok, report.error
    assert Framework.objects.get().name == "=cmd|' /C calc'!A0"
    ability = Ability.objects.get()
    assert (ability.external_id or ability.code, ability.short_name, ability.text) == (
        "-A1",
        "@name",
        "+text",
    )


def test_the_api_moodle_download_is_escaped_too(db, client):
    framework = FrameworkFactory(name="=1+1", external_id="FW2")
    response = client.get(f"/api/v1/frameworks/{framework.pk}/moodle.csv")
    assert response.status_code == 200
    assert "'=1+1" in b"".join(getattr(response, "streaming_content", [response.content])).decode()


def test_formula_safe_csv_keeps_plain_text_and_numbers():
    dataset = Dataset(["C1", 3, "a - b", None], headers=["code", "n", "note", "empty"])
    exported = FormulaSafeCSV().export_data(dataset)
    assert exported.splitlines()[1] == "C1,3,a - b,"


# Text that already starts with the apostrophe an export puts before a would-be formula: a note
# quoting a formula ('=SUM'), or one the apostrophe was put before twice.
QUOTED = ["'=SUM(A1:A2)' is wrong here", "''+1", "'-", "'@home", "'", "'plain", "''"]


@pytest.mark.parametrize("text", [*ATTACKS, *LOOKALIKES])
def test_a_formula_or_its_lookalike_gets_the_apostrophe(text):
    """Issue: full-width ＝＋－＠ and whitespace before = + - @ were written as they are."""  # noqa: RUF002
    assert safe_cell(text) == "'" + text
    assert safe_cell("'" + text) == "''" + text


@pytest.mark.parametrize(
    "text", ["a - b", "C\uff1d1", "\u6570\u636e\uff1d", " plain", "\u3000\u6570\u636e", ""]
)
def test_text_with_a_formula_sign_inside_is_left_alone(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("text", [*ATTACKS, *LOOKALIKES, *QUOTED, "=", "plain", ""])
def test_a_csv_of_any_text_reads_back_as_written(text):
    lines = "".join(csv_lines(["text", "n"], [[text, 1]]))

    assert csv_dataset(lines)["text"] == [text]


@pytest.mark.parametrize("text", [*ATTACKS, *LOOKALIKES, *QUOTED, "=", "plain", ""])
def test_safe_cell_and_unescape_cell_give_back_any_text(text):
    cell = safe_cell(text)
    assert not str(cell).startswith(FORMULA_PREFIXES)
    assert unescape_cell(cell) == text


def test_notes_starting_with_an_apostrophe_survive_an_api_export_and_import(db, staff_client):
    """Issue: a note "'=SUM…" was exported as it is and its apostrophe taken off on import (by
    the CSV reader and again by the link import), so the round trip changed it."""
    framework = FrameworkFactory(name="Framework")
    ability = AbilityFactory(framework=framework, code="A1")
    for i, note in enumerate([*QUOTED, *ATTACKS]):
        CourseAbilityFactory(
            course=CourseFactory(code=f"Q{i}"), ability=ability, level=level("R"), note=note
        )
    before = set(CourseAbility.objects.values_list("course_id", "note"))
    exported = staff_client.get("/api/v1/course-abilities/export/")
    text = b"".join(exported.streaming_content)

    CourseAbility.objects.all().delete()
    response = staff_client.post(
        "/api/v1/course-abilities/import/",
        {"file": SimpleUploadedFile("links.csv", text, content_type="text/csv")},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    # Each note as every door stores prose, a line at a time ("\t=1+1" as "=1+1").
    assert set(CourseAbility.objects.values_list("course_id", "note")) == {
        (course, normalized_lines(note)) for course, note in before
    }


def test_an_apostrophe_before_a_formula_in_a_workbook_is_taken_off_once(db, staff_client):
    """A CSV export opened in a spreadsheet and saved as a workbook keeps the apostrophe as
    text: the import takes it off, once, as from the CSV."""
    framework = FrameworkFactory(name="Framework")
    ability = AbilityFactory(framework=framework, code="A1")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["course", "framework", "ability", "level", "note"])
    notes = {"W1": "'=1+1", "W2": "'''-x", "W3": "'plain"}
    for code, note in notes.items():
        CourseFactory(code=code)
        sheet.append([code, framework.name, ability.code, "R", note])
    buffer = io.BytesIO()
    book.save(buffer)

    response = staff_client.post(
        "/api/v1/course-abilities/import/",
        {"file": SimpleUploadedFile("links.xlsx", buffer.getvalue())},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    assert dict(CourseAbility.objects.values_list("course__code", "note")) == {
        "W1": "=1+1",
        "W2": "''-x",
        "W3": "'plain",
    }


def test_an_admin_xlsx_export_of_apostrophe_notes_imports_back_unchanged(admin_client, db):
    framework = FrameworkFactory(name="Framework")
    ability = AbilityFactory(framework=framework, code="A1")
    for i, note in enumerate([*QUOTED, *ATTACKS]):
        CourseAbilityFactory(
            course=CourseFactory(code=f"X{i}"), ability=ability, level=level("R"), note=note
        )
    before = set(CourseAbility.objects.values_list("course_id", "ability_id", "note"))
    content = _export(admin_client, "1")

    CourseAbility.objects.all().delete()
    dataset = FormulaSafeXLSX().create_dataset(content)
    result = CourseAbilityResource().import_data(dataset)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    # Each note as every door stores prose, a line at a time ("\r=1+1" as "=1+1").
    assert set(CourseAbility.objects.values_list("course_id", "ability_id", "note")) == {
        (course, ability, normalized_lines(note)) for course, ability, note in before
    }
