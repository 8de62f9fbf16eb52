"""A background import job reports in the language it was asked for in: a Chinese uploader's
catalogue or link file, too large for the admin's preview or sent to the API with
background=true, gets its refusal, its problems by line and its summary in Chinese, on the
admin's job page and in the API's job status, though the worker running it has no request and
so no language of its own (observed: every job reported in English)."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from curricula.tests.factories import CourseFactory
from positions.models import ImportJob, ImportStatus
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

# Each uploader, and the language the worker happens to have: the other one, so that a report
# in the uploader's language can only come from the job.
UPLOADERS = [("zh-hans", "en"), ("en", "zh-hans")]


@pytest.fixture(autouse=True)
def _small_jobs(settings, tmp_path):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    translation.activate("en")
    yield
    translation.activate("en")


def _csv(rows: list[list[str]]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile("catalogue.csv", buffer.getvalue().encode())


def _as_the_worker(callbacks, language: str) -> ImportJob:
    """Run what the upload enqueued (the job's task: eager here) as a worker would, in a
    language of its own, then the job."""
    with translation.override(language):
        for callback in callbacks:
            callback()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED, job.report
    return job


@pytest.mark.parametrize(("uploader", "worker"), UPLOADERS)
def test_an_admin_job_refusing_a_file_for_a_missing_column_says_so_in_the_uploader_s_language(
    admin_client, django_capture_on_commit_callbacks, uploader, worker
):
    upload = _csv([["code", "credits"], ["K1", "3"], ["K2", "2"]])
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            reverse("admin:curricula_course_import"),
            {"format": "0", "import_file": upload},
            HTTP_ACCEPT_LANGUAGE=uploader,
        )
    assert response.status_code == 302
    job = _as_the_worker(callbacks, worker)

    message = job.report["error"]["message"]
    if uploader == "en":
        assert message.startswith("The file lacks the column(s): title. Expected: code, ")
        assert "课程" not in message
    else:
        # The message's own words, and the Chinese names a Chinese file may give the column.
        assert message.startswith("文件缺少以下列：title（或 "), message  # noqa: RUF001
        for name in ("英文名称", "title_zh", "课程名称", "课程代码"):
            assert name in message, name
    page = admin_client.get(response.url, HTTP_ACCEPT_LANGUAGE=uploader)
    assert message in page.content.decode()


@pytest.mark.parametrize(("uploader", "worker"), UPLOADERS)
def test_an_admin_job_s_problems_by_line_are_in_the_uploader_s_language(
    admin_client, django_capture_on_commit_callbacks, uploader, worker
):
    upload = _csv([["code", "title", "credits"], ["K1", "Databases", "3"], ["K2", "", "three"]])
    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(
            reverse("admin:curricula_course_import"),
            {"format": "0", "import_file": upload},
            HTTP_ACCEPT_LANGUAGE=uploader,
        )
    job = _as_the_worker(callbacks, worker)

    messages = sorted(problem["message"] for problem in job.report["error"]["problems"])
    summary = job.report["error"]["message"]
    with translation.override(uploader):
        line = translation.gettext("line %(line)d") % {"line": 3}
    assert {problem["where"] for problem in job.report["error"]["problems"]} == {line}
    assert job.report["error"]["problems_total"] == 2
    if uploader == "en":
        assert messages == [
            "credits: Credits must be a number, not “three”.",
            "title: Give the course a title (title or title_zh).",
        ]
        assert summary == "the file has 2 problems"
    else:
        # Each column by its heading, as the preview heads it (ImportColumn.heading); the
        # blank title's message as the catalogue translates it.
        with translation.override(uploader):
            give_title = translation.gettext("Give the course a title (title or title_zh).")
        assert messages == [
            "学分（credits）：学分必须是数字，而不是“three”。",  # noqa: RUF001
            f"英文名称（title）：{give_title}",  # noqa: RUF001
        ]
        assert summary == "文件有 2 个问题"
    # The job's page, in the uploader's language: each problem after where it is, the colon
    # the message's ("%(label)s: %(value)s").
    page = admin_client.get(
        reverse("admin:curricula_course_import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE=uploader
    ).content.decode()
    colon = ": " if uploader == "en" else "："  # noqa: RUF001
    for message in messages:
        assert f"<strong>{line}</strong>{colon}{message}" in page


@pytest.mark.parametrize(("uploader", "worker"), UPLOADERS)
def test_an_api_job_s_status_reports_in_the_language_it_was_asked_for_in(
    staff_client, django_capture_on_commit_callbacks, uploader, worker
):
    framework = FrameworkFactory()
    AbilityFactory(framework=framework, code="A1")
    CourseFactory(code="K1")
    upload = _csv(
        [
            ["course", "framework", "ability", "level"],
            ["K1", str(framework.identifier), "A1", "M"],
            ["NOPE", str(framework.identifier), "A1", "M"],
        ]
    )
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_client.post(
            "/api/v1/course-abilities/import/",
            {"file": upload, "background": "true"},
            format="multipart",
            HTTP_ACCEPT_LANGUAGE=uploader,
        )
    assert response.status_code == 202, response.content
    _as_the_worker(callbacks, worker)

    # The status is asked for in the worker's language: the report is the job's.
    status = staff_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE=worker).json()
    assert status["status"] == "failed"
    assert status["language"] == uploader
    # One problem alone is the error itself, where it is, as a framework job reports it.
    problem = status["report"]["error"]
    assert "problems" not in problem
    with translation.override(uploader):
        assert problem["where"] == translation.gettext("line %(line)d") % {"line": 3}
    if uploader == "en":
        assert problem["message"] == "course: Unknown course code “NOPE”."
    else:
        assert problem["message"] == "课程（course）：未知的课程代码“NOPE”。"  # noqa: RUF001


def test_a_job_s_page_names_its_counts_and_stage_in_the_reader_s_language(
    admin_client, staff_client, django_capture_on_commit_callbacks, chinese_stand_in
):
    """Observed: a Chinese reader's job page read "course  2 created, 0 updated, ..." and
    "succeeded": the report's keys, which the API keeps in English (a contract), were shown as
    they are. The page shows them translated ("created" in the context of an import's counts,
    not the timestamp's)."""
    labels = ["course", "created", "updated", "unchanged", "conflict"]
    for label in labels:
        chinese_stand_in("import count", label)
    chinese_stand_in("import stage", "writing courses")
    upload = _csv([["code", "title"], ["K1", "Databases"], ["K2", "Networks"]])
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            reverse("admin:curricula_course_import"),
            {"format": "0", "import_file": upload},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    for callback in callbacks:
        callback()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED, job.report

    page = admin_client.get(response.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    with translation.override("zh-hans"):
        course, created, updated, unchanged, conflict = (
            translation.pgettext("import count", label) for label in labels
        )
        writing = translation.pgettext("import stage", "writing courses")
        succeeded = str(ImportStatus.SUCCEEDED.label)
        separator = translation.pgettext("list separator", ", ")
    assert created != "created"
    counts = separator.join([f"2 {created}", f"0 {updated}", f"0 {unchanged}", f"0 {conflict}"])
    assert f'<th scope="row">{course}</th><td>{counts}</td>' in page
    assert f'<span class="job-progress">100 %</span> {succeeded}</td>' in page
    # Running, its stage is the worker's, from the cache.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    cache.set(job.progress_cache_key, {"progress": 40, "stage": "writing courses"})
    page = admin_client.get(response.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'<span class="job-progress">40 %</span> {writing}</td>' in page

    # The API keeps its keys.
    status = staff_client.get(f"/api/v1/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert status["stage"] == "writing courses"
    assert status["report"]["counts"] == {
        "course": {"created": 2, "updated": 0, "unchanged": 0, "conflict": 0}
    }
