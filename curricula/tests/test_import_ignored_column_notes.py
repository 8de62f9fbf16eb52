"""What to do of a column left out (a catalogue's term column imported into no programme) is
said once, by the import itself (the resource's result, then the report), and every door reads
it there: the admin's preview, the API's report, import_courses, a background job's page and
the API's job status. Observed: the API's job status gave `details.ignored_columns` but not the
notes the synchronous report gives (`ignored_columns_notes`), and import_courses, the service
and the job page each worked the note out again from the columns left out."""

import html
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core.tests import openapi
from curricula.tests.factories import ProgrammeFactory
from curricula.tests.plan_imports import background_import, post_plan

pytestmark = pytest.mark.django_db

TERM_COLUMN = "code,title,credits,开课学期\nTRY101,Web Development Basics,3,第三学期\n"
NOTE = "A note the import alone words."


@pytest.fixture
def one_note(monkeypatch):
    """The import's note on a term column left out, replaced: a door showing it read it from
    the import, not from its own wording."""
    monkeypatch.setattr(
        "curricula.resources.terms_need_a_programme",
        lambda columns: NOTE if "开课学期" in columns else "",
    )


def test_the_api_job_status_gives_the_notes_beside_the_columns_left_out(
    staff_client, django_capture_on_commit_callbacks
):
    status = background_import(staff_client, django_capture_on_commit_callbacks, TERM_COLUMN)

    assert status["status"] == "succeeded", status
    details = status["report"]["details"]
    assert details["ignored_columns"] == ["开课学期"]
    [note] = details["ignored_columns_notes"]
    assert note.startswith("The column “开课学期” gives each course's term in a programme")


def test_the_api_job_status_has_no_note_where_the_term_column_is_read(
    staff_client, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory()
    status = background_import(
        staff_client, django_capture_on_commit_callbacks, TERM_COLUMN, programme=programme.pk
    )

    assert status["status"] == "succeeded", status
    assert status["report"]["details"]["ignored_columns_notes"] == []


def test_the_job_status_schema_documents_the_notes_as_the_report_s_schema_does():
    schema = openapi.generate()[0]
    components = schema["components"]["schemas"]
    report = components["CatalogueImport"]["properties"]
    details = components["ImportJobReport"]["properties"]["details"]

    for name in ("ignored_columns", "ignored_columns_notes"):
        assert details["properties"][name]["description"] == report[name]["description"]
        assert details["properties"][name]["type"] == "array"
    # The details of other kinds of import (a programme's counts, a workbook's hidden lines).
    assert details["additionalProperties"] is True


def test_every_door_reads_the_note_from_the_import(
    one_note, admin_client, staff_client, tmp_path, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("plan.csv", TERM_COLUMN.encode(), content_type="text/csv")
    preview = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    )
    assert NOTE in html.unescape(preview.content.decode())

    response = post_plan(staff_client, TERM_COLUMN, dry_run="true")
    assert response.json()["ignored_columns_notes"] == [NOTE]

    path = tmp_path / "plan.csv"
    path.write_text(TERM_COLUMN, encoding="utf-8")
    err = StringIO()
    call_command("import_courses", str(path), "--dry-run", stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == ["Columns not read (left out): 开课学期", NOTE]

    status = background_import(staff_client, django_capture_on_commit_callbacks, TERM_COLUMN)
    assert status["report"]["details"]["ignored_columns_notes"] == [NOTE]


def test_the_admin_job_page_reads_the_note_from_the_job_s_report(
    one_note, admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    text = TERM_COLUMN + "TRY102,Databases,3,第四学期\n"
    upload = SimpleUploadedFile("plan.csv", text.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
        )
    assert response.status_code == 302, response.content

    page = html.unescape(admin_client.get(response.url).content.decode())
    assert NOTE in page
