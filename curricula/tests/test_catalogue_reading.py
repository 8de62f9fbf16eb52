# ruff: noqa: RUF002  (Chinese text takes full-width brackets and separators)
"""How a course catalogue file is read (core.csv, core.xlsx, curricula.resources), the same for
the admin's preview, the API and import_courses: a file is imported as the registrar wrote it,
or refused with the line to look at; never read as something else."""

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from certifications.models import TrainingStage
from curricula.models import Course, Module
from curricula.services import course_catalogue_import
from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def _refusal(content: bytes, file_name: str = "courses.csv") -> list[str]:
    with pytest.raises(ValidationError) as raised:
        course_catalogue_import(content=content, file_name=file_name)
    assert not Course.objects.exists()
    return raised.value.message_dict["file"]


def _admin_preview(client, content: bytes, file_name: str = "courses.csv"):
    upload = SimpleUploadedFile(file_name, content)
    kind = "1" if file_name.endswith(".xlsx") else "0"
    return client.post(
        reverse("admin:curricula_course_import"), {"format": kind, "import_file": upload}
    )


UNCLOSED_QUOTE = (
    b"code,title,description,outcomes,credits\n"
    b'Q1,First,desc,"Explain X\n'  # the quote opened here is never closed
    b"Apply Y,3\n"
    b"Q2,Second,desc,Explain Z,2\n"
    b"Q3,Third,desc,Explain W,2\n"
)


def test_a_quote_never_closed_is_refused_naming_the_line_it_opens_on():
    """Read leniently, the first course's outcomes took every line after it and the other
    courses were never imported (1 created, 200)."""
    assert _refusal(UNCLOSED_QUOTE) == [
        "Line 2 opens a quote that is never closed, so every line after it would be read into "
        "one cell. Close the quote (a quote inside a cell is written twice)."
    ]


def test_the_admin_preview_names_the_line_of_a_quote_never_closed(admin_client):
    response = _admin_preview(admin_client, UNCLOSED_QUOTE)
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    [message] = response.context["form"].errors["import_file"]
    assert message.startswith("Line 2 opens a quote that is never closed")
    assert not Course.objects.exists()


def test_text_after_a_closing_quote_is_refused_naming_its_line():
    """Leniently, `"Intro" to SQL` became `Intro to SQL`, the quotes silently dropped."""
    content = b'code,title\nC1,Databases\nC2,"Intro" to SQL\n'
    assert _refusal(content) == [
        "Line 3 has text after the closing quote of a cell. Quote the whole cell and write each "
        "quote inside it twice."
    ]


def test_a_cell_longer_than_the_csv_modules_default_bound_imports():
    """csv refuses a cell over 131,072 characters unless told otherwise ("field larger than field
    limit", with no line); an import's bound is IMPORT_MAX_LINE_CHARS (1,000,000)."""
    description = "x" * 150_000
    content = f"code,title,description\nC1,Databases,{description}\n".encode()
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.ok, report.errors
    assert Course.objects.get(code="C1").description == description


def _long_cell(settings) -> bytes:
    settings.IMPORT_MAX_LINE_CHARS = 1000
    outcomes = "\n".join(["y" * 500] * 3)  # each line within the bound, the cell past it
    return f'code,title,outcomes\nC1,Databases,\nC2,Web,"{outcomes}"\n'.encode()


def test_a_cell_past_the_import_bound_is_refused_naming_its_line(settings):
    assert _refusal(_long_cell(settings)) == [
        "Line 3 has a cell longer than 1000 characters (IMPORT_MAX_LINE_CHARS), or a quote that "
        "is never closed."
    ]


def test_the_admin_preview_names_the_line_of_a_cell_past_the_import_bound(settings, admin_client):
    response = _admin_preview(admin_client, _long_cell(settings))
    assert response.context.get("confirm_form") is None
    [message] = response.context["form"].errors["import_file"]
    assert message.startswith("Line 3 has a cell longer than 1000 characters")


def _xlsx_with_numbers_written_as(written: dict[bytes, bytes]) -> bytes:
    """A catalogue sheet of number codes whose cells' XML is rewritten (b"<v>101</v>" to
    b"<v>101.0</v>"), as writers other than Excel store them."""
    workbook = openpyxl.Workbook()
    for row in [["code", "title", "credits"], [101, "Logistics", 3], [102, "Payments", 2]]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for old, new in written.items():
                    assert old in data
                    data = data.replace(old, new)
            target.writestr(item, data)
    return out.getvalue()


def test_a_whole_number_stored_as_a_float_is_read_as_the_integer():
    """Course 101 written <v>101.0</v> (or 1.02E2 for 102) updates course 101; it came in as a
    second course "101.0"."""
    CourseFactory(code="101", title="Old title")
    written = {b"<v>101</v>": b"<v>101.0</v>", b"<v>102</v>": b"<v>1.02E2</v>"}
    content = _xlsx_with_numbers_written_as({**written, b"<v>3</v>": b"<v>3.0</v>"})
    report = course_catalogue_import(content=content, file_name="courses.xlsx")
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    assert dict(Course.objects.values_list("code", "title")) == {
        "101": "Logistics",
        "102": "Payments",
    }
    assert Course.objects.get(code="101").credits == 3


@pytest.mark.parametrize(
    ("written", "credits"),
    [
        ("3.5", "3.5"),
        ('"3,5"', "3.5"),
        ("4", "4"),
        # Typed with a Chinese input method in full-width mode (observed: refused as no number).
        ("２．５", "2.5"),  # noqa: RUF001
        ("３", "3"),  # noqa: RUF001
        ('"３，５"', "3.5"),  # noqa: RUF001
    ],
)
def test_credits_are_read_with_a_decimal_point_or_comma(written, credits):
    content = f"code,title,credits\nC1,Databases,{written}\n".encode()
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.ok, report.errors
    assert Course.objects.get(code="C1").credits == Decimal(credits)


def test_credits_with_an_underscore_are_not_a_number():
    """Python's Decimal reads "3_5" as 35 (digit grouping in code); no registrar means that."""
    content = b"code,title,credits\nC1,Databases,2\nC2,Web,3_5\n"
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.errors == [
        {"line": 3, "errors": {"credits": ["Credits must be a number, not “3_5”."]}}
    ]
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("1,000.5", ""),
        ("3,0 ECTS", ": write 3,0"),
        ("３ ＥＣＴＳ", ": write 3"),  # noqa: RUF001 (full width, as typed)
        ("3,5 credits", ": write 3,5"),
    ],
)
def test_credits_that_are_no_number_are_quoted_as_the_cell_writes_them(written, said):
    """Observed: "1,000.5" was refused as not a number, “1.000.5”, and "3,0 ECTS" as “3.0 ECTS”:
    the message quoted text the cell does not hold (its commas made points, full width made
    ASCII), so the registrar searching the file for it found nothing."""
    content = f'code,title,credits\nC1,Databases,"{written}"\n'.encode()
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.errors == [
        {"line": 2, "errors": {"credits": [f"Credits must be a number, not “{written}”{said}."]}}
    ]


@pytest.mark.parametrize(
    ("written", "number"),
    [("20 ECTS", "20"), ("20ECTS", "20"), ("7.5 cr.", "7.5"), ("4 学分", "4"), ("3 credits", "3")],
)
def test_credits_written_with_their_unit_are_refused_saying_what_to_write(written, number):
    """Observed (a nursing catalogue): "Credits must be a number, not “20 ECTS”." left the
    registrar to guess what the column wants; the number is there to be read, so the message
    says to write it."""
    content = f"code,title,credits\nC1,Databases,{written}\n".encode()
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.errors == [
        {
            "line": 2,
            "errors": {"credits": [f"Credits must be a number, not “{written}”: write {number}."]},
        }
    ]
    assert not Course.objects.exists()


@pytest.mark.parametrize("written", ["two", "20-30 ECTS", "ECTS", "3_5 ECTS", "1.000,5"])
def test_credits_with_no_one_number_to_read_say_no_number_to_write(written):
    content = f'code,title,credits\nC1,Databases,"{written}"\n'.encode()
    report = course_catalogue_import(content=content, file_name="courses.csv")
    (message,) = report.errors[0]["errors"]["credits"]
    assert message == f"Credits must be a number, not “{written}”."


def test_negative_credits_are_refused_on_the_credits_column():
    """They were refused by the table's constraint, named as such ("course_credits_not_negative")
    under no column, and only after the row's other checks."""
    content = b"code,title,credits\nC1,Databases,-2\n"
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.errors == [{"line": 2, "errors": {"credits": ["Credits cannot be negative."]}}]


def test_a_stage_written_as_a_superscript_is_an_unknown_stage():
    """ "²" is a digit to str.isdigit(), and int() then failed with Python's own message."""
    content = "code,title,stage\nC1,Databases,²\n".encode()
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.errors[0]["line"] == 2
    assert report.errors[0]["errors"]["stage"][0].startswith("Unknown training stage “²”")


def test_a_csv_whose_lines_end_in_a_carriage_return_alone_is_read_line_by_line():
    """Excel for Mac's "CSV (Macintosh)" ends lines with a CR alone: refused with Python's
    "new-line character seen in unquoted field" and no line."""
    content = b'code,title,outcomes\rC1,Databases,"Explain keys\rDesign a schema"\rC2,,\r'
    report = course_catalogue_import(content=content, file_name="courses.csv")
    # Line 4 in a text editor, row 3 in a spreadsheet (C1's outcomes take two lines, one row).
    assert report.errors == [
        {"line": 4, "row": 3, "errors": {"title": ["Give the course a title (title or title_zh)."]}}
    ]
    content = content.replace(b"C2,,", b"C2,Web,")
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.ok, report.errors
    assert Course.objects.get(code="C1").outcomes == "Explain keys\nDesign a schema"
    assert Course.objects.filter(code="C2").exists()


def test_a_value_far_right_of_the_header_is_refused_by_its_line_in_the_admin_too(admin_client):
    lines = ["code,title", *[f"C{n},Course {n}" for n in range(2, 40)], "C40,Course," + "," * 4000]
    content = ("\n".join(lines) + "x\n").encode()
    response = _admin_preview(admin_client, content)
    assert response.context.get("confirm_form") is None
    assert response.context["form"].errors["import_file"] == [
        "Line 40 has a value in column 4003, which the header row (line 1) does not name."
    ]
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        # Excel's "CSV UTF-8" where the decimal mark is a comma (much of Europe)
        b'code;title;outcomes;credits\nC1;Databases;"Describe SQL;\nDesign a schema";3,5\n',
        b'code\ttitle\toutcomes\tcredits\nC1\tDatabases\t"Describe SQL;\nDesign a schema"\t3.5\n',
    ],
    ids=["semicolon", "tab"],
)
def test_a_csv_is_read_with_the_separator_its_header_row_uses(content):
    """A semicolon-separated file was refused as lacking the columns code and title, although its
    header names them."""
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.ok, report.errors
    course = Course.objects.get(code="C1")
    assert (course.title, course.outcomes) == ("Databases", "Describe SQL;\nDesign a schema")
    assert course.credits == Decimal("3.5")


def test_a_csv_whose_first_line_names_its_separator_as_excel_reads_it_is_read_so():
    """Observed: a registry's export written for Excel, starting with the line "sep=;" (which
    Excel reads as the separator to use, and does not show), was refused: "Line 2 looks like the
    header row: remove the lines above it." Its lines keep their numbers."""
    content = b"sep=;\r\ncode;title;credits\r\nC1;Databases, advanced;3,5\r\nC2;;2\r\n"
    report = course_catalogue_import(content=content, file_name="courses.csv", dry_run=True)
    # Row 3 of the sheet Excel shows, which does not show the "sep=" line.
    assert report.errors == [
        {"line": 4, "row": 3, "errors": {"title": ["Give the course a title (title or title_zh)."]}}
    ]
    content = content.replace(b"C2;;2", b"C2;Web;2")
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.ok, report.errors
    course = Course.objects.get(code="C1")
    assert (course.title, course.credits) == ("Databases, advanced", Decimal("3.5"))


def test_a_title_above_a_semicolon_separated_header_is_read_past_as_above_a_comma_one():
    """Refused before, "Line 3 looks like the header row: remove the lines above it.": the
    header found, the title above it is read past and named (test_programme_plan_tables)."""
    content = b"Course catalogue 2026;;;\n\ncode;title;outcomes;credits\nC1;Databases;;3,5\n"
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.errors == []
    assert report.as_dict()["lines_above_header"] == [1]
    assert Course.objects.get(code="C1").credits == Decimal("3.5")


def test_the_admin_previews_a_semicolon_separated_catalogue(admin_client):
    response = _admin_preview(admin_client, b"code;title;credits\nC1;Databases;3,5\n")
    assert response.context["confirm_form"] is not None
    assert response.context["result"].totals["new"] == 1


@pytest.mark.parametrize(
    ("header", "first", "second"),
    [
        ("code,title,title,credits", "title", "title"),
        ("code,Title,title ,credits", "Title", "title"),
    ],
)
def test_a_column_named_twice_is_refused_naming_it_and_the_header_line(header, first, second):
    """The last of the two silently won."""
    content = f"{header}\nC1,First title,Second title,1\n".encode()
    assert _refusal(content) == [
        f"The header row (line 1) names the column “title” twice, as “{first}” (column 2) and "
        f"“{second}” (column 3): keep one."
    ]


MISSPELT = b'code,title,Learning hours,Credit,Module name\nC1,Databases,"120",4,EB\n'
IGNORED = ["Learning hours", "Credit", "Module name"]


def test_columns_the_import_does_not_read_are_left_out_and_named():
    """A misspelt "Credit" was dropped without a word: the courses kept their old credits while
    the registrar believed them updated. Such columns are still not read (an SIS's extra columns,
    an export's id, must not stop an import) but every report names them."""
    CourseFactory(code="C1", title="Databases", credits=3)
    report = course_catalogue_import(content=MISSPELT, file_name="courses.csv")
    assert report.ok
    assert report.ignored_columns == IGNORED
    assert report.as_dict()["ignored_columns"] == IGNORED
    course = Course.objects.get(code="C1")
    assert (course.outcomes, course.credits) == ("", 3)


def test_the_api_command_and_admin_name_the_columns_the_import_does_not_read(
    staff_client, admin_client, tmp_path
):
    upload = SimpleUploadedFile("courses.csv", MISSPELT)
    response = staff_client.post(
        "/api/v1/courses/import/", {"file": upload, "dry_run": "true"}, format="multipart"
    )
    assert response.status_code == 200
    assert response.json()["ignored_columns"] == IGNORED

    path = tmp_path / "courses.csv"
    path.write_bytes(MISSPELT)
    err = io.StringIO()
    call_command("import_courses", str(path), "--dry-run", stderr=err)
    assert "Columns not read (left out): Learning hours, Credit, Module name" in err.getvalue()

    preview = _admin_preview(admin_client, MISSPELT)
    assert preview.context["confirm_form"] is not None
    assert "These columns are not read and will be left out: Learning hours, Credit, " in (
        preview.content.decode()
    )
    assert not Course.objects.exists()


def test_the_admin_names_the_columns_it_does_not_read_beside_the_problems_too(admin_client):
    """A file with a problem on a line was previewed with the problem alone: its misspelt
    "Cedits" column went unnamed until the line was fixed and the file uploaded again, while the
    command and the API name such columns beside the problems."""
    content = (
        "Dept,Course Code,Course Title,Cedits,credits\n"
        + "".join(f"Tourism,T{n},Course {n},4,{'x' if n == 5 else 2}\n" for n in range(1, 8))
    ).encode()
    preview = _admin_preview(admin_client, content)
    page = preview.content.decode()
    assert "Credits must be a number, not “x”." in page
    assert "These columns are not read and will be left out: Dept, Cedits." in page
    assert not Course.objects.exists()


@pytest.mark.parametrize("header", ["Title ZH", "title-zh", "Title  Zh", " TITLE_ZH "])
def test_the_chinese_title_column_is_read_however_its_words_are_joined(header):
    """ "Title ZH" (as a spreadsheet heading is written, with a space) was left out as a column
    the import does not read, and the Chinese titles with it: spaces and hyphens between a
    column name's words are read as its underscore."""
    content = f"code,title,{header}\nC1,Databases,数据库原理\n".encode()
    report = course_catalogue_import(content=content, file_name="courses.csv")
    assert report.ok
    assert report.ignored_columns == []
    assert Course.objects.get(code="C1").title_zh == "数据库原理"


@pytest.mark.parametrize(
    ("column", "written", "meant"),
    [
        ("module", "Networking technology", "NT (Network technology module, 网络技术模块)"),
        ("module", "Network technology", "NT (Network technology module, 网络技术模块)"),
        ("module", "Ecommerce basic module", "EB (E-commerce basic module, 电子商务基础模块)"),
        ("module", "网络技术", "NT (Network technology module, 网络技术模块)"),
        ("stage", "Theory teachng", "THEORY (Theory teaching, 理论教学, 1)"),
    ],
)
def test_a_module_or_stage_nearly_named_is_refused_saying_which_one_it_may_mean(
    column, written, meant
):
    """A typo or a name cut short ("Networking technology", "Network technology") was refused
    with the whole list of accepted values to compare by eye; the message now names the
    closest one. It is still refused: an all-or-nothing import never guesses."""
    Module.objects.create(code="EB", name="E-commerce basic module", name_zh="电子商务基础模块")
    Module.objects.create(code="NT", name="Network technology module", name_zh="网络技术模块")
    TrainingStage.objects.create(code="THEORY", name="Theory teaching", name_zh="理论教学", order=1)
    content = f"code,title,{column}\nC1,Databases,{written}\n".encode()
    report = course_catalogue_import(content=content, file_name="courses.csv")
    [message] = report.errors[0]["errors"][column]
    assert message.endswith(f" Did you mean {meant}?")
    assert not Course.objects.exists()


def test_in_chinese_where_the_columns_were_looked_for_follows_the_refusal_with_no_space():
    """ "…缺少以下列：…。 已在工作表…": Chinese writes no space after 。. (It was said of the
    sentence naming the header row below a title, which is now read past: the one sentence
    that follows the refusal is the sheet's.)"""
    from django.utils import translation

    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表为 2026 级课程目录"])
    book.create_sheet("课程").append(["code", "title"])
    buffer = io.BytesIO()
    book.save(buffer)
    with translation.override("zh-hans"):
        [message] = _refusal(buffer.getvalue(), "courses.xlsx")
    assert "。已在工作表“说明”" in message, message


def test_in_chinese_the_guess_follows_the_refusal_with_no_space():
    """Chinese writes no space after 。: the admin's problem table read "…网络技术模块）。 您是否指
    NT（…）？"."""
    from django.utils import translation

    Module.objects.create(code="NT", name="Network technology module", name_zh="网络技术模块")
    content = b"code,title,module\nC1,Databases,Networking technology\n"
    with translation.override("zh-hans"):
        report = course_catalogue_import(content=content, file_name="courses.csv")
        guess = translation.gettext("Did you mean %(record)s?") % {
            "record": "NT（Network technology module、网络技术模块）"  # noqa: RUF001
        }
    [message] = report.errors[0]["errors"]["module"]
    assert guess != "Did you mean NT（Network technology module、网络技术模块）?"  # noqa: RUF001
    assert message.endswith(guess)
    assert message[: -len(guess)].endswith("。"), message


def test_a_value_near_no_module_is_refused_without_a_guess():
    Module.objects.create(code="EB", name="E-commerce basic module", name_zh="电子商务基础模块")
    content = b"code,title,module\nC1,Databases,Philosophy\n"
    report = course_catalogue_import(content=content, file_name="courses.csv")
    [message] = report.errors[0]["errors"]["module"]
    assert message.startswith("Unknown module “Philosophy”.")
    assert "Did you mean" not in message


@pytest.mark.parametrize(
    ("column", "written"),
    [("stage", "Year 4"), ("stage", "Semester 12"), ("module", "Nursing 2")],
)
def test_a_name_with_another_number_is_refused_without_a_guess(column, written):
    """A nursing school's catalogue named a fourth year its stages lacked ("Year 4" beside
    Year 1 to 3): the refusal asked "Did you mean Y3 (Year 3, 3)?", inviting the designer to
    put fourth-year courses in the third year. A different number names a different stage or
    module, not a typo of it: the refusal lists the accepted ones and guesses none."""
    for place in (1, 2, 3):
        TrainingStage.objects.create(code=f"Y{place}", name=f"Year {place}", order=place)
    TrainingStage.objects.create(code="S1", name="Semester 1", order=4)
    Module.objects.create(code="N1", name="Nursing 1")
    content = f"code,title,{column}\nC1,Databases,{written}\n".encode()
    report = course_catalogue_import(content=content, file_name="courses.csv")
    [message] = report.errors[0]["errors"][column]
    assert message.startswith(f"Unknown {'training stage' if column == 'stage' else column} ")
    assert "Did you mean" not in message
    assert not Course.objects.exists()


def test_a_typo_beside_the_same_number_is_still_named():
    TrainingStage.objects.create(code="Y3", name="Year 3", order=1)
    content = b"code,title,stage\nC1,Databases,Yaer 3\n"
    report = course_catalogue_import(content=content, file_name="courses.csv")
    [message] = report.errors[0]["errors"]["stage"]
    assert message.endswith(" Did you mean Y3 (Year 3, 1)?")


def test_the_admin_preview_names_the_programmes_whose_courses_the_file_updates(admin_client):
    """A designer importing a catalogue whose codes happened to be those of courses already
    taught (another programme's, the paper's "CBE101") saw only "Update" rows in the preview:
    confirming rewrote those programmes' courses. The preview says which programmes change."""
    from curricula.tests.factories import ProgrammeFactory

    taught = CourseFactory(code="C1", title="Dynamic web design")
    other = CourseFactory(code="C2", title="Online retail")
    CourseFactory(code="C3", title="Not taught anywhere")
    ProgrammeFactory(name="Programme A", courses=[taught, other])
    ProgrammeFactory(name="Programme B", courses=[taught])
    content = (
        b"code,title\nC1,Introduction to cross-border e-commerce\nC2,Online retail\n"
        b"C3,Renamed\nC4,New course\n"
    )
    preview = _admin_preview(admin_client, content)
    assert preview.context["confirm_form"] is not None
    html = " ".join(preview.content.decode().split())
    assert (
        "Courses this file changes are taught in these programmes, which change with them: "
        "Programme A (1 course), Programme B (1 course)."
    ) in html
    assert Course.objects.get(code="C1").title == "Dynamic web design"


def test_the_admin_preview_of_new_or_untaught_courses_names_no_programme(admin_client):
    CourseFactory(code="C3", title="Not taught anywhere")
    preview = _admin_preview(admin_client, b"code,title\nC3,Renamed\nC4,New course\n")
    assert preview.context["confirm_form"] is not None
    assert "which change with them" not in preview.content.decode()


def test_the_admin_preview_of_a_link_file_names_no_programme_by_a_link_s_id(admin_client):
    """The programmes named above a catalogue's preview are read from the courses it updates;
    a link file's rows are links, whose ids are no course's: read as course ids, they named a
    programme teaching whichever course had a changed link's id."""
    from curricula.tests.factories import CourseAbilityFactory, ProgrammeFactory
    from positions.tests.factories import AbilityFactory, FrameworkFactory, level

    framework = FrameworkFactory()
    ability = AbilityFactory(framework=framework, code="A1")
    linked = CourseFactory(code="LA")
    unrelated = CourseFactory(code="LB")
    ProgrammeFactory(name="Unrelated programme", courses=[unrelated])
    CourseAbilityFactory(id=unrelated.pk, course=linked, ability=ability, level=level("I"))
    content = f"course,framework,ability,level,note\nLA,{framework.identifier},A1,M,\n".encode()
    upload = SimpleUploadedFile("links.csv", content)
    preview = admin_client.post(
        reverse("admin:curricula_courseability_import"), {"format": "0", "import_file": upload}
    )
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None
    assert "Unrelated programme" not in preview.content.decode()


def test_a_chinese_refusal_of_an_unknown_module_lists_the_modules_as_chinese_does():
    """Observed: in Chinese the modules a refusal accepts read "EB (E-commerce basic module,
    电子商务基础模块); NT (…)", ASCII brackets and separators hard-coded where the pages write
    the catalogue's （…）, 、 and ；."""
    from django.utils import translation

    Module.objects.create(code="EB", name="E-commerce basic module", name_zh="电子商务基础模块")
    Module.objects.create(code="NT", name="Network technology module", name_zh="网络技术模块")
    content = b"code,title,module\nC1,Databases,Philosophy\n"
    with translation.override("zh-hans"):
        report = course_catalogue_import(content=content, file_name="courses.csv")
        bracketed = translation.pgettext(
            "a name, then what is said of it in brackets", "%(name)s (%(said)s)"
        )
        comma = translation.pgettext("list separator", ", ")
        semicolon = translation.pgettext("list separator", "; ")
    [message] = report.errors[0]["errors"]["module"]
    accepted = semicolon.join(
        bracketed % {"name": code, "said": comma.join(names)}
        for code, names in (
            ("EB", ["E-commerce basic module", "电子商务基础模块"]),
            ("NT", ["Network technology module", "网络技术模块"]),
        )
    )
    assert accepted in message, message
    assert "; " not in message


# Excel's "Unicode Text" (UTF-16 with its byte order mark, tab separated) is saved as .txt, and
# Google Sheets downloads "Tab-separated values" as .tsv: CSV text by another name.
UNICODE_TEXT = "code\ttitle\tcredits\r\nT1\t数据库\t3,5\r\n".encode("utf-16")
SHEETS_TSV = b"code\ttitle\tcredits\nT2\tWeb design\t2\n"


def test_excel_unicode_text_saved_as_txt_and_a_sheets_tsv_import_at_every_door(
    staff_client, admin_client, tmp_path
):
    """Observed: the README names Excel's *Unicode Text* as read, but Excel saves it as .txt,
    and every door refused the file by its name (“Give a .csv or .xlsx file, not
    “courses.txt””); a Google Sheets download as tab-separated values (.tsv) likewise."""
    response = staff_client.post(
        "/api/v1/courses/import/",
        {"file": SimpleUploadedFile("courses.txt", UNICODE_TEXT)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert Course.objects.get(code="T1").credits == Decimal("3.5")

    path = tmp_path / "courses.tsv"
    path.write_bytes(SHEETS_TSV)
    call_command("import_courses", str(path), stdout=io.StringIO())
    assert Course.objects.get(code="T2").title == "Web design"

    preview = _admin_preview(admin_client, UNICODE_TEXT, "Courses.TXT")
    assert preview.status_code == 200
    assert "T1" in preview.content.decode()
    assert "Give a .csv" not in preview.content.decode()


def test_a_txt_file_that_is_not_text_is_refused_as_a_csv_would_be():
    refusal = _refusal(b"%PDF-1.7 not a table", "courses.txt")
    assert "not CSV text but a binary file" in refusal[0]
