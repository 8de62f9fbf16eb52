"""The import doors other than the service: API (202 + job), admin upload, commands."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from positions.models import Ability, Framework, ImportJob, ImportStatus, Requirement

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _upload(name="package_1_1.json", folder="case"):
    return SimpleUploadedFile(name, (FIXTURES / folder / name).read_bytes())


@pytest.mark.django_db
def test_staff_post_multipart_gets_202_and_a_job_that_ran(
    staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(
            "/api/v1/imports/", {"file": _upload(), "format": "case"}, format="multipart"
        )

    assert response.status_code == 202, response.content
    assert len(callbacks) == 1
    job_id = response.json()["id"]
    detail = staff_client.get(f"/api/v1/imports/{job_id}/").json()
    assert detail["status"] == ImportStatus.SUCCEEDED
    assert detail["progress"] == 100
    assert detail["report"]["counts"]["ability"]["created"] == 4
    assert detail["created_by"] == "staff"
    assert Ability.objects.count() == 4


@pytest.mark.django_db
def test_failed_job_reports_the_error(staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/imports/",
            {"file": _upload("malformed.json"), "format": "case"},
            format="multipart",
        )

    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == ImportStatus.FAILED
    assert "malformed JSON" in job.report["error"]["message"]
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_post_without_file_or_with_bad_format_is_400(staff_client):
    missing = staff_client.post("/api/v1/imports/", {"format": "case"}, format="multipart")
    bad = staff_client.post(
        "/api/v1/imports/", {"file": _upload(), "format": "xls"}, format="multipart"
    )

    assert missing.status_code == 400
    assert "file" in missing.json()
    assert bad.status_code == 400
    assert "format" in bad.json()


@pytest.mark.django_db
def test_upload_over_the_size_limit_is_400(staff_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0

    response = staff_client.post(
        "/api/v1/imports/", {"file": _upload(), "format": "case"}, format="multipart"
    )

    assert response.status_code == 400
    assert "file" in response.json()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_anonymous_get_401_and_non_staff_403(api_client, plain_user):
    job = ImportJob.objects.create(format="case", path="/tmp/x.json")
    anonymous = api_client.post("/api/v1/imports/", {"format": "case"}, format="multipart")
    api_client.force_authenticate(plain_user)
    post = api_client.post(
        "/api/v1/imports/", {"file": _upload(), "format": "case"}, format="multipart"
    )
    get = api_client.get(f"/api/v1/imports/{job.pk}/")

    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == "Token"
    assert post.status_code == 403
    assert get.status_code == 403


@pytest.mark.django_db
def test_job_list_query_count_does_not_grow(staff_client, staff_user, django_assert_num_queries):
    for n in range(3):
        ImportJob.objects.create(format="case", path=f"/tmp/{n}.json", created_by=staff_user)
    # Reading jobs takes view_importjob: the first request loads (and caches) the permissions.
    staff_client.get("/api/v1/imports/")
    with django_assert_num_queries(2) as small:
        staff_client.get("/api/v1/imports/")
    for n in range(10):
        ImportJob.objects.create(format="case", path=f"/tmp/m{n}.json", created_by=staff_user)
    with django_assert_num_queries(len(small.captured_queries)):
        response = staff_client.get("/api/v1/imports/")
    assert response.json()["count"] == 13


@pytest.mark.django_db
def test_moodle_csv_export_endpoint(api_client):
    from positions.importers import framework_import

    framework_import(path=FIXTURES / "moodle" / "current.csv", format="moodle")
    framework = Framework.objects.get()

    response = api_client.get(f"/api/v1/frameworks/{framework.pk}/moodle.csv")
    missing = api_client.get("/api/v1/frameworks/999999/moodle.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("Parent ID number,ID number,Short name")
    assert missing.status_code == 404


@pytest.mark.django_db
def test_admin_upload_creates_and_runs_a_job(
    client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    url = reverse("admin:positions_importjob_add")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"format": "moodle", "upload": _upload("current.csv", "moodle"), "min_level": ""}
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED
    assert job.created_by == admin_user
    assert Framework.objects.get().external_id == "CBE-FW"
    page = client.get(reverse("admin:positions_importjob_change", args=[job.pk]))
    assert page.status_code == 200
    assert "ability: 5 created" in page.content.decode()


@pytest.mark.django_db
def test_import_command_prints_a_report_and_fails_loudly(capsys):
    call_command("import_framework", str(FIXTURES / "onet"), format="onet")
    assert "requirement: 4 created" in capsys.readouterr().out

    with pytest.raises(CommandError, match="unknown reference"):
        call_command(
            "import_framework", str(FIXTURES / "moodle" / "unknown_parent.csv"), format="moodle"
        )


@pytest.mark.django_db
def test_import_command_refuses_unknown_min_level():
    with pytest.raises(CommandError, match="No level"):
        call_command("import_framework", str(FIXTURES / "esco_v11"), format="esco", min_level="Z")


@pytest.mark.django_db
@pytest.mark.parametrize("written", ["r", " R ", "Reinforced", "ｒ"])  # noqa: RUF001
def test_import_command_reads_min_level_as_every_other_door_reads_a_level(written):
    """`--min-level` names a level as `min_level` of `POST /api/v1/imports/` does (a code in any
    case or width, or a name): `--min-level r` was refused ("No level with code r.") while the
    API took `r`, and the README reads level codes in any case."""
    call_command("import_framework", str(FIXTURES / "esco_v11"), format="esco", min_level=written)

    assert ImportJob.objects.get().options["min_level"] == "R"
    levels = set(Requirement.objects.values_list("min_level__code", flat=True))
    assert levels == {"R"}


@pytest.mark.django_db
def test_import_command_names_the_levels_when_it_refuses_one():
    with pytest.raises(CommandError, match=r"levels: I \(Introduced\), R \(Reinforced\)"):
        call_command("import_framework", str(FIXTURES / "esco_v11"), format="esco", min_level="Z")
    assert not ImportJob.objects.exists()


def _admin_upload(client, name: str):
    return client.post(
        reverse("admin:positions_importjob_add"),
        {"format": "moodle", "upload": _upload(name, "moodle"), "min_level": ""},
        follow=True,
    )


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db(transaction=True)
def test_the_admin_says_what_became_of_a_job_run_inline(client, admin_user):
    """Without a broker (the embedded default) the job has run once the upload is saved: the
    message says it succeeded or failed, not that it was added "(pending)" to run later."""
    client.force_login(admin_user)

    done = _messages(_admin_upload(client, "current.csv"))
    failed = _messages(_admin_upload(client, "unknown_parent.csv"))

    assert ImportJob.objects.get(source_name="current.csv").status == ImportStatus.SUCCEEDED
    assert any("current.csv" in m and "has run and succeeded" in m for m in done), done
    assert any("unknown_parent.csv" in m and "has run and failed" in m for m in failed), failed
    for message in done + failed:
        assert "pending" not in message
        assert "in the background" not in message


@pytest.mark.django_db(transaction=True)
def test_the_admin_says_why_a_job_run_inline_failed(client, admin_user):
    """Observed: a designer's first framework upload said only "nothing was written; its job
    gives the reason", so a file with one wrong cell took a second page to mend. The message
    names where and what, as the job's summary does."""
    client.force_login(admin_user)

    failed = _messages(_admin_upload(client, "unknown_parent.csv"))

    [message] = [m for m in failed if "unknown_parent.csv" in m]
    assert "has run and failed" in message
    assert "line 4" in message
    assert "parent ID number MISSING is not in the file" in message


@pytest.mark.django_db(transaction=True)
def test_the_admin_says_a_job_a_worker_will_run_is_pending(client, admin_user, monkeypatch):
    from positions import tasks

    client.force_login(admin_user)
    monkeypatch.setattr(tasks.import_job_run, "delay", lambda job_id: None)

    messages = _messages(_admin_upload(client, "current.csv"))

    assert ImportJob.objects.get().status == ImportStatus.PENDING
    assert any("current.csv" in m and "Pending" in m and "background" in m for m in messages)
    assert not any("added successfully" in m for m in messages), messages


@pytest.mark.django_db
def test_a_polled_job_answers_an_etag_and_304_until_its_state_progress_or_report_change(
    staff_client,
):
    """A client polling a job sends back the ETag it read: 304 while nothing it would see
    changed, 200 with a new ETag once the status, the live progress or the report did."""
    from django.core.cache import cache

    job = ImportJob.objects.create(format="case", path="/tmp/x.json")
    url = f"/api/v1/imports/{job.pk}/"

    def poll(etag):
        response = staff_client.get(url, HTTP_IF_NONE_MATCH=etag)
        if response.status_code == 304:
            assert response.content == b""
            assert response["ETag"] == etag
        return response

    etag = staff_client.get(url)["ETag"]
    assert etag
    assert poll(etag).status_code == 304

    job.status = ImportStatus.RUNNING
    job.save()
    running = poll(etag)
    assert running.status_code == 200
    assert running.json()["status"] == ImportStatus.RUNNING
    assert running["ETag"] != etag
    etag = running["ETag"]
    assert poll(etag).status_code == 304

    # Live progress lives in the cache while the job's transaction is open, not in its row.
    cache.set(job.progress_cache_key, {"progress": 40, "stage": "abilities"})
    progressed = poll(etag)
    assert progressed.status_code == 200
    assert progressed.json()["progress"] == 40
    etag = progressed["ETag"]
    assert poll(etag).status_code == 304

    cache.delete(job.progress_cache_key)
    job.status, job.progress, job.report = ImportStatus.SUCCEEDED, 100, {"counts": {}}
    job.save()
    finished = poll(etag)
    assert finished.status_code == 200
    assert finished.json()["report"] == {"counts": {}}
    etag = finished["ETag"]
    job.report = {"counts": {"ability": {"created": 1}}}
    job.save()
    assert poll(etag).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "kept"), [("r", "R"), (" M ", "M")])
def test_min_level_is_read_by_its_code_in_any_case(staff_client, staff_user, given, kept):
    """Levels are written by code in any case, as every other level field takes them. Observed:
    `min_level=m` was a 400, "Object with code=m does not exist."."""
    response = staff_client.post(
        "/api/v1/imports/",
        {"file": _upload(), "format": "case", "min_level": given},
        format="multipart",
    )

    assert response.status_code == 202, response.content
    options = ImportJob.objects.get(pk=response.json()["id"]).options
    assert options == {"min_level": kept, "user_id": staff_user.pk}


@pytest.mark.django_db
def test_an_unknown_min_level_is_refused_naming_the_code(staff_client):
    response = staff_client.post(
        "/api/v1/imports/",
        {"file": _upload(), "format": "case", "min_level": "Q"},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json() == {
        "min_level": [
            'No level has the code or name "Q" '
            "(levels: I (Introduced), R (Reinforced), M (Mastered))."
        ]
    }
