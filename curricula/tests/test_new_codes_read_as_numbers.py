"""An import that creates a record under a code a spreadsheet made a number says so. Observed:
a requirement file whose position 007 came back from LibreOffice Calc as 7 created a new
position "7" beside 007, silently, with the requirements under it; a course catalogue did the
same with a course 7 beside 007. Refusing would be wrong (a new position 7 may be meant, and the
import creates the positions it names, by design), so each door warns by line before the file is
committed, naming the stored code of the same number: the API's answer (`warnings`, also on a
dry run), the admin's preview (and its confirm step), the command's output and a background
job's report."""

import io
import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from curricula.services import course_catalogue_import, requirement_import
from curricula.tests.factories import CourseFactory
from positions.models import ImportJob, Position
from positions.tests.factories import AbilityFactory, PositionFactory

pytestmark = pytest.mark.django_db

HINT = (
    "Did you mean “007”? A spreadsheet may have read the code as a number: set its column to "
    "Text when opening the CSV, or edit the XLSX download, which keeps codes as text."
)
POSITION_SAID = "No position has the code or name “7”: the import creates a new one. " + HINT
COURSE_SAID = "No course has the code “7”: the import creates a new one. " + HINT
REQUIREMENTS = "position,ability,min_level\nRN-WARD,P1,M\n7,P1,M\n7,P2,R\n"
COURSES = "code,title\nK1,Known\n7,Seven\n"


@pytest.fixture
def positions(db):
    AbilityFactory(code="P1")
    AbilityFactory(code="P2")
    PositionFactory(name="Ward nurse", code="RN-WARD")
    PositionFactory(name="Agent", code="007")


@pytest.fixture
def courses(db):
    CourseFactory(code="007")
    CourseFactory(code="K1")


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("file.csv", text.encode(), content_type="text/csv")


def test_a_requirement_file_creating_position_7_beside_007_warns_on_a_dry_run(positions):
    report = requirement_import(
        content=REQUIREMENTS.encode(), file_name="requirements.csv", dry_run=True
    )
    assert report.ok, report.errors
    # Once, at the line that creates it: line 4 finds the position line 3 created.
    assert report.warnings == [{"line": 3, "column": "position", "message": POSITION_SAID}]
    assert report.warnings_total == 1
    assert report.as_dict()["warnings"] == report.warnings
    assert not Position.objects.filter(name="7").exists()


def test_a_new_position_no_number_explains_is_said_nothing_of(positions):
    text = "position,ability,min_level\n8,P1,M\nICU nurse,P1,M\n007,P2,R\n"
    report = requirement_import(content=text.encode(), file_name="r.csv", dry_run=True)
    assert report.ok, report.errors
    assert (report.positions_created, report.warnings) == (2, [])


def _position_reads(text: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        requirement_import(content=text.encode(), file_name="r.csv", dry_run=True)
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT") and "positions_position" in q["sql"]
    ]


def test_the_positions_are_read_once_for_the_warning(positions):
    """The positions the import reads to find them give the codes a number may have been: no
    query more for the warning."""
    plain = _position_reads("position,ability,min_level\nRN-WARD,P1,M\nICU nurse,P1,M\n")
    warned = _position_reads("position,ability,min_level\nRN-WARD,P1,M\n7,P1,M\n")
    assert len(warned) == len(plain), warned


def test_the_api_answers_the_warning_by_line(positions, staff_client):
    response = staff_client.post(
        "/api/v1/requirements/import/",
        {"file": _upload(REQUIREMENTS), "dry_run": "true"},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["warnings"] == [{"line": 3, "column": "position", "message": POSITION_SAID}]
    assert (body["warnings_total"], body["positions_created"]) == (1, 1)


def test_the_admin_preview_and_confirm_say_it(positions, admin_client):
    preview = admin_client.post(
        reverse("admin:positions_requirement_import"),
        {"format": "0", "import_file": _upload(REQUIREMENTS)},
    )
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None
    page = " ".join(preview.content.decode().split())
    assert "line 3" in page
    assert "No position has the code or name “7”: the import creates a new one." in page
    assert "Did you mean “007”?" in page
    confirm = admin_client.post(
        reverse("admin:positions_requirement_process_import"),
        preview.context["confirm_form"].initial,
    )
    assert confirm.status_code == 302
    said = [str(message) for message in get_messages(confirm.wsgi_request)]
    assert any(POSITION_SAID in message for message in said), said
    assert Position.objects.filter(name="7").exists()


def test_the_command_says_it(positions, tmp_path):
    path = tmp_path / "requirements.csv"
    path.write_text(REQUIREMENTS, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_requirements", str(path), "--dry-run", stdout=out, stderr=err)
    assert f"line 3: position: {POSITION_SAID}" in err.getvalue(), err.getvalue()
    out = io.StringIO()
    call_command("import_requirements", str(path), "--json", "--dry-run", stdout=out)
    assert json.loads(out.getvalue())["warnings"][0]["message"] == POSITION_SAID


def test_a_background_job_reports_it(
    positions, admin_client, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:positions_requirement_import"),
            {"format": "0", "import_file": _upload(REQUIREMENTS)},
        )
    job = ImportJob.objects.get()
    job.refresh_from_db()
    assert job.status == "succeeded", job.report
    assert job.report["warnings"] == [{"where": "line 3", "message": f"position: {POSITION_SAID}"}]
    page = " ".join(admin_client.get(response.url).content.decode().split())
    assert "the import creates a new one" in page
    assert "Warnings by line" in page
    assert "Problems by line" not in page


def test_a_catalogue_creating_course_7_beside_007_warns(courses, staff_client, tmp_path):
    report = course_catalogue_import(content=COURSES.encode(), file_name="c.csv", dry_run=True)
    assert report.ok, report.errors
    assert report.warnings == [{"line": 3, "column": "code", "message": COURSE_SAID}]
    response = staff_client.post(
        "/api/v1/courses/import/", {"file": _upload(COURSES), "dry_run": "true"}, format="multipart"
    )
    assert response.json()["warnings"] == report.warnings
    path = tmp_path / "courses.csv"
    path.write_text(COURSES, encoding="utf-8")
    err = io.StringIO()
    call_command("import_courses", str(path), "--dry-run", stdout=io.StringIO(), stderr=err)
    assert f"line 3: code: {COURSE_SAID}" in err.getvalue(), err.getvalue()


def test_the_catalogue_admin_preview_says_it(courses, admin_client):
    preview = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": _upload(COURSES)},
    )
    assert preview.context["confirm_form"] is not None
    page = " ".join(preview.content.decode().split())
    assert "No course has the code “7”: the import creates a new one." in page


def test_a_catalogue_whose_codes_are_found_reads_no_codes_for_it(courses):
    text = "code,title\nK1,Known\nK2,New but no number\n"
    with CaptureQueriesContext(connection) as queries:
        report = course_catalogue_import(content=text.encode(), file_name="c.csv", dry_run=True)
    assert report.warnings == []
    assert not [q for q in queries.captured_queries if "REGEXP" in q["sql"].upper()]


def test_the_warning_is_said_in_chinese(positions, chinese_stand_in):
    said = "No position has the code or name “%(value)s”: the import creates a new one."
    chinese_stand_in(None, said)
    with translation.override("zh-hans"):
        report = requirement_import(
            content=REQUIREMENTS.encode(), file_name="requirements.csv", dry_run=True
        )
        sentence = translation.gettext(said) % {"value": "7"}
    [warning] = report.warnings
    # The new sentence in the page's language (the catalogue's, else the stand-in), the hint
    # after it in the catalogue's Chinese.
    assert not sentence.startswith("No position")
    assert warning["message"].startswith(sentence), warning
    assert "“007”" in warning["message"]
    assert "Did you mean" not in warning["message"]
