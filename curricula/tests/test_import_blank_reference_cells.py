"""Observed: a link or requirement file whose course, ability or level cell is blank was told
"The course code is missing." (or "The ability is missing.", "The level code is missing."),
while the course catalogue tells a blank code cell what to do ("Give the course a code.") and
a requirement's blank position cell "Give the position (its code or name).". Each key cell of
the link and requirement importers now says what to give, in one rule every door shares: the
API's report, the admin's preview, import_links / import_requirements and a background job."""

import html
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from curricula.services import course_ability_import, requirement_import
from curricula.tests.factories import CourseFactory
from positions.models import ImportJob, ImportStatus
from positions.tests.factories import AbilityFactory, PositionFactory

pytestmark = pytest.mark.django_db

GIVE_COURSE = "Give the course (its code)."
GIVE_ABILITY = "Give the ability (its code, external identifier, URI or identifier)."
GIVE_LEVEL = "Give the level (its code or name)."
GIVE_POSITION = "Give the position (its code or name)."
OLD = ("is missing",)

LINKS = "course,ability,level\nC1,A1,I\n,A1,I\nC1,,I\nC1,A2,\n"
LINK_ERRORS = [
    {"line": 3, "errors": {"course": [GIVE_COURSE]}},
    {"line": 4, "errors": {"ability": [GIVE_ABILITY]}},
    {"line": 5, "errors": {"level": [GIVE_LEVEL]}},
]
REQUIREMENTS = "position,ability,min_level\nP1,A1,I\nP1,,I\nP1,A2,\n"
REQUIREMENT_ERRORS = [
    {"line": 3, "errors": {"ability": [GIVE_ABILITY]}},
    {"line": 4, "errors": {"min_level": [GIVE_LEVEL]}},
]


@pytest.fixture(autouse=True)
def _records(db):
    CourseFactory(code="C1")
    AbilityFactory(code="A1")
    AbilityFactory(code="A2")
    PositionFactory(code="P1")


def test_the_link_service_says_what_to_give_for_each_blank_key_cell():
    report = course_ability_import(content=LINKS.encode(), file_name="l.csv", dry_run=True)

    assert report.errors == LINK_ERRORS


def test_the_requirement_service_says_what_to_give_for_each_blank_key_cell():
    report = requirement_import(content=REQUIREMENTS.encode(), file_name="r.csv", dry_run=True)

    assert report.errors == REQUIREMENT_ERRORS


@pytest.mark.parametrize(
    ("url", "text", "errors"),
    [
        ("/api/v1/course-abilities/import/", LINKS, LINK_ERRORS),
        ("/api/v1/requirements/import/", REQUIREMENTS, REQUIREMENT_ERRORS),
    ],
)
def test_the_api_report_says_it(staff_client, url, text, errors):
    response = staff_client.post(
        url, {"file": SimpleUploadedFile("f.csv", text.encode())}, format="multipart"
    )

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == errors


@pytest.mark.parametrize(
    ("admin_url", "text", "said"),
    [
        ("admin:curricula_courseability_import", LINKS, (GIVE_COURSE, GIVE_ABILITY, GIVE_LEVEL)),
        ("admin:positions_requirement_import", REQUIREMENTS, (GIVE_ABILITY, GIVE_LEVEL)),
    ],
)
def test_the_admin_preview_says_it(admin_client, admin_url, text, said):
    upload = SimpleUploadedFile("f.csv", text.encode(), content_type="text/csv")
    response = admin_client.post(reverse(admin_url), {"format": "0", "import_file": upload})
    page = html.unescape(response.content.decode())

    for message in said:
        assert message in page
    assert "is missing" not in page


@pytest.mark.parametrize(
    ("command", "text", "said"),
    [
        (
            "import_links",
            LINKS,
            (
                f"line 3: course: {GIVE_COURSE}",
                f"line 4: ability: {GIVE_ABILITY}",
                f"line 5: level: {GIVE_LEVEL}",
            ),
        ),
        (
            "import_requirements",
            REQUIREMENTS,
            (f"line 3: ability: {GIVE_ABILITY}", f"line 4: min_level: {GIVE_LEVEL}"),
        ),
    ],
)
def test_the_commands_say_it(tmp_path, command, text, said):
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError):
        call_command(command, str(path), stdout=StringIO(), stderr=err)

    printed = err.getvalue()
    for line in said:
        assert line in printed, printed
    assert "is missing" not in printed


def test_a_background_link_job_says_it(
    admin_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    upload = SimpleUploadedFile("links.csv", b"course,ability,level\nC1,A1,I\n,A1,I\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:curricula_courseability_import"), {"format": "0", "import_file": upload}
        )
    assert response.status_code == 302

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED, job.report
    assert job.report["error"]["message"] == f"course: {GIVE_COURSE}"
    assert job.report["error"]["where"] == "line 3"


def test_a_position_widget_asked_for_a_blank_cell_says_what_to_give():
    from curricula.resources import PositionWidget

    with pytest.raises(ValueError, match=r"Give the position \(its code or name\)\."):
        PositionWidget().clean("  ")
