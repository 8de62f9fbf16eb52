"""A wholly wrong catalogue, link or requirement file keeps its first PROBLEM_LIST_LIMIT lines'
problems and counts them all, at every door (the service behind the API and the command, the
admin's preview, a background job), as the framework imports do (positions.importers.base.
Problems). Observed: every line's problem was kept, each with the row's values and the
exception that said it (its traceback holding the row's frames): a 100,000-row file of bad
credits peaked at 859 MB where a good one took 362 MB (benchmarks/bench_refused_imports.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.spreadsheets import spreadsheet_dataset
from curricula.models import Course
from curricula.resources import CourseResource
from curricula.services import course_ability_import, course_catalogue_import
from positions.importers import framework_import
from positions.importers.base import PROBLEM_LIST_LIMIT
from positions.models import ImportFormat, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

BAD = PROBLEM_LIST_LIMIT + 30


def _bad_catalogue(rows: int = BAD) -> bytes:
    lines = [f"C{i},Course {i},{i % 30 + 1} ECTS credits" for i in range(rows)]
    return ("code,title,credits\n" + "\n".join(lines) + "\n").encode()


def test_the_resource_keeps_the_first_lines_problems_and_counts_them_all():
    dataset = spreadsheet_dataset(_bad_catalogue(), kind="csv", name="courses.csv")

    result = CourseResource().import_data(dataset, dry_run=True, raise_errors=False)

    assert len(result.invalid_rows) == PROBLEM_LIST_LIMIT
    assert [row.number for row in result.invalid_rows][:2] == [2, 3]
    assert result.problem_rows == BAD
    assert result.problems_left_out == BAD - PROBLEM_LIST_LIMIT
    # The lines left out keep no problem (nor the rows' values) in the result.
    assert sum(1 for row in result.rows if row.validation_error is not None) == PROBLEM_LIST_LIMIT
    assert result.has_validation_errors()


def test_the_service_lists_the_first_lines_and_counts_them_all():
    report = course_catalogue_import(content=_bad_catalogue(), file_name="courses.csv")

    assert not report.ok
    assert len(report.errors) == PROBLEM_LIST_LIMIT
    assert report.errors[0]["line"] == 2
    assert report.errors[-1]["line"] == PROBLEM_LIST_LIMIT + 1
    assert report.errors_total == BAD
    assert report.as_dict()["errors_total"] == BAD
    assert not Course.objects.exists()


def test_a_good_file_counts_no_problem():
    content = b"code,title,credits\nC1,Databases,3\n"
    report = course_catalogue_import(content=content, file_name="courses.csv", dry_run=True)
    assert report.ok
    assert report.as_dict()["errors_total"] == 0


def test_the_link_import_is_bounded_too():
    lines = [f"NOPE{i},Framework,A{i},M," for i in range(BAD)]
    content = ("course,framework,ability,level,note\n" + "\n".join(lines) + "\n").encode()

    report = course_ability_import(content=content, file_name="links.csv")

    assert len(report.errors) == PROBLEM_LIST_LIMIT
    assert report.errors_total == BAD


def test_the_api_answers_the_first_lines_and_how_many_there_are(staff_client):
    upload = SimpleUploadedFile("courses.csv", _bad_catalogue())

    response = staff_client.post("/api/v1/courses/import/", {"file": upload}, format="multipart")

    assert response.status_code == 400
    assert len(response.json()["errors"]) == PROBLEM_LIST_LIMIT
    assert response.json()["errors_total"] == BAD


def test_the_command_lists_the_first_lines_and_says_how_many_more(tmp_path, capsys):
    path = tmp_path / "courses.csv"
    path.write_bytes(_bad_catalogue())

    with pytest.raises(CommandError) as raised:
        call_command("import_courses", str(path), "--dry-run")

    err = capsys.readouterr().err
    assert f"line {PROBLEM_LIST_LIMIT + 1}:" in err
    assert f"line {PROBLEM_LIST_LIMIT + 2}:" not in err
    assert f"and {BAD - PROBLEM_LIST_LIMIT} more lines with problems" in err
    assert f"{BAD} lines have problems" in str(raised.value)


def test_the_admin_preview_lists_the_first_lines_and_says_how_many_more(admin_client, settings):
    settings.ADMIN_IMPORT_INLINE_ROWS = BAD + 10
    upload = SimpleUploadedFile("courses.csv", _bad_catalogue())

    response = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    )

    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert len(response.context["result"].invalid_rows) == PROBLEM_LIST_LIMIT
    assert f"and {BAD - PROBLEM_LIST_LIMIT} more lines with problems" in text


def test_a_background_job_reports_the_problems_as_every_import_job_does(tmp_path):
    """The catalogue job's problems in the error, each where it is, and how many there were
    ({"where", "message", "problems": [{"where", "message"}], "problems_total"}), as a framework
    import job reports them. Observed: they were the report's warnings, the error a sentence
    naming the first and a count of the warnings kept (at most 500)."""
    path = tmp_path / "courses.csv"
    path.write_bytes(_bad_catalogue())

    report = framework_import(path=path, format=ImportFormat.COURSES)

    assert not report.ok
    error = report.error
    assert error["problems_total"] == BAD
    assert len(error["problems"]) == PROBLEM_LIST_LIMIT
    assert error["problems"][0]["where"] == "line 2"
    assert error["problems"][0]["message"].startswith("credits: ")
    assert report.warnings == []
    assert f"{BAD - PROBLEM_LIST_LIMIT} more" in report.summary()


def test_the_job_page_lists_a_failed_catalogue_s_problems(admin_client, settings, tmp_path):
    settings.ADMIN_IMPORT_INLINE_ROWS = 5
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    path = tmp_path / "courses.csv"
    path.write_bytes(_bad_catalogue())
    report = framework_import(path=path, format=ImportFormat.COURSES)
    job = ImportJob.objects.create(
        format=ImportFormat.COURSES,
        path=str(path),
        status=ImportStatus.FAILED,
        report=report.as_dict(),
    )

    page = admin_client.get(reverse("admin:curricula_course_import_job", args=[job.pk]))

    text = " ".join(page.content.decode().split())
    assert "line 101" in text
    assert "line 102" not in text
    assert f"and {BAD - PROBLEM_LIST_LIMIT} more problems" in text
