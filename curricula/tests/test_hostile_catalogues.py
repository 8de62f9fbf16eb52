"""Catalogue and link files that once broke an import: each is imported in the background as in
the foreground, or refused with a message naming the problem (and its line and column where it
has one), never a 500 and never a job queued only to fail later."""

import codecs
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.models import Course
from curricula.services import course_catalogue_import
from curricula.tests.factories import CourseFactory
from positions.importers import framework_import
from positions.models import ImportFormat, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


COURSES = [["code", "title", "credits"], ["K1", "Logistics", 2], ["K2", "Payments", 3.5]]


# --- an XLSX imported in the background -----------------------------------------------------------


def test_a_valid_xlsx_catalogue_imports_in_the_background_as_in_the_foreground(
    staff_client, django_capture_on_commit_callbacks
):
    """Observed: the job read the XLSX as a zip of files (its members: [Content_Types].xml,
    xl/workbook.xml, ...) and failed it as "not one CSV or XLSX file", where the request-time
    import of the same file succeeded."""
    content = _xlsx(COURSES)
    foreground = staff_client.post(
        "/api/v1/courses/import/?dry_run=true",
        {"file": SimpleUploadedFile("courses.xlsx", content)},
        format="multipart",
    )
    assert foreground.status_code == 200, foreground.content

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/courses/import/?background=true",
            {"file": SimpleUploadedFile("courses.xlsx", content)},
            format="multipart",
        )

    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert job.report["counts"]["course"]["created"] == 2
    assert dict(Course.objects.values_list("code", "credits")) == {"K1": 2, "K2": Decimal("3.5")}
    assert Course.objects.get(code="K1").source_ref == "courses.xlsx, line 2"


def test_the_task_imports_an_xlsx_file_given_by_path(tmp_path):
    path = tmp_path / "courses.xlsx"
    path.write_bytes(_xlsx(COURSES))

    report = framework_import(path=path, format=ImportFormat.COURSES)

    assert report.ok, report.error
    assert report.counts["course"]["created"] == 2


def test_a_valid_xlsx_link_file_imports_in_the_background(
    staff_client, django_capture_on_commit_callbacks
):
    from curricula.models import CourseAbility
    from curricula.tests.factories import CourseFactory
    from positions.tests.factories import AbilityFactory

    ability = AbilityFactory(code="A1")
    CourseFactory(code="K1")
    content = _xlsx(
        [
            ["course", "framework", "ability", "level", "note"],
            ["K1", str(ability.framework.identifier), "A1", "M", "from a workbook"],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/course-abilities/import/?background=true",
            {"file": SimpleUploadedFile("links.xlsx", content)},
            format="multipart",
        )

    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert CourseAbility.objects.get().note == "from a workbook"


def test_the_admin_imports_a_large_xlsx_catalogue_in_the_background(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:curricula_course_import"),
            {"format": "1", "import_file": SimpleUploadedFile("courses.xlsx", _xlsx(COURSES))},
        )

    job = ImportJob.objects.get()
    assert response.url == reverse("admin:curricula_course_import_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert Course.objects.count() == 2


# --- credits that are not a finite number ---------------------------------------------------------

NOT_FINITE = ["NaN", "nan", "Infinity", "inf", "-inf", "-Infinity", "sNaN", "+inf"]


def _xlsx_with_a_number_cell_written_as(value: bytes) -> bytes:
    """A catalogue whose K1 credits cell is a number cell holding `value` as written."""
    content = _xlsx([["code", "title", "credits"], ["K1", "Logistics", 123456]])
    sheet = "xl/worksheets/sheet1.xml"
    return _rewrite_member(content, sheet, b"<v>123456</v>", b"<v>" + value + b"</v>")


def _rewrite_member(content: bytes, member: str, old: bytes, new: bytes) -> bytes:
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                assert old in data
                data = data.replace(old, new)
            target.writestr(info, data)
    return buffer.getvalue()


def _credits_refused(report) -> None:
    assert not report.ok
    assert [error["line"] for error in report.errors] == [2]
    assert list(report.errors[0]["errors"]) == ["credits"]
    assert not Course.objects.exists()


@pytest.mark.parametrize("value", NOT_FINITE)
def test_credits_that_are_not_a_finite_number_are_refused_on_their_line_in_a_csv(value):
    content = f"code,title,credits\nK1,Logistics,{value}\n".encode()
    _credits_refused(course_catalogue_import(content=content, file_name="courses.csv"))


@pytest.mark.parametrize("value", NOT_FINITE)
def test_credits_that_are_not_a_finite_number_are_refused_in_an_xlsx_text_cell(value):
    content = _xlsx([["code", "title", "credits"], ["K1", "Logistics", value]])
    _credits_refused(course_catalogue_import(content=content, file_name="courses.xlsx"))


@pytest.mark.parametrize("value", [b"NaN", b"nan", b"INF", b"inf", b"-inf", b"1e400", b"-1E999"])
def test_credits_that_are_not_a_finite_number_are_refused_in_an_xlsx_number_cell(value):
    content = _xlsx_with_a_number_cell_written_as(value)
    _credits_refused(course_catalogue_import(content=content, file_name="courses.xlsx"))


def test_credits_not_finite_are_a_400_with_the_line_from_the_api(staff_client):
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("c.csv", b"code,title,credits\nK1,Logistics,NaN\n")},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["line"] == 2
    assert "credits" in response.json()["errors"][0]["errors"]


def test_a_number_cell_holding_no_number_is_refused_naming_the_cell():
    """Observed: "The file cannot be read as XLSX: invalid literal for int() with base 10:
    'three'", with no word of where."""
    message = _refusal(_xlsx_with_a_number_cell_written_as(b"three"))
    assert "Cell C2" in message


# --- a workbook whose sheet to read holds no cells ------------------------------------------------


def _workbook_with_a_chart_sheet(*, active_chart: bool = True, keep_worksheet: bool = True):
    from openpyxl.chart import BarChart, Reference

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Courses"
    for row in COURSES:
        sheet.append(row)
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=3, min_row=1, max_row=3), titles_from_data=True)
    workbook.create_chartsheet("Credits chart", 0).add_chart(chart)
    workbook.active = 0 if active_chart else 1
    if not keep_worksheet:
        workbook.remove(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _refusal(content: bytes, name: str = "courses.xlsx") -> str:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        course_catalogue_import(content=content, file_name=name)
    return " ".join(error.value.message_dict["file"])


def test_a_workbook_saved_with_a_chart_sheet_open_is_refused_naming_the_sheet():
    """Observed: "The file cannot be read as XLSX: 'Chartsheet' object has no attribute
    'reset_dimensions'"."""
    message = _refusal(_workbook_with_a_chart_sheet())
    assert "“Credits chart”" in message
    assert "chart" in message
    assert "Chartsheet" not in message
    assert not Course.objects.exists()


def test_a_workbook_whose_chart_sheet_comes_first_but_is_not_open_is_read():
    report = course_catalogue_import(
        content=_workbook_with_a_chart_sheet(active_chart=False), file_name="courses.xlsx"
    )
    assert report.ok, report.errors
    assert report.created == 2


def test_a_workbook_of_chart_sheets_only_is_refused_as_having_no_worksheet():
    message = _refusal(_workbook_with_a_chart_sheet(keep_worksheet=False))
    assert "no worksheet" in message


def test_a_workbook_of_no_sheet_at_all_is_refused_as_having_no_worksheet():
    content = _rewrite_member(
        _xlsx(COURSES),
        "xl/workbook.xml",
        b'<sheets><sheet name="Sheet" sheetId="1" state="visible" r:id="rId1" /></sheets>',
        b"<sheets />",
    )
    message = _refusal(content)
    assert "no worksheet" in message


def test_a_workbook_whose_open_sheet_is_past_its_last_is_read_from_its_first():
    """Observed: a workbook saying sheet 5 of 1 was open (activeTab="5") was refused as saved
    with a chart sheet “” open; a spreadsheet opens it at its first sheet."""
    content = _rewrite_member(_xlsx(COURSES), "xl/workbook.xml", b'activeTab="0"', b'activeTab="5"')
    report = course_catalogue_import(content=content, file_name="courses.xlsx")
    assert report.ok, report.errors
    assert report.created == 2


def test_the_api_refuses_a_chart_sheet_workbook_with_a_400(staff_client):
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("c.xlsx", _workbook_with_a_chart_sheet())},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "Credits chart" in str(response.json()["file"])


def test_the_admin_refuses_a_chart_sheet_workbook_naming_the_sheet(admin_client):
    response = admin_client.post(
        reverse("admin:curricula_course_import"),
        {
            "format": "1",
            "import_file": SimpleUploadedFile("c.xlsx", _workbook_with_a_chart_sheet()),
        },
    )
    assert response.status_code == 200
    assert "Credits chart" in response.content.decode()
    assert not ImportJob.objects.exists()


def _workbook_with_a_notes_sheet_open() -> bytes:
    """An office's catalogue: a sheet of notes first, the table on the second, and the notes
    open when the workbook was saved (the sheet a spreadsheet opens it at)."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "Read me"
    for line in (
        ["Catalogue 2026/27"],
        ["Approved by", "the board, 3 June"],
        ["Contact", "registry@example.edu"],
    ):
        workbook.active.append(line)
    table = workbook.create_sheet("Courses")
    for row in COURSES:
        table.append(row)
    hidden = workbook.create_sheet("Lookups")
    hidden.sheet_state = "hidden"
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_refusal_for_missing_columns_names_the_sheet_read_and_the_workbooks_others(
    staff_client, admin_client
):
    """Observed: a workbook saved with its notes sheet open was refused as lacking the columns
    code and title, the file's table in plain sight on its second sheet: nothing said which
    sheet had been read, nor that the workbook has others. The import still reads the sheet
    that was open (it does not guess another), and says so."""
    message = _refusal(_workbook_with_a_notes_sheet_open())
    assert "lacks the column(s): code, title" in message
    assert "sheet “Read me”" in message
    assert "“Courses”" in message
    assert "Lookups" not in message  # hidden: not one a person would save open
    assert not Course.objects.exists()

    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("c.xlsx", _workbook_with_a_notes_sheet_open())},
        format="multipart",
    )
    assert response.status_code == 400
    assert "“Courses”" in str(response.json()["file"])

    page = admin_client.post(
        reverse("admin:curricula_course_import"),
        {
            "format": "1",
            "import_file": SimpleUploadedFile("c.xlsx", _workbook_with_a_notes_sheet_open()),
        },
    )
    assert page.status_code == 200
    assert "“Courses”" in page.content.decode()


def test_the_admin_says_what_a_file_of_one_line_lacks_not_that_it_holds_no_data(admin_client):
    """Observed: a workbook saved with its one-line cover sheet open (or a CSV of a title line
    alone) was refused by the admin's import as "No valid data to import. Ensure your file has
    the correct headers or data for import.", where the API and the command named the missing
    columns and the sheet read. A file of the right header and no row says it has no row."""
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    workbook.active.append(["Course catalogue 2026/27"])
    table = workbook.create_sheet("Courses")
    for row in COURSES:
        table.append(row)
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "1", "import_file": SimpleUploadedFile("c.xlsx", buffer.getvalue())},
    ).content.decode()
    assert "lacks the column(s): code, title" in page
    assert "“Courses”" in page
    assert "No valid data" not in page

    page = admin_client.post(
        reverse("admin:curricula_courseability_import"),
        {"format": "0", "import_file": SimpleUploadedFile("l.csv", b"Links of 2026\n")},
    ).content.decode()
    assert "lacks the column(s)" in page

    page = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": SimpleUploadedFile("c.csv", b"code,title\n")},
    ).content.decode()
    assert "header row but no rows under it" in page
    assert "lacks" not in page


def test_a_one_sheet_workbook_lacking_columns_is_refused_as_before():
    workbook = openpyxl.Workbook()
    workbook.active.append(["name", "credits"])
    workbook.active.append(["Logistics", 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    message = _refusal(buffer.getvalue())
    assert "lacks the column(s): code, title" in message
    assert "sheet" not in message


# --- a file that is neither CSV nor XLSX, refused when it is given --------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip(
    {
        "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" ContentType='
        b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        b"</Types>",
        "word/document.xml": b"<document/>",
    }
)
PDF = b"%PDF-1.7\n" + b"code,title\n" * 20 + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"\n" * 20
NOT_A_CATALOGUE = {
    "a PDF": ("courses.pdf", PDF),
    "a Word document": ("courses.docx", DOCX),
    "an image": ("courses.png", PNG),
    "a zip": ("courses.zip", _zip({"courses.csv": b"code,title\nK1,Logistics\n"})),
    "a Word document named .xlsx": ("courses.xlsx", DOCX),
    "a zip of a CSV named .xlsx": ("courses.xlsx", _zip({"c.csv": b"code,title\n"})),
    "a PDF named .csv": ("courses.csv", PDF),
    "an image named .csv": ("courses.csv", PNG),
    "a zip named .csv": ("courses.csv", DOCX),
    "an old Excel file named .csv": (
        "courses.csv",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 99,
    ),
    "a name without a suffix": ("courses", b"code,title\nK1,Logistics\n"),
}


def test_a_password_protected_workbook_is_refused_saying_so():
    """Excel saves a workbook with a password as an encrypted Office 97 container, whatever its
    name: it was refused as "not an Excel workbook", which its owner knows it is."""
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    message = _refusal(content, "courses.xlsx")
    assert "password" in message
    assert ".xls" in message


@pytest.mark.parametrize("case", NOT_A_CATALOGUE)
@pytest.mark.parametrize("url", ["/api/v1/courses/import/", "/api/v1/course-abilities/import/"])
def test_a_background_import_of_a_file_that_is_not_a_spreadsheet_is_refused_at_once(
    staff_client, django_capture_on_commit_callbacks, url, case
):
    """Observed: the API queued the job (202) and the job failed later, or (a Word document
    named .xlsx) failed with openpyxl's words."""
    name, content = NOT_A_CATALOGUE[case]
    upload = SimpleUploadedFile(name, content)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"{url}?background=true", {"file": upload}, format="multipart")

    assert response.status_code == 400, response.content
    assert list(response.json()) == ["file"], response.json()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("case", NOT_A_CATALOGUE)
def test_the_foreground_import_refuses_the_same_files_in_the_same_words(staff_client, case):
    name, content = NOT_A_CATALOGUE[case]
    answers = [
        staff_client.post(
            f"/api/v1/courses/import/{query}",
            {"file": SimpleUploadedFile(name, content)},
            format="multipart",
        ).json()
        for query in ("?background=true", "")
    ]
    assert answers[0] == answers[1]
    assert not Course.objects.exists()


@pytest.mark.parametrize("case", NOT_A_CATALOGUE)
def test_the_admin_refuses_a_large_file_that_is_not_a_spreadsheet_before_starting_a_job(
    admin_client, settings, case
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    name, content = NOT_A_CATALOGUE[case]
    response = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": SimpleUploadedFile(name, content)},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]
    assert not ImportJob.objects.exists()


def test_the_admin_reads_an_xlsx_as_xlsx_whichever_format_is_chosen(admin_client):
    response = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": SimpleUploadedFile("courses.xlsx", _xlsx(COURSES))},
    )

    assert response.status_code == 200
    assert "confirm_form" in response.context, response.context["form"].errors
    confirm = admin_client.post(
        reverse("admin:curricula_course_process_import"),
        response.context["confirm_form"].initial,
    )
    assert confirm.status_code == 302
    assert Course.objects.count() == 2


# --- a NUL character in a cell --------------------------------------------------------------------

NUL_ROWS = {
    "code": ("code", "K\x001,Logistics,2"),
    "title": ("title", "K1,Logi\x00stics,2"),
    "credits": ("credits", "K1,Logistics,2\x00"),
    "an unread column": ("colour", "K1,Logistics,2,re\x00d"),
}


def _nul_catalogue(case: str) -> bytes:
    _column, row = NUL_ROWS[case]
    return f"code,title,credits,colour\nK0,Payments,3,blue\n{row}\nK9,Taxes,1,\n".encode()


@pytest.mark.parametrize("case", [c for c in NUL_ROWS if c != "an unread column"])
def test_a_nul_character_in_a_cell_is_an_error_on_its_line_and_column(case):
    """Observed on PostgreSQL: the import failed as a whole, with no line, when a code held a
    NUL (the courses the file names are looked up before its rows are checked, and PostgreSQL
    refuses a NUL in a query's text), or a 500."""
    report = course_catalogue_import(content=_nul_catalogue(case), file_name="courses.csv")

    assert [error["line"] for error in report.errors] == [3], report.errors
    assert list(report.errors[0]["errors"]) == [NUL_ROWS[case][0]]
    assert "NUL" in report.errors[0]["errors"][NUL_ROWS[case][0]][0]
    assert not Course.objects.exists()


def test_a_nul_character_in_a_column_the_import_does_not_read_is_left_out_with_it():
    report = course_catalogue_import(
        content=_nul_catalogue("an unread column"), file_name="courses.csv"
    )
    assert report.ok, report.errors
    assert report.ignored_columns == ["colour"]
    assert Course.objects.count() == 3


def test_an_xlsx_cannot_carry_a_nul_character_into_a_cell():
    """XML cannot hold a NUL: Excel writes it as _x0000_, which is read as those seven
    characters, and a raw NUL in the sheet makes the file unreadable (refused, not a 500)."""
    content = _xlsx([["code", "title"], ["K0", "Payments"], ["KNUL1", "Logistics"]])
    escaped = _rewrite_member(content, "xl/worksheets/sheet1.xml", b"KNUL1", b"K_x0000_1")
    report = course_catalogue_import(content=escaped, file_name="courses.xlsx")
    assert report.ok, report.errors
    assert Course.objects.filter(code="K_x0000_1").exists()

    raw = _rewrite_member(content, "xl/worksheets/sheet1.xml", b"KNUL1", b"K\x001")
    assert "cannot be read as XLSX" in _refusal(raw)


def test_a_nul_character_in_a_header_cell_is_refused_naming_the_header_line():
    content = b"code,title,col\x00our\nK1,Logistics,red\n"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        course_catalogue_import(content=content, file_name="courses.csv")
    assert "line 1" in str(error.value)
    assert "NUL" in str(error.value)


@pytest.mark.parametrize("case", NUL_ROWS)
def test_a_background_import_reports_a_nul_character_on_its_line(
    staff_client, django_capture_on_commit_callbacks, case
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/courses/import/?background=true",
            {"file": SimpleUploadedFile("courses.csv", _nul_catalogue(case))},
            format="multipart",
        )

    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    job.refresh_from_db()
    if case == "an unread column":
        assert job.status == ImportStatus.SUCCEEDED, job.report
        return
    assert job.status == ImportStatus.FAILED
    assert job.report["error"]["where"] == "line 3", job.report
    assert "NUL" in job.report["error"]["message"]


def _nul_links(column: str) -> bytes:
    from curricula.tests.factories import CourseFactory
    from positions.tests.factories import AbilityFactory

    ability = AbilityFactory(code="A1")
    CourseFactory(code="K1")
    cells = {"course": "K1", "framework": str(ability.framework.identifier), "ability": "A1"}
    bad = {**cells, column: cells[column][:1] + "\x00" + cells[column][1:]}
    rows = [",".join([*row.values(), "M", ""]) for row in (cells, bad)]
    return ("course,framework,ability,level,note\n" + "\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("column", ["course", "framework", "ability"])
def test_a_nul_character_in_a_link_file_is_an_error_on_its_line(column):
    from curricula.services import course_ability_import

    report = course_ability_import(content=_nul_links(column), file_name="links.csv")

    assert [error["line"] for error in report.errors] == [3], report.errors
    assert list(report.errors[0]["errors"]) == [column]


@pytest.mark.parametrize("column", ["course", "framework", "ability"])
def test_a_background_link_import_reports_a_nul_character_on_its_line(tmp_path, column):
    """Observed on PostgreSQL: the job looks the file's courses up in bulk before its rows are
    checked, and the query naming a code with a NUL failed the job with no line."""
    path = tmp_path / "links.csv"
    path.write_bytes(_nul_links(column))

    report = framework_import(path=path, format=ImportFormat.LINKS)

    assert report.error["where"] == "line 3", report.error
    assert "NUL" in report.error["message"]


# --- more hostile files: a huge cell --------------------------------------------------------------


def test_a_huge_level_cell_is_an_unknown_level_on_its_line(settings):
    """Observed on SQLite: the case-insensitive lookup of a 60,000-character level failed in the
    database, reported as the row's "LIKE or GLOB pattern too complex"."""
    from curricula.services import course_ability_import
    from curricula.tests.factories import CourseFactory
    from positions.tests.factories import AbilityFactory

    ability = AbilityFactory(code="A1")
    CourseFactory(code="K1")
    level = "M" * 60_000  # past SQLite's 50,000-byte bound on a LIKE pattern
    content = (
        f"course,framework,ability,level,note\nK1,{ability.framework.identifier},A1,{level},\n"
    ).encode()

    report = course_ability_import(content=content, file_name="links.csv")

    assert [error["line"] for error in report.errors] == [2], report.errors
    assert list(report.errors[0]["errors"]) == ["level"]
    assert "Unknown level code" in report.errors[0]["errors"]["level"][0]


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("module", "m" * 100_000),
        ("stage", "s" * 100_000),
        ("credits", "9x" * 50_000),
    ],
)
def test_a_huge_cell_is_quoted_shortened_in_its_error(column, cell):
    """Observed: each message quoted the whole cell, so a file of a few hundred such rows (within
    the upload bound) made a report of hundreds of megabytes, stored with a background job."""
    content = f"code,title,{column}\nK1,Logistics,{cell}\n".encode()

    report = course_catalogue_import(content=content, file_name="courses.csv")

    [message] = report.errors[0]["errors"][column]
    assert len(message) < 300
    assert cell[:50] in message
    assert "…" in message


def test_a_huge_unknown_reference_in_a_link_file_is_quoted_shortened():
    from curricula.services import course_ability_import
    from curricula.tests.factories import CourseFactory
    from positions.tests.factories import AbilityFactory

    ability = AbilityFactory(code="A1")
    CourseFactory(code="K1")
    framework = ability.framework.identifier
    content = (
        "course,framework,ability,level,note\n"
        f"{'k' * 100_000},{framework},A1,M,\n"
        f"K1,{'f' * 100_000},A1,M,\n"
        f"K1,{framework},{'a' * 100_000},M,\n"
        f"K1,{framework},A1,{'l' * 100_000},\n"
        f"K1,,{'a' * 100_000},M,\n"
    ).encode()

    report = course_ability_import(content=content, file_name="links.csv")

    messages = [m for error in report.errors for ms in error["errors"].values() for m in ms]
    assert len(messages) == 5, report.errors
    assert all(len(message) < 400 for message in messages), [len(m) for m in messages]


# --- more hostile files: a large file that does not look large ------------------------------------

TWELVE = [["code", "title"], *[[f"K{n}", f"Course {n}"] for n in range(12)]]


def _xlsx_declaring(dimension: bytes) -> bytes:
    import re
    import zipfile

    content = _xlsx(TWELVE)
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    declared = re.search(rb"<dimension [^>]*/>", sheet).group(0)
    return _rewrite_member(content, "xl/worksheets/sheet1.xml", declared, dimension)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("no dimension.xlsx", _xlsx_declaring(b"")),
        ("a dimension of one row.xlsx", _xlsx_declaring(b'<dimension ref="A1:B1"/>')),
        (
            "lines ending in CR.csv",
            "\r".join(",".join(row) for row in TWELVE).encode() + b"\r",
        ),
    ],
)
def test_the_admin_counts_the_rows_a_large_file_holds_not_what_it_declares(
    admin_client, settings, django_capture_on_commit_callbacks, name, content
):
    """Observed: the admin counted an XLSX's rows from the dimension its sheet declares (absent
    or wrong in files some programs write) and a CSV's by its LF line ends (none in a file of
    CR ones), so such a file of any size was previewed inside the request, past the server's
    timeout for a large one, instead of imported by a background job."""
    settings.ADMIN_IMPORT_INLINE_ROWS = 5
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:curricula_course_import"),
            {"format": "0", "import_file": SimpleUploadedFile(name, content)},
        )

    job = ImportJob.objects.get()
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert Course.objects.count() == 12


# --- more hostile files: the wrong encoding -------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("title", ["Logistics", "数据库"])
def test_a_csv_in_utf16_without_a_byte_order_mark_is_refused_as_not_utf8(encoding, title):
    """Observed: UTF-16 without its byte order mark decodes as UTF-8 when its text is ASCII
    (each letter beside a NUL), and was refused as lacking the columns it has; or, with other
    text, as not UTF-8 from line 2, as if its header were."""
    content = f"code,title\nK1,{title}\n".encode(encoding)
    message = _refusal(content, "courses.csv")
    assert "Line 1 is not UTF-8 text" in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
@pytest.mark.parametrize("separator", ["\t", ","])
def test_a_csv_in_utf16_with_its_byte_order_mark_is_read(encoding, separator):
    """Observed: Excel's "Unicode Text" (UTF-16 with a byte order mark, tab-separated) was
    refused as "Line 1 is not UTF-8 text", though the mark says which encoding it is."""
    rows = [["code", "title", "credits"], ["K1", "数据库", "3"], ["K2", "Logistics", "2"]]
    text = "\r\n".join(separator.join(row) for row in rows) + "\r\n"
    content = text.encode(encoding)
    if encoding == "utf-16-be":
        content = b"\xfe\xff" + content

    report = course_catalogue_import(content=content, file_name="courses.csv")

    assert report.errors == []
    assert sorted(Course.objects.values_list("code", "title", "credits")) == [
        ("K1", "数据库", Decimal("3")),
        ("K2", "Logistics", Decimal("2")),
    ]


def test_a_csv_whose_byte_order_mark_says_utf16_but_is_not_names_the_line():
    content = codecs.BOM_UTF16_LE + "code,title\r\nK1,Logistics\r\n".encode("utf-16-le")
    content += b"\x00\xdc" + "\r\n".encode("utf-16-le")  # a lone low surrogate on line 3

    message = _refusal(content, "courses.csv")

    assert "Line 3 is not UTF-16 text" in message
    assert not Course.objects.exists()


# --- more hostile files: a formula ---------------------------------------------------------------


def _workbook_of(rows: list[list]) -> bytes:
    """`rows` as openpyxl writes them: a text starting with "=" as a formula, with no value
    calculated (as a program writes a workbook; a spreadsheet saves each formula's value)."""
    return _xlsx(rows)


def test_a_formula_saved_without_its_value_is_an_error_on_its_line_and_column():
    """Observed: a formula a program wrote without its value read as an empty cell: credits
    "=2+1" were imported as no credits, without a word, and a title "=A2" was "required"."""
    content = _workbook_of(
        [
            ["code", "title", "credits", "colour"],
            ["K1", "Logistics", "=2+1", "=1"],
            ["K2", '=A3&" course"', 2, None],
            ["K3", "Taxes", 1, "=1"],
        ]
    )

    report = course_catalogue_import(content=content, file_name="courses.xlsx")

    assert [(error["line"], list(error["errors"])) for error in report.errors] == [
        (2, ["credits"]),
        (3, ["title"]),
    ]
    assert "formula" in report.errors[0]["errors"]["credits"][0]
    assert not Course.objects.exists()


def test_a_formula_saved_with_its_value_is_read_as_that_value():
    content = _rewrite_member(
        _workbook_of([["code", "title", "credits"], ["K1", "Logistics", "=2+1"]]),
        "xl/worksheets/sheet1.xml",
        b"<f>2+1</f><v />",
        b"<f>2+1</f><v>3</v>",
    )

    report = course_catalogue_import(content=content, file_name="courses.xlsx")

    assert report.ok, report.errors
    assert Course.objects.get().credits == 3


def test_a_formula_whose_value_is_empty_text_is_an_empty_cell():
    """A spreadsheet saves a formula whose value is "" as a text cell with an empty value."""
    content = _rewrite_member(
        _workbook_of([["code", "title", "credits"], ["K1", "Logistics", '=""']]),
        "xl/worksheets/sheet1.xml",
        b'<c r="C2"><f>""</f><v /></c>',
        b'<c r="C2" t="str"><f>""</f><v></v></c>',
    )

    report = course_catalogue_import(content=content, file_name="courses.xlsx")

    assert report.ok, report.errors
    assert Course.objects.get().credits is None


def test_the_admin_preview_names_a_formula_saved_without_its_value(admin_client):
    content = _workbook_of([["code", "title", "credits"], ["K1", "Logistics", "=2+1"]])
    response = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "1", "import_file": SimpleUploadedFile("courses.xlsx", content)},
    )
    assert response.status_code == 200
    assert "formula saved without its value" in response.content.decode()


# --- XML declarations inside a workbook ----------------------------------------------------------

_LAUGHS = "".join(f'<!ENTITY lol{n} "{(f"&lol{n - 1};" if n else "lol") * 10}">' for n in range(10))
DOCTYPES = {
    # A billion laughs: ten entities, each ten of the one before.
    "entity-expansion": (f"<!DOCTYPE sheet [{_LAUGHS}]>", "&lol9;"),
    # An external entity: the server's own files read into a cell.
    "external-entity": ('<!DOCTYPE sheet [<!ENTITY x SYSTEM "file:///etc/hostname">]>', "&x;"),
}


def _with_doctype(doctype: str, entity: str) -> bytes:
    """COURSES as an XLSX whose sheet declares `doctype` and shows `entity` as K1's title."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx([["code", "title"], ["K1", "TITLE"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if text.startswith("<?xml"):  # the DOCTYPE goes after the XML declaration
                    text = text.split("?>", 1)[1]
                data = f'<?xml version="1.0"?>{doctype}{text}'.replace("TITLE", entity).encode()
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("case", DOCTYPES, ids=list(DOCTYPES))
def test_a_workbook_declaring_entities_is_refused_unexpanded(staff_client, case):
    """Python's parser (expat) refuses both attacks, and openpyxl uses it while neither lxml nor
    defusedxml is installed: this pins it, so that a dependency bringing lxml (which reads
    local files into external entities) cannot open the door unnoticed."""
    content = _with_doctype(*DOCTYPES[case])
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("courses.xlsx", content)},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "cannot be read as XLSX" in str(response.json()["file"])
    assert not Course.objects.filter(code="K1").exists()


# --- control characters in a catalogue's text -----------------------------------------------------


@pytest.mark.parametrize(
    ("column", "row"),
    [
        ("title", "K1,\x1b[31mLogistics,2,"),
        ("title", "K1,Logi\x85stics,2,"),
        ("title", 'K1,"Logi\nstics",2,'),
        ("description", "K1,Logistics,2,Ports\x0band ships"),
    ],
)
def test_a_control_character_in_a_course_text_is_an_error_on_its_line(column, row):
    """Observed: a title with an escape (a terminal's colour code), a U+0085 or a line break,
    or a description with a vertical tab, was imported as written; the names of a page, a
    workbook and the chart served alone then carried it."""
    content = f"code,title,credits,description\nK0,Payments,3,\n{row}\n".encode()

    report = course_catalogue_import(content=content, file_name="courses.csv")

    assert [error["line"] for error in report.errors] == [3], report.errors
    assert list(report.errors[0]["errors"]) == [column]
    assert "U+" in report.errors[0]["errors"][column][0]
    assert not Course.objects.exists()


def test_a_description_keeps_its_tabs_and_line_breaks():
    content = b'code,title,description\nK1,Logistics,"Ports\tand\nships"\n'

    report = course_catalogue_import(content=content, file_name="courses.csv")

    assert report.ok, report.errors
    assert Course.objects.get().description == "Ports\tand\nships"


def test_a_background_import_reports_a_control_character_on_its_line(tmp_path):
    path = tmp_path / "courses.csv"
    path.write_bytes(b"code,title\nK0,Payments\nK1,Logi\x1bstics\n")

    report = framework_import(path=path, format=ImportFormat.COURSES)

    assert report.error["where"] == "line 3", report.error
    assert "U+001B" in report.error["message"]
    assert not Course.objects.exists()


def test_a_control_character_in_a_link_note_is_an_error_on_its_line():
    from curricula.models import CourseAbility
    from curricula.services import course_ability_import
    from positions.tests.factories import AbilityFactory

    ability = AbilityFactory(code="A1")
    CourseFactory(code="K1")
    content = (
        "course,framework,ability,level,note\n"
        f"K1,{ability.framework.identifier},A1,M,bell\x07here\n"
    ).encode()

    report = course_ability_import(content=content, file_name="links.csv")

    assert [error["line"] for error in report.errors] == [2], report.errors
    assert list(report.errors[0]["errors"]) == ["note"]
    assert not CourseAbility.objects.exists()


@pytest.mark.parametrize(
    ("column", "row"),
    [
        ("title", "K1,Logistics\x85,2,"),
        ("title", "K1,\x1fLogistics,2,"),
        ("description", "K1,Logistics,2,Ports and ships\x1c"),
        ("code", "K1\x85,Logistics,2,"),
    ],
)
def test_a_control_character_at_an_end_of_a_cell_is_an_error_as_one_inside(column, row):
    """Observed: str.strip() took a U+0085 or U+001C to U+001F at either end of a cell as
    whitespace, and the course was imported without it, where one inside is refused."""
    content = f"code,title,credits,description\nK0,Payments,3,\n{row}\n".encode()

    report = course_catalogue_import(content=content, file_name="courses.csv")

    assert [error["line"] for error in report.errors] == [3], report.errors
    assert list(report.errors[0]["errors"]) == [column]
    assert not Course.objects.exists()


def test_spaces_around_a_catalogue_cell_are_still_trimmed():
    content = b'code,title,description\n K1 ,\tLogistics ,"  Ports\n ships  "\n'

    report = course_catalogue_import(content=content, file_name="courses.csv")

    assert report.ok, report.errors
    course = Course.objects.get()
    assert (course.code, course.title, course.description) == ("K1", "Logistics", "Ports\nships")
