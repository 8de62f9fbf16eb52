"""Helpers the tests of a course catalogue or programme plan import share: the file as a
spreadsheet writes it, a programme to import into, the API's import posted inline or in the
background, and what the import left (the programme's courses and terms, the courses' modules,
the report's warnings)."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from curricula.models import Course, ProgrammeCourse
from curricula.tests.factories import CourseFactory, ProgrammeFactory

IMPORT = "/api/v1/courses/import/"
# A 培养方案 table's title, as published above its header (test_programme_plan_tables.py).
PLAN_TITLE = "跨境电子商务专业（本科）课程设置与教学进程表"  # noqa: RUF001 (as published)
# Its sheet's name, as the published workbook names it.
PLAN_SHEET = "课程设置"


def xlsx_bytes(rows: list[list], merges: tuple[str, ...] = (), *, sheet: str = "") -> bytes:
    """A workbook whose active sheet (named `sheet`, or openpyxl's default) holds `rows` from
    row 1, with the cell ranges of `merges` (A1:I1) merged."""
    workbook = openpyxl.Workbook()
    active = workbook.active
    if sheet:
        active.title = sheet
    for row in rows:
        active.append(row)
    for cells in merges:
        active.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def excel_csv(rows: list[list]) -> bytes:
    """The sheet saved as CSV UTF-8 by Excel: every row as wide as the table, a merged cell's
    value in its first cell only."""
    width = max(len(row) for row in rows)
    lines = []
    for row in rows:
        cells = ["" if cell is None else str(cell) for cell in row]
        lines.append(",".join(cells + [""] * (width - len(cells))))
    return ("\r\n".join(lines) + "\r\n").encode()


def plan_programme():
    """A programme teaching MATH101 (no term) and PHYS101 (term 5), in that order. Wrap it in
    django_capture_on_commit_callbacks(execute=True) to have it written and committed before
    the test's requests, as it would be."""
    first = CourseFactory(code="MATH101", title="Advanced Mathematics")
    second = CourseFactory(code="PHYS101", title="University Physics")
    programme = ProgrammeFactory(
        name="Civil Engineering (BEng)", certification=None, track=None, own_degree_level="bachelor"
    )
    ProgrammeCourse.objects.create(programme=programme, course=first, order=0)
    ProgrammeCourse.objects.create(programme=programme, course=second, order=1, term=5)
    return programme


def post_plan(client, text: str, **data):
    """The API's catalogue import of `text` as a CSV file, with the form's other `data`
    (programme, dry_run): its response."""
    upload = SimpleUploadedFile("plan.csv", text.encode(), content_type="text/csv")
    return client.post(IMPORT, {"file": upload, **data}, format="multipart")


def post_term_cell(client, programme, cell: str):
    """The API's import into `programme` of one new course, NEW1, whose term column (开课学期)
    writes `cell`: its response."""
    return post_plan(
        client, f"code,title,开课学期\nNEW1,First new course,{cell}\n", programme=programme.pk
    )


def assert_placed_in_the_span_s_first_term(response, programme, term: int) -> None:
    """The one-course import of a span (post_term_cell) placed NEW1 in `term`, the span's
    first, with one warning at its line's term."""
    assert response.status_code == 200, response.content
    [warning] = response.json()["warnings"]
    assert (warning["line"], warning["column"]) == (2, "term")
    assert f"term {term}" in warning["message"]
    assert programme_entries(programme)[2:] == [("NEW1", term)]


def background_import(client, captured, text: str, **data) -> dict:
    """The API's catalogue import of `text` as a background job, run on commit through
    `captured` (django_capture_on_commit_callbacks): the job's page as JSON."""
    upload = SimpleUploadedFile("plan.csv", text.encode(), content_type="text/csv")
    with captured(execute=True):
        response = client.post(
            IMPORT, {"file": upload, "background": "true", **data}, format="multipart"
        )
    assert response.status_code == 202, response.content
    return client.get(response["Location"]).json()


def programme_entries(programme) -> list[tuple[str, int | None]]:
    """The programme's courses, in its order, as (code, term)."""
    return list(
        ProgrammeCourse.objects.filter(programme=programme)
        .order_by("order", "pk")
        .values_list("course__code", "term")
    )


def course_modules() -> dict[str, str | None]:
    """Each course's code and its module's code (None for none)."""
    return {c.code: c.module.code if c.module else None for c in Course.objects.all()}


def report_warnings(report) -> list[tuple[int, str]]:
    """An import report's warnings as (line, message)."""
    return [(w["line"], w["message"]) for w in report.warnings]
