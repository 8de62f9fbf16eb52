"""A background import job's problems name each column by its heading, as the admin's own
preview and problem table head it (curricula.resources.ImportColumn.heading): observed, a
Chinese uploader's job page labelled each problem by the column's raw name (credits, title)
where the preview of the same file heads the column by its Chinese name, its own in brackets.
An English reader sees the column as a file heads it, as the preview shows it."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from curricula.resources import ImportColumn
from curricula.tests.factories import CourseFactory
from positions.models import ImportJob, ImportStatus
from positions.tests.factories import AbilityFactory, FrameworkFactory, level

pytestmark = pytest.mark.django_db


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
    return SimpleUploadedFile("file.csv", buffer.getvalue().encode())


def _job_page(client, admin_url: str, upload, language: str, capture) -> tuple[ImportJob, str]:
    with capture(execute=True):
        response = client.post(
            reverse(admin_url),
            {"format": "0", "import_file": upload},
            HTTP_ACCEPT_LANGUAGE=language,
        )
    assert response.status_code == 302, response.content
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED, job.report
    return job, client.get(response.url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def _heading(column: str, language: str) -> str:
    with translation.override(language):
        return ImportColumn(column).heading


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_catalogue_job_names_the_columns_of_its_problems_by_their_headings(
    admin_client, django_capture_on_commit_callbacks, language
):
    upload = _csv([["code", "title", "credits"], ["K1", "Databases", "3"], ["K2", "", "three"]])
    job, page = _job_page(
        admin_client,
        "admin:curricula_course_import",
        upload,
        language,
        django_capture_on_commit_callbacks,
    )
    colon = ": " if language == "en" else "："  # noqa: RUF001
    problems = job.report["error"]["problems"]
    labels = sorted(problem["message"].split(colon)[0] for problem in problems)
    assert labels == sorted([_heading("credits", language), _heading("title", language)])
    if language == "zh-hans":
        assert labels == ["学分（credits）", "英文名称（title）"]  # noqa: RUF001
        assert "credits：" not in page  # noqa: RUF001
    else:
        assert labels == ["credits", "title"]
    for label in labels:
        assert f"{label}{colon}" in page


def test_a_link_job_names_the_columns_of_its_problems_by_their_headings(
    admin_client, django_capture_on_commit_callbacks
):
    framework = FrameworkFactory(name="Shop skills")
    AbilityFactory(framework=framework, code="S1")
    CourseFactory(code="C1")
    level("M")
    upload = _csv(
        [
            ["course", "framework", "ability", "level"],
            ["C1", "Shop skills", "S1", "Q"],
            ["NOPE", "Shop skills", "S1", "M"],
        ]
    )
    job, page = _job_page(
        admin_client,
        "admin:curricula_courseability_import",
        upload,
        "zh-hans",
        django_capture_on_commit_callbacks,
    )
    problems = job.report["error"]["problems"]
    labels = sorted(problem["message"].split("：")[0] for problem in problems)  # noqa: RUF001
    assert labels == ["等级（level）", "课程（course）"]  # noqa: RUF001
    for label in labels:
        assert f"{label}：" in page  # noqa: RUF001
