"""The course catalogue import: one service behind the admin, the API and import_courses."""

import io
import json
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from certifications.models import TrainingStage
from core.models import Provenance
from curricula.models import Course, Module
from curricula.services import course_catalogue_import
from curricula.tests.factories import CourseFactory
from curricula.tests.plan_imports import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = "code,title,description,outcomes,credits,module,stage"


@pytest.fixture
def places():
    return (
        Module.objects.create(code="EC", name="E-commerce"),
        TrainingStage.objects.create(code="PRACTICE", name="Practice", order=3),
    )


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _spreadsheet(kind: str, rows: list[list], *, width: int = 0) -> bytes:
    """`rows` as a CSV (each padded with empty cells to `width`, as Excel writes a sheet) or
    as an XLSX."""
    if kind == "xlsx":
        return xlsx_bytes(rows)
    return "".join(",".join(row + [""] * (width - len(row))) + "\n" for row in rows).encode()


def test_a_csv_catalogue_creates_and_updates_courses_with_outcomes(places, staff_user):
    module, stage = places
    existing = CourseFactory(code="C2", title="Old title")
    content = _csv(
        'C1,Databases,Relational databases.,"Describe the relational model\nDesign a schema",'
        "3.5,EC,Practice",
        "C2,Web development,,,2,E-commerce,3",
    )
    report = course_catalogue_import(content=content, file_name="courses.csv", user=staff_user)
    assert report.as_dict()["errors"] == []
    assert (report.created, report.updated) == (1, 1)
    course = Course.objects.get(code="C1")
    assert course.outcomes == "Describe the relational model\nDesign a schema"
    assert str(course.credits) == "3.5"
    assert (course.module, course.stage) == (module, stage)
    assert course.provenance == Provenance.IMPORT
    assert course.source_ref == "courses.csv, line 2"
    assert course.history.latest().history_user == staff_user
    existing.refresh_from_db()
    assert existing.title == "Web development"
    assert existing.stage == stage


def test_bad_rows_are_reported_by_line_and_nothing_is_written(places):
    content = _csv(
        "C1,Databases,,,3,EC,",
        ",No code,,,3,,",
        "C3,Bad credits,,,three,NOPE,Later",
    )
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert not report.ok
    by_line = {error["line"]: error["errors"] for error in report.errors}
    assert set(by_line) == {3, 4}, "the header is line 1"
    assert "code" in by_line[3]
    assert set(by_line[4]) == {"credits", "module", "stage"}
    assert not Course.objects.exists()


def test_a_dry_run_writes_nothing(places):
    report = course_catalogue_import(
        content=_csv("C1,Databases,,,3,,"), file_name="c.csv", dry_run=True
    )
    assert report.ok
    assert report.created == 1
    assert not Course.objects.exists()


def test_an_xlsx_catalogue_with_multi_line_outcome_cells(places):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Code", "Title", "Description", "Outcomes", "Credits", "Module", "Stage"])
    sheet.append(["101", "Logistics", None, "Plan shipments\r\nCompare carriers", 2, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = course_catalogue_import(content=buffer.getvalue(), file_name="catalogue.xlsx")
    assert report.ok, report.errors
    course = Course.objects.get(code="101")
    assert course.outcomes == "Plan shipments\nCompare carriers"


def test_blank_rows_of_a_spreadsheet_are_skipped_and_lines_are_the_sheets_rows(places):
    """Spreadsheets keep blank rows between groups and formatted empty rows after the data: they
    are not courses. A problem below them is reported at the row the spreadsheet shows."""
    rows = [
        ["code", "title", "credits", None],
        ["K1", "Logistics", 2, None],
        [None, None, None, None],
        ["  ", None, "", None],
        ["K2", "Payments", "two", None],
        [None, None, None, None],
    ]
    report = course_catalogue_import(content=xlsx_bytes(rows), file_name="catalogue.xlsx")
    assert report.errors == [
        {"line": 5, "errors": {"credits": ["Credits must be a number, not “two”."]}}
    ]
    rows[4][2] = 2
    report = course_catalogue_import(content=xlsx_bytes(rows), file_name="catalogue.xlsx")
    assert report.ok, report.errors
    assert report.created == 2
    assert sorted(Course.objects.values_list("code", flat=True)) == ["K1", "K2"]


def test_a_file_of_another_kind_or_without_the_columns_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        course_catalogue_import(content=b"x", file_name="courses.pdf")
    with pytest.raises(ValidationError, match="code"):
        course_catalogue_import(content=b"name,credits\nA,3\n", file_name="courses.csv")


def test_a_file_with_only_some_optional_columns_leaves_the_others_as_they_are(places):
    """Only code and title are required: a file without credits, module or stage imports, and
    the courses it updates keep the values those columns would have set."""
    module, stage = places
    kept = CourseFactory(code="C2", title="Old", credits=4, module=module, stage=stage)
    report = course_catalogue_import(
        content=b"code,title,description\nC1,Databases,Relational.\nC2,Web,Pages.\n",
        file_name="courses.csv",
    )
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    assert Course.objects.get(code="C1").description == "Relational."
    kept.refresh_from_db()
    assert (kept.title, kept.description) == ("Web", "Pages.")
    assert (kept.credits, kept.module, kept.stage) == (4, module, stage)


@pytest.mark.parametrize(
    "content", [b"", b"\xef\xbb\xbf", b"\n\n", b",,\n"], ids=["empty", "bom", "blank", "commas"]
)
def test_a_file_without_a_header_row_is_refused_with_a_message_that_says_so(content):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        course_catalogue_import(content=content, file_name="courses.csv")
    message = " ".join(raised.value.message_dict["file"])
    assert "code, title" in message
    assert "NoneType" not in message


@pytest.mark.parametrize("encoding", ["gbk", "cp1252"])
def test_a_csv_not_in_utf8_is_refused_naming_its_first_such_line(encoding):
    """Excel's plain "CSV" is written in the computer's code page (GBK on a Chinese Windows):
    refused naming the line, and where it reads as GB18030 into Chinese, saying so (the encoding
    to choose: core.tests.test_csv_encodings), never read so unasked."""
    from django.core.exceptions import ValidationError

    content = f"{HEADER}\nC1,Databases,,,3,,\nC2,跨境电商 Économie,,,3,,\n".encode(
        encoding, errors="replace"
    )
    with pytest.raises(ValidationError) as raised:
        course_catalogue_import(content=content, file_name="courses.csv")
    [message] = raised.value.message_dict["file"]
    assert message.startswith("Line 3 is not UTF-8 text")
    assert ("it reads as GB18030 (Chinese Windows)" in message) == (encoding == "gbk")
    assert "CSV UTF-8" in message
    assert not Course.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_title_above_the_header_row_is_read_past_and_named(places, kind):
    """A catalogue often starts with a title and a blank line (Excel writes the title's row with
    as many commas as the sheet is wide). Refused before ("Line 3 looks like the header row:
    remove the lines above it."): the header row named, the title is read past, and said."""
    rows = [["Course catalogue 2026"], [], HEADER.split(","), ["C1", "Databases", "", "", "3"]]
    content = _spreadsheet(kind, rows, width=7)
    report = course_catalogue_import(content=content, file_name=f"courses.{kind}")
    assert report.errors == []
    assert report.as_dict()["lines_above_header"] == [1]
    assert Course.objects.get(code="C1").source_ref == f"courses.{kind}, line 4"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_value_in_a_column_the_header_does_not_name_is_refused_by_its_line(kind):
    """It would otherwise be dropped unseen: a CSV or a sheet alike."""
    from django.core.exceptions import ValidationError

    rows = [["code", "title"], ["C1", "Databases"], ["C2", "Web", "stray"]]
    content = _spreadsheet(kind, rows)
    with pytest.raises(ValidationError) as raised:
        course_catalogue_import(content=content, file_name=f"courses.{kind}")
    assert raised.value.message_dict["file"] == [
        "Line 3 has a value in column 3, which the header row (line 1) does not name."
    ]
    assert not Course.objects.exists()


def test_the_api_imports_and_answers_problems_by_line(staff_client, api_client, places):
    upload = SimpleUploadedFile("courses.csv", _csv("C1,Databases,,,3,,"))
    response = staff_client.post("/api/v1/courses/import/", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    bad = SimpleUploadedFile("courses.csv", _csv("C1,,,,3,,"))
    response = staff_client.post("/api/v1/courses/import/", {"file": bad}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 2
    upload = SimpleUploadedFile("courses.csv", _csv("C9,Other,,,3,,"))
    assert api_client.post("/api/v1/courses/import/", {"file": upload}).status_code in (401, 403)
    assert not Course.objects.filter(code="C9").exists()


def test_the_command_imports_and_fails_with_the_lines(tmp_path, places):
    good = tmp_path / "courses.csv"
    good.write_bytes(_csv("C1,Databases,,,3,,"))
    out = StringIO()
    call_command("import_courses", str(good), "--json", stdout=out)
    assert json.loads(out.getvalue())["created"] == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("C2,Fine,,,3,,", "C3,Broken,,,x,,"))
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_courses", str(bad), stderr=err)
    assert "line 3" in err.getvalue()
    assert not Course.objects.filter(code="C2").exists()


def test_the_admin_previews_then_confirms(admin_client, places):
    upload = SimpleUploadedFile("courses.csv", _csv("C1,Databases,,Design a schema,3,,"))
    preview = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    )
    assert preview.status_code == 200
    assert not Course.objects.exists(), "the preview writes nothing"
    confirm = admin_client.post(
        reverse("admin:curricula_course_process_import"),
        preview.context["confirm_form"].initial,
    )
    assert confirm.status_code == 302
    assert Course.objects.get(code="C1").outcomes == "Design a schema"


def test_the_admin_names_the_first_line_of_a_csv_not_in_utf8(admin_client):
    upload = SimpleUploadedFile("courses.csv", f"{HEADER}\nC1,Économie,,,3,,\n".encode("cp1252"))
    response = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    )
    assert response.status_code == 200
    assert "Line 2 is not UTF-8 text." in response.content.decode()
    assert not Course.objects.exists()


def test_the_admin_previews_a_csv_in_utf16_with_its_byte_order_mark(admin_client):
    """Excel's "Unicode Text": UTF-16 with a byte order mark, tab-separated."""
    content = "code\ttitle\r\nK1\t数据库\r\n".encode("utf-16")
    upload = SimpleUploadedFile("courses.csv", content)
    preview = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    )
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None, preview.content.decode()[:2000]
    assert preview.context["result"].totals["new"] == 1


def test_the_admin_skips_blank_rows_of_a_spreadsheet_too(admin_client):
    rows = [["code", "title"], ["K1", "Logistics"], [None, None], ["K2", "Payments"]]
    upload = SimpleUploadedFile("catalogue.xlsx", xlsx_bytes(rows))
    preview = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "1", "import_file": upload}
    )
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None, preview.content.decode()[:2000]
    assert preview.context["result"].totals["new"] == 2


def test_blank_rows_of_a_csv_from_a_spreadsheet_are_skipped(places):
    """Excel writes a blank row of a sheet as a line of commas."""
    content = _csv("C1,Databases,,,3,,", ",,,,,,", "C2,Web,,,x,,")
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert [error["line"] for error in report.errors] == [4]
    assert set(report.errors[0]["errors"]) == {"credits"}


def test_the_admin_names_the_line_of_a_value_in_a_column_the_header_does_not_name(admin_client):
    upload = SimpleUploadedFile("courses.csv", b"code,title\nC1,Databases,extra\n")
    response = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    )
    assert "Line 2 has a value in column 3, which the header row (line 1) does not name." in (
        response.content.decode()
    )
    assert not Course.objects.exists()


def test_the_admin_shows_a_problem_with_the_whole_file_without_a_traceback(admin_client):
    """django-import-export's page printed the Python traceback, with the server's paths, under
    an error with the file as a whole."""
    upload = SimpleUploadedFile("courses.csv", b"name,credits\nDatabases,3\n")
    response = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    )

    page = response.content.decode()
    assert "The file lacks the column(s): code, title." in page
    assert "Traceback" not in page
    assert 'class="traceback"' not in page
    assert "site-packages" not in page


@pytest.mark.parametrize(
    ("form", "query", "dry_run"),
    [
        ({"dry_run": "true"}, "", True),
        ({"dry_run": "yes"}, "", True),
        ({}, "?dry_run=true", True),
        ({}, "?dry_run=1", True),
        ({"dry_run": "true"}, "?dry_run=true", True),
        ({"dry_run": "false"}, "", False),
        ({}, "", False),
    ],
)
def test_the_api_reads_dry_run_from_the_form_or_the_query_string(
    staff_client, form, query, dry_run
):
    upload = SimpleUploadedFile("courses.csv", _csv("C1,Databases,,,3,,"))
    response = staff_client.post(
        f"/api/v1/courses/import/{query}", {"file": upload, **form}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["dry_run"] is dry_run
    assert Course.objects.filter(code="C1").exists() is not dry_run


@pytest.mark.parametrize(
    ("form", "query", "message"),
    [
        ({"dry_run": "ture"}, "", "Give dry_run as true or false, not “ture”."),
        ({}, "?dry_run=maybe", "Give dry_run as true or false, not “maybe”."),
        ({"dry_run": "false"}, "?dry_run=true", "dry_run is given both as true and as false."),
    ],
)
def test_a_dry_run_not_asked_for_as_true_or_false_is_refused_and_writes_nothing(
    staff_client, form, query, message
):
    """A typo for "true" read as "no" imported for real what the client meant to check."""
    upload = SimpleUploadedFile("courses.csv", _csv("C1,Databases,,,3,,"))
    response = staff_client.post(
        f"/api/v1/courses/import/{query}",
        {"file": upload, **form},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["dry_run"] == [message]
    assert not Course.objects.exists()


def test_the_courses_a_file_names_are_read_in_a_few_queries_not_one_per_row(places):
    """The library read each row's course with its own query: at 5,000 courses, 60% of the
    import's time (README: catalogues of thousands of courses)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for code in ("C1", "C2", "C3"):
        CourseFactory(code=code)
    rows = "\n".join(f"C{n},Course {n},,,3,," for n in range(1, 41))
    content = f"code,title,description,outcomes,credits,module,stage\n{rows}\n".encode()
    with CaptureQueriesContext(connection) as captured:
        report = course_catalogue_import(content=content, file_name="c.csv", dry_run=True)
    assert report.ok
    lookups = [
        q["sql"]
        for q in captured
        # Reads of the rows' courses (not full_clean's uniqueness checks, SELECT 1 AS "a").
        if q["sql"].startswith('SELECT "curricula_course"."id"')
        and 'FROM "curricula_course" ' in q["sql"]
        and '"curricula_course"."code" =' in q["sql"]
    ]
    assert lookups == []


def test_rows_are_checked_without_a_uniqueness_query_each(places):
    """full_clean() asked the database, for every row, whether its code and its identifier were
    taken and whether its credits met the table's constraint: half of a 5,000-course import. The
    import answers those itself (codes matched ahead, a code twice refused, credits checked)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = "\n".join(f"N{n},Course {n},,,3,," for n in range(1, 31))
    content = f"code,title,description,outcomes,credits,module,stage\n{rows}\n".encode()
    with CaptureQueriesContext(connection) as captured:
        report = course_catalogue_import(content=content, file_name="c.csv", dry_run=True)
    assert report.ok
    # (Not the one question of the whole import whether courses were ever given suggestions:
    # suggestions.signals asks it once, for the new courses' refresh.)
    assert [
        q["sql"]
        for q in captured
        if q["sql"].startswith('SELECT 1 AS "a"') and "curricula_suggestionscope" not in q["sql"]
    ] == []


def test_a_code_given_twice_or_negative_credits_are_still_refused_by_line(places):
    content = b"code,title,credits\nC1,One,1\nC1,Again,2\nC2,Two,-1\n"
    report = course_catalogue_import(content=content, file_name="c.csv")
    assert [error["line"] for error in report.errors] == [3, 4]
    assert not Course.objects.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_module_and_stage_match_in_any_case_and_by_their_chinese_names(kind):
    """A catalogue written by people says "theory teaching", "THEORY TEACHING" or "理论教学", not
    only the exact English name or code, and a Chinese input method types IB in full width."""
    module = Module.objects.create(
        code="IB", name="International business module", name_zh="国际商务模块"
    )
    stage = TrainingStage.objects.create(
        code="theory", name="Theory teaching", name_zh="理论教学", order=1
    )
    rows = [
        ["code", "title", "module", "stage"],
        ["K1", "Trade", "international business module", "THEORY TEACHING"],
        ["K2", "Law", "国际商务模块", "理论教学"],
        ["K3", "Customs", "ib", "Theory"],
        ["K4", "Finance", " International  Business Module ", "1"],
        # typed with a Chinese input method's full-width letters, digits and space
        ["K5", "Logistics", "ＩＢ", "Ｔｈｅｏｒｙ\u3000ｔｅａｃｈｉｎｇ"],  # noqa: RUF001
        ["K6", "Payments", "国际商务模块\u3000", "１"],  # noqa: RUF001
    ]
    report = course_catalogue_import(content=_spreadsheet(kind, rows), file_name=f"c.{kind}")
    assert report.errors == []
    for code in ["K1", "K2", "K3", "K4", "K5", "K6"]:
        course = Course.objects.get(code=code)
        assert (course.module, course.stage) == (module, stage), code


def test_an_unknown_module_or_stage_is_refused_by_line_listing_the_accepted_values():
    Module.objects.create(code="IB", name="International business module", name_zh="国际商务模块")
    TrainingStage.objects.create(code="theory", name="Theory teaching", name_zh="理论教学", order=1)
    content = "code,title,module,stage\nK1,Trade,商务,practice\n".encode()

    report = course_catalogue_import(content=content, file_name="c.csv")

    assert [error["line"] for error in report.errors] == [2]
    errors = report.errors[0]["errors"]
    for column, given, accepted in [
        ("module", "商务", ["IB", "International business module", "国际商务模块"]),
        ("stage", "practice", ["theory", "Theory teaching", "理论教学", "1"]),
    ]:
        (message,) = errors[column]
        assert f"“{given}”" in message
        for value in accepted:
            assert value in message, (column, value)
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("url", "content", "columns"),
    [
        # Refused as a whole before it is read (not UTF-8), refused for its columns, refused
        # for a row: the page still says which columns a file should have.
        (
            "admin:curricula_course_import",
            f"{HEADER}\nC1,Économie,,,3,,\n".encode("cp1252"),
            "code, title, title_zh, description, outcomes, credits, module, stage, language, term",
        ),
        (
            "admin:curricula_course_import",
            b"name,credits\nDatabases,3\n",
            "code, title, title_zh, description, outcomes, credits, module, stage, language, term",
        ),
        (
            "admin:curricula_course_import",
            b"code,title,credits\nC1,Databases,three\n",
            "code, title, title_zh, description, outcomes, credits, module, stage, language, term",
        ),
        (
            "admin:curricula_courseability_import",
            "course,framework\nC1,Économie\n".encode("cp1252"),
            "course, framework, ability, level, note, note_zh, ability_uri, ability_external_id",
        ),
        (
            "admin:curricula_courseability_import",
            b"",
            "course, framework, ability, level, note, note_zh, ability_uri, ability_external_id",
        ),
    ],
    ids=["not-utf8", "no-columns", "bad-row", "links-not-utf8", "links-empty"],
)
def test_the_admin_import_page_lists_the_expected_columns_after_a_refused_file(
    admin_client, url, content, columns
):
    page = admin_client.get(reverse(url)).content.decode()
    assert f"<code>{columns}</code>" in page

    upload = SimpleUploadedFile("file.csv", content)
    response = admin_client.post(reverse(url), {"format": "0", "import_file": upload})

    assert response.status_code == 200
    assert response.context.get("confirm_form") is None, "the file is refused"
    assert f"<code>{columns}</code>" in response.content.decode()


def test_a_module_merged_down_beside_its_courses_is_read_on_each_of_them(places):
    """Observed: a catalogue naming each module once, in a cell merged down beside its courses
    (as Chinese 培养方案 tables and many registry sheets are laid out), gave the module to the
    first course of each group only; the others were imported without one, and nothing said so.
    A person reading the sheet sees the merged cell beside every one of those rows."""
    module = places[0]
    other = Module.objects.create(code="LOG", name="Logistics")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "title", "module", "credits"])
    sheet.append(["M1", "Shop platforms", "EC", 2])
    sheet.append(["M2", "Online payments", None, 3])
    sheet.append(["M3", "Store design", None, 2])
    sheet.append(["L1", "Customs", "LOG", 2])
    sheet.append(["L2", "Warehousing", None, 2])
    sheet.merge_cells("C2:C4")
    sheet.merge_cells("C5:C6")
    sheet.merge_cells("D3:D3")  # a one-cell "merge", as some writers leave them
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = course_catalogue_import(content=buffer.getvalue(), file_name="catalogue.xlsx")
    assert report.ok, report.errors
    modules = dict(Course.objects.values_list("code", "module_id"))
    assert modules == {
        "M1": module.pk,
        "M2": module.pk,
        "M3": module.pk,
        "L1": other.pk,
        "L2": other.pk,
    }


def test_a_title_merged_across_the_top_and_a_merged_header_are_not_spread_into_the_table():
    """Only cells merged down over the table's own rows are spread: a title merged across the
    top is still a title above the header, read past as one (it was refused as one: "Line 2
    looks like the header row: remove the lines above it")."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Catalogue 2026"])
    sheet.merge_cells("A1:C1")
    sheet.append(["code", "title", "credits"])
    sheet.append(["K1", "Logistics", 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = course_catalogue_import(content=buffer.getvalue(), file_name="catalogue.xlsx")
    assert report.errors == []
    assert report.as_dict()["lines_above_header"] == [1]
    course = Course.objects.get()
    assert (course.code, course.title, course.credits) == ("K1", "Logistics", 2)


def test_a_code_excel_turned_into_a_date_is_refused_on_its_line_saying_so():
    """Observed: a code typed as 1-3 (or 3/1), which Excel stores as a date, was imported as the
    course “2026-03-01 00:00:00”, a code nobody typed, without a word."""
    import datetime

    content = xlsx_bytes(
        [
            ["code", "title"],
            ["K1", "Logistics"],
            [datetime.datetime(2026, 3, 1), "Payments"],  # noqa: DTZ001 (as a sheet stores it)
        ]
    )
    report = course_catalogue_import(content=content, file_name="catalogue.xlsx")
    assert not report.ok
    [error] = report.errors
    assert error["line"] == 3
    [message] = error["errors"]["code"]
    assert "date" in message
    assert "2026-03-01" in message
    assert not Course.objects.exists()
