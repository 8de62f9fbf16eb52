"""Observed (an integrator with a catalogue of 20,000 rows): the API checks a file without
writing it (dry_run) only inside the request, up to API_IMPORT_INLINE_ROWS rows; past them the
400 asks for background=true, and background=true with dry_run=true was refused ("A dry run
answers inside the request"). A file too large for the request could not be checked before it
was imported for real. A dry run in the background is now an import job that checks every row
as the import does and writes nothing: its status reports the problems by line, or the counts
it would write."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from curricula.models import Course, CourseAbility
from curricula.tests.factories import CourseFactory
from positions.models import Framework, ImportJob, ImportStatus, Position, Requirement
from positions.tests.factories import AbilityFactory, FrameworkFactory

LIMIT = 10
ROWS = 3 * LIMIT


@pytest.fixture(autouse=True)
def _small_bound(settings, tmp_path):
    settings.API_IMPORT_INLINE_ROWS = LIMIT
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _courses(*, bad_lines: tuple[int, ...] = ()) -> bytes:
    rows = [f"K{n},Course {n},3" for n in range(ROWS)]
    for line in bad_lines:
        rows[line - 2] = f"BAD{line},Course {line},lots"
    return ("code,title,credits\n" + "\n".join(rows) + "\n").encode()


def _start(client, url: str, content: bytes, query: str, captured) -> dict:
    with captured(execute=True):
        response = client.post(
            f"{url}?{query}",
            {"file": SimpleUploadedFile("file.csv", content)},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    status = client.get(response["Location"]).json()
    assert status["id"] == response.json()["id"]
    return status


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["dry_run=true&background=true", "background=1&dry_run=yes"])
def test_a_catalogue_past_the_bound_is_checked_in_the_background_writing_nothing(
    staff_client, django_capture_on_commit_callbacks, query
):
    captured = django_capture_on_commit_callbacks
    status = _start(staff_client, "/api/v1/courses/import/", _courses(), query, captured)

    assert status["status"] == ImportStatus.SUCCEEDED, status
    assert status["options"]["dry_run"] is True
    assert status["report"]["dry_run"] is True
    assert status["report"]["counts"]["course"]["created"] == ROWS
    assert not Course.objects.exists()


@pytest.mark.django_db
def test_a_background_dry_run_reports_the_problems_by_line(
    staff_client, django_capture_on_commit_callbacks
):
    content = _courses(bad_lines=(5, 27))

    status = _start(
        staff_client,
        "/api/v1/courses/import/",
        content,
        "background=true&dry_run=true",
        django_capture_on_commit_callbacks,
    )

    assert status["status"] == ImportStatus.FAILED, status
    assert status["report"]["dry_run"] is True
    error = status["report"]["error"]
    assert [problem["where"] for problem in error["problems"]] == ["line 5", "line 27"]
    assert not Course.objects.exists()


@pytest.mark.django_db
def test_an_existing_catalogue_checked_in_the_background_counts_updates_and_keeps_its_rows(
    staff_client, django_capture_on_commit_callbacks
):
    CourseFactory(code="K1", title="Old title", credits=3)
    CourseFactory(code="K2", title="Course 2", credits=3)

    status = _start(
        staff_client,
        "/api/v1/courses/import/",
        _courses(),
        "background=true&dry_run=true",
        django_capture_on_commit_callbacks,
    )

    counts = status["report"]["counts"]["course"]
    assert (counts["created"], counts["updated"], counts["unchanged"]) == (ROWS - 2, 1, 1)
    assert Course.objects.get(code="K1").title == "Old title"
    assert Course.objects.count() == 2


@pytest.mark.django_db
def test_links_past_the_bound_are_checked_in_the_background_writing_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    framework = FrameworkFactory()
    for n in range(4):
        AbilityFactory(framework=framework, code=f"A{n}")
    for n in range(8):
        CourseFactory(code=f"C-{n}")
    rows = [f"C-{c},{framework.identifier},A{a},M,note" for c in range(8) for a in range(4)]
    content = ("course,framework,ability,level,note\n" + "\n".join(rows) + "\n").encode()

    status = _start(
        staff_client,
        "/api/v1/course-abilities/import/",
        content,
        "background=true&dry_run=true",
        django_capture_on_commit_callbacks,
    )

    assert status["status"] == ImportStatus.SUCCEEDED, status
    assert status["report"]["counts"]["link"]["created"] == 32
    assert not CourseAbility.objects.exists()


@pytest.mark.django_db
def test_requirements_past_the_bound_are_checked_in_the_background_writing_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    framework = FrameworkFactory()
    for n in range(4):
        AbilityFactory(framework=framework, code=f"A{n}")
    rows = [f"P{p},{framework.identifier},A{a},core,M" for p in range(8) for a in range(4)]
    content = ("position,framework,ability,importance,min_level\n" + "\n".join(rows)).encode()

    status = _start(
        staff_client,
        "/api/v1/requirements/import/",
        content,
        "background=true&dry_run=true",
        django_capture_on_commit_callbacks,
    )

    assert status["status"] == ImportStatus.SUCCEEDED, status
    assert status["report"]["counts"]["requirement"]["created"] == 32
    assert status["report"]["counts"]["position"]["created"] == 8
    assert not Requirement.objects.exists()
    assert not Position.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_and_the_import_of_the_same_file_are_two_jobs(
    staff_client, django_capture_on_commit_callbacks, monkeypatch
):
    """A dry run still queued is not the import asked for next: coalescing keeps them apart."""
    from positions import tasks

    monkeypatch.setattr(tasks.import_job_run, "delay", lambda job_id: None)
    for query in ("background=true&dry_run=true", "background=true"):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(
                f"/api/v1/courses/import/?{query}",
                {"file": SimpleUploadedFile("file.csv", _courses())},
                format="multipart",
            )
        assert response.status_code == 202, response.content

    assert sorted(job.options.get("dry_run", False) for job in ImportJob.objects.all()) == [
        False,
        True,
    ]


@pytest.mark.django_db
def test_a_framework_upload_is_checked_in_the_background_writing_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    """The framework imports (CASE, ESCO, Moodle), always jobs, take dry_run too."""
    from pathlib import Path

    moodle = Path(__file__).resolve().parents[2] / "positions/tests/fixtures/moodle/current.csv"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/imports/",
            {
                "file": SimpleUploadedFile("c.csv", moodle.read_bytes()),
                "format": "moodle",
                "dry_run": "true",
            },
            format="multipart",
        )

    assert response.status_code == 202, response.content
    status = staff_client.get(response["Location"]).json()
    assert status["status"] == ImportStatus.SUCCEEDED, status
    assert status["report"]["dry_run"] is True
    assert status["report"]["counts"]["ability"]["created"] > 0
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_the_framework_command_checks_a_source_writing_nothing(capsys):
    """The command line, which imports any size, takes --dry-run too, and says so."""
    from pathlib import Path

    from django.core.management import call_command

    moodle = Path(__file__).resolve().parents[2] / "positions/tests/fixtures/moodle/current.csv"

    call_command("import_framework", str(moodle), "--format", "moodle", "--dry-run")

    out = capsys.readouterr().out
    assert "Dry run: nothing was written." in out
    assert "created" in out
    assert not Framework.objects.exists()
    assert ImportJob.objects.get().report["dry_run"] is True


@pytest.mark.django_db
def test_the_admin_says_a_dry_run_job_wrote_nothing(
    staff_client, admin_client, django_capture_on_commit_callbacks
):
    """Administrators read every job in the admin: a dry run's counts are not an import's."""
    from django.urls import reverse

    import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)

    captured = django_capture_on_commit_callbacks
    status = _start(
        staff_client, "/api/v1/courses/import/", _courses(), "background=1&dry_run=1", captured
    )

    page = admin_client.get(reverse("admin:positions_importjob_change", args=[status["id"]]))

    assert "Dry run: nothing was written." in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_admin_checks_a_framework_upload_writing_nothing(admin_client, settings, tmp_path):
    """The admin's framework upload (Import jobs → Add) takes the same dry run; its message
    says nothing was written and what the import would write."""
    from pathlib import Path

    from django.urls import reverse

    import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)

    moodle = Path(__file__).resolve().parents[2] / "positions/tests/fixtures/moodle/current.csv"
    response = admin_client.post(
        reverse("admin:positions_importjob_add"),
        {
            "format": "moodle",
            "upload": SimpleUploadedFile("c.csv", moodle.read_bytes()),
            "dry_run": "on",
        },
    )

    assert response.status_code == 302, response.content
    job = ImportJob.objects.get()
    assert job.options == {"dry_run": True, "user_id": job.created_by_id}
    assert job.status == ImportStatus.SUCCEEDED
    assert not Framework.objects.exists()
    messages = [str(m) for m in admin_client.get(response.url).context["messages"]]
    assert any("c.csv" in m and "nothing was written" in m and "created" in m for m in messages), (
        messages
    )
