"""Observed (trying the product as a new designer): a catalogue with a term column (term,
开课学期), or a 培养方案's columns of one term each, imported without choosing a programme, had
the column left out with the admin's advice "Rename a column to one the import reads if its
values should be imported", and from import_courses only the column's name among those not
read. No name the import reads would help: terms are read only into a programme. The admin's
preview and the command now say so beside the columns left out: choose the programme."""

import html
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from curricula.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

TERM_COLUMN = "code,title,credits,开课学期\nTRY101,Web Development Basics,3,第三学期\n"
TERM_EACH = "code,title,第1学期,第2学期\nTRY101,Web Development Basics,4,\n"
NO_TERM = "code,title,Department\nTRY101,Web Development Basics,IT\n"
SAID_OF_ONE = (
    "The column “开课学期” gives each course's term in a programme: terms are read only when "
    "the catalogue is imported into a programme. Choose the programme to import into (Into the "
    "programme in the admin, programme in the API, --programme with import_courses), or the "
    "courses are imported without their terms."
)


def _preview(client, text: str, **data) -> str:
    upload = SimpleUploadedFile("plan.csv", text.encode(), content_type="text/csv")
    page = client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload, **data}
    )
    return " ".join(html.unescape(page.content.decode()).split())


def test_the_admin_preview_says_a_term_column_is_read_only_into_a_programme(admin_client):
    page = _preview(admin_client, TERM_COLUMN)

    assert "These columns are not read and will be left out: 开课学期." in page
    assert SAID_OF_ONE in page


def test_the_admin_preview_says_it_of_a_plan_s_columns_of_one_term_each(admin_client):
    page = _preview(admin_client, TERM_EACH)

    assert "The columns “第1学期”, “第2学期” give each course's term in a programme" in page


@pytest.mark.parametrize("text", [NO_TERM, TERM_COLUMN])
def test_the_admin_says_nothing_of_it_where_it_has_no_term_left_out(admin_client, text):
    """A file without a term column, or imported into a programme (which reads the column)."""
    programme = ProgrammeFactory() if text == TERM_COLUMN else None
    page = _preview(admin_client, text, **({"programme": programme.pk} if programme else {}))

    assert "terms are read only" not in page


def test_the_command_says_it(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(TERM_COLUMN, encoding="utf-8")
    err = StringIO()

    call_command("import_courses", str(path), "--dry-run", stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == ["Columns not read (left out): 开课学期", SAID_OF_ONE]


def test_the_command_says_nothing_of_it_for_a_file_without_a_term_column(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(NO_TERM, encoding="utf-8")
    err = StringIO()

    call_command("import_courses", str(path), "--dry-run", stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == ["Columns not read (left out): Department"]


def test_the_api_report_says_it_beside_the_columns_left_out(staff_client):
    """Observed: the API's report named 开课学期 among `ignored_columns` and said nothing more;
    it now gives the advice in `ignored_columns_notes` (added: the report's fields stay)."""
    response = staff_client.post(
        "/api/v1/courses/import/?dry_run=true",
        {"file": SimpleUploadedFile("plan.csv", TERM_COLUMN.encode())},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    report = response.json()
    assert report["ignored_columns"] == ["开课学期"]
    assert report["ignored_columns_notes"] == [SAID_OF_ONE]


@pytest.mark.parametrize("text", [NO_TERM, TERM_COLUMN])
def test_the_api_report_has_no_note_where_no_term_is_left_out(staff_client, text):
    data = {"programme": ProgrammeFactory().pk} if text == TERM_COLUMN else {}
    response = staff_client.post(
        "/api/v1/courses/import/?dry_run=true",
        {"file": SimpleUploadedFile("plan.csv", text.encode()), **data},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    assert response.json()["ignored_columns_notes"] == []


@pytest.mark.parametrize("into_programme", [False, True])
def test_a_background_job_s_page_says_it(
    admin_client, settings, tmp_path, django_capture_on_commit_callbacks, into_programme
):
    """Observed: the job's page listed 开课学期 among the columns left out, without the advice
    the preview and import_courses give; imported into a programme, it reads the column."""
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    text = TERM_COLUMN + "TRY102,Databases,3,第四学期\n"
    data = {"programme": ProgrammeFactory().pk} if into_programme else {}
    upload = SimpleUploadedFile("plan.csv", text.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:curricula_course_import"),
            {"format": "0", "import_file": upload, **data},
        )
    assert response.status_code == 302, response.content

    page = " ".join(html.unescape(admin_client.get(response.url).content.decode()).split())
    if into_programme:
        assert "terms are read only" not in page
    else:
        assert "Columns not read (left out): 开课学期" in page
        assert SAID_OF_ONE in page
