"""Observed: the admin's import-job page read a catalogue job's advice on its left-out term
column from details.ignored_columns_notes, which only jobs run since that key was added store;
a catalogue job from before (ignored_columns naming 开课学期, no notes, no programme) lost the
advice its page gave. The page now works the notes out from ignored_columns where a report has
no notes, and a report lacking any of the keys the page reads is shown, not a 500."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from curricula.resources import terms_need_a_programme
from curricula.tests.factories import ProgrammeFactory
from positions.models import ImportFormat, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

COURSE_JOB = "admin:curricula_course_import_job"


def _page(client, job, url=COURSE_JOB) -> str:
    response = client.get(reverse(url, args=[job.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _catalogue_job(report) -> ImportJob:
    """A finished catalogue job whose report is `report`, as some release stored it."""
    return ImportJob.objects.create(
        format=ImportFormat.COURSES,
        path="/nowhere.csv",
        status=ImportStatus.SUCCEEDED,
        progress=100,
        report=report,
    )


def test_an_older_catalogue_job_left_without_its_term_column_still_says_to_choose_a_programme(
    admin_client,
):
    # As a job run before details.ignored_columns_notes was stored left its report.
    job = _catalogue_job(
        {
            "ok": True,
            "counts": {"course": {"created": 2}},
            "details": {"ignored_columns": ["开课学期"]},
        }
    )

    page = _page(admin_client, job)

    with translation.override("en"):
        note = terms_need_a_programme(["开课学期"])
    assert note
    assert note in page
    assert 'class="job-ignored-note"' in page


def test_a_job_that_stored_its_notes_shows_them_as_stored(admin_client):
    job = _catalogue_job(
        {
            "ok": True,
            "details": {"ignored_columns": ["开课学期"], "ignored_columns_notes": ["As stored."]},
        }
    )

    page = _page(admin_client, job)

    assert "As stored." in page
    assert page.count('class="job-ignored-note"') == 1


def test_a_job_into_a_programme_is_given_no_advice_to_choose_one(admin_client):
    programme = ProgrammeFactory()
    job = _catalogue_job(
        {
            "ok": True,
            "details": {"ignored_columns": ["开课学期"], "programme": programme.pk},
        }
    )

    assert 'class="job-ignored-note"' not in _page(admin_client, job)


@pytest.mark.parametrize(
    "report",
    [
        {},
        {"details": None},
        {"ok": True},
        {"ok": True, "details": {}},
        {"ok": True, "details": {"programme": "PROGRAMME"}},
        {"ok": False, "error": {"message": "Broke."}},
        {"ok": False, "error": None, "details": {"ignored_columns": None}},
    ],
)
@pytest.mark.parametrize(
    ("url", "kind"),
    [
        (COURSE_JOB, ImportFormat.COURSES),
        ("admin:curricula_courseability_import_job", ImportFormat.LINKS),
        ("admin:positions_requirement_import_job", ImportFormat.REQUIREMENTS),
    ],
)
@pytest.mark.parametrize("status", [ImportStatus.SUCCEEDED, ImportStatus.FAILED])
def test_a_job_whose_report_lacks_keys_the_page_reads_is_shown(
    admin_client, report, url, kind, status
):
    if report and (report.get("details") or {}).get("programme") == "PROGRAMME":
        report = {**report, "details": {"programme": ProgrammeFactory().pk}}
    job = ImportJob.objects.create(
        format=kind, path="/nowhere.csv", status=status, progress=100, report=report
    )

    _page(admin_client, job, url)


@pytest.mark.parametrize(
    "details",
    [
        {"ignored_columns_notes": "Choose a programme."},
        {"ignored_columns": "开课学期"},
    ],
)
def test_notes_or_columns_stored_as_text_are_not_read_a_character_at_a_time(admin_client, details):
    job = _catalogue_job({"ok": True, "details": details})

    page = _page(admin_client, job)

    assert 'class="job-ignored-note"' not in page
