"""The same import asked for twice at once (the admin's Save pressed twice, an API client
retrying a POST whose answer was slow): observed on PostgreSQL, the second request read the
first's claim before the first had stored its job (the upload being written, the job not yet
committed), took the claim to be over and started a second job of the same file, which
imported it again. The second request now waits for the job the claim names and answers it."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from conftest import django_in_a_fresh_process, skip_or_fail
from positions import services
from positions.models import ImportJob

CONTENT = b"code,title\nK1,Costing\nK2,Tax\n"


@pytest.mark.django_db(transaction=True)
def test_the_same_import_posted_twice_at_once_answers_one_job(staff_user, settings, tmp_path):
    if connection.vendor != "postgresql":
        skip_or_fail("two requests at once need PostgreSQL (DATABASE_URL=postgres://...)")
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path)
    from positions import tasks

    first_storing, second_answered = threading.Event(), threading.Event()
    real_save = ImportJob.save
    saves = []

    def slow_first_save(self, *args, **kwargs):
        saves.append(self)
        if len(saves) == 1:
            # The first request has claimed the import and is storing its job (a large
            # upload takes a while): the second arrives now.
            first_storing.set()
            second_answered.wait(timeout=3)
        return real_save(self, *args, **kwargs)

    answers = {}

    def post(name: str) -> None:
        client = APIClient()
        client.force_authenticate(staff_user)
        try:
            answers[name] = client.post(
                "/api/v1/courses/import/?background=true",
                {"file": SimpleUploadedFile("courses.csv", CONTENT)},
                format="multipart",
            )
        finally:
            connection.close()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ImportJob, "save", slow_first_save)
        # No worker: the job waits, as it does behind a busy queue.
        patch.setattr(tasks.import_job_run, "delay", lambda job_id: None)
        patch.setattr(services, "ensure_queue_reachable", lambda **kwargs: None)
        first = threading.Thread(target=post, args=("first",))
        first.start()
        assert first_storing.wait(timeout=30)
        second = threading.Thread(target=post, args=("second",))
        second.start()
        second.join(timeout=30)
        second_answered.set()
        first.join(timeout=30)

    assert answers["first"].status_code == 202, answers["first"].content
    assert answers["second"].status_code == 202, answers["second"].content
    assert answers["second"].json()["id"] == answers["first"].json()["id"]
    assert ImportJob.objects.count() == 1


@pytest.mark.django_db
def test_a_request_that_could_not_store_its_job_lets_the_next_one_start_at_once(
    staff_client, settings, tmp_path, monkeypatch
):
    """Its claim is let go: the same import asked again is not kept waiting for a job that will
    never come (IMPORT_CLAIM_WAIT_SECONDS)."""
    import time

    from django.core.exceptions import ValidationError

    from positions import tasks

    settings.IMPORT_UPLOAD_ROOT = str(tmp_path)
    monkeypatch.setattr(tasks.import_job_run, "delay", lambda job_id: None)
    real_clean = ImportJob.full_clean
    cleans = []

    def refused_once(self, *args, **kwargs):
        cleans.append(self)
        if len(cleans) == 1:
            raise ValidationError({"source_name": "refused"})
        return real_clean(self, *args, **kwargs)

    monkeypatch.setattr(ImportJob, "full_clean", refused_once)

    def post():
        return staff_client.post(
            "/api/v1/courses/import/?background=true",
            {"file": SimpleUploadedFile("courses.csv", CONTENT)},
            format="multipart",
        )

    assert post().status_code == 400
    started = time.monotonic()
    again = post()

    assert again.status_code == 202, again.content
    assert time.monotonic() - started < services.import_claim_wait_seconds() / 2
    assert ImportJob.objects.count() == 1


@pytest.mark.django_db
def test_the_claim_wait_is_the_import_claim_wait_seconds_setting(
    staff_client, settings, tmp_path, monkeypatch
):
    """An operator sets how long a request waits for the job of the same import another request
    is still storing (IMPORT_CLAIM_WAIT_SECONDS, read from the environment; default 10 s): it
    was a module constant. Here the other request's job never comes; this one waits the setting's
    second, then starts its own job."""
    import time

    from positions import tasks

    settings.IMPORT_UPLOAD_ROOT = str(tmp_path)
    settings.IMPORT_CLAIM_WAIT_SECONDS = 1
    monkeypatch.setattr(tasks.import_job_run, "delay", lambda job_id: None)
    # Another request holds the claim of this very import and is still storing its job.
    monkeypatch.setattr(
        services,
        "claim_take",
        lambda **kwargs: ("claim", {"task_id": "other", "at": time.time()}),
    )

    started = time.monotonic()
    answer = staff_client.post(
        "/api/v1/courses/import/?background=true",
        {"file": SimpleUploadedFile("courses.csv", CONTENT)},
        format="multipart",
    )
    waited = time.monotonic() - started

    assert answer.status_code == 202, answer.content
    assert 1 <= waited < 5
    assert ImportJob.objects.count() == 1


def test_the_claim_wait_is_read_from_the_environment_and_defaults_to_ten_seconds():
    printed = "settings.IMPORT_CLAIM_WAIT_SECONDS"
    default = django_in_a_fresh_process(printed, drop=("DJANGO_", "IMPORT_CLAIM"))
    assert default.returncode == 0, default.stderr
    assert default.stdout.strip() == "10"
    given = django_in_a_fresh_process(printed, IMPORT_CLAIM_WAIT_SECONDS="3")
    assert given.returncode == 0, given.stderr
    assert given.stdout.strip() == "3"
