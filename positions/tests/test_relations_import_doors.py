"""The crosswalk CSV import (relations between abilities) through every door the other imports
offer. Observed: `ability-relations/import-csv/` had no dry run and no background job, unlike
the catalogue, link, requirement and framework imports: a large relations file could not be
checked before importing, and one too big for a request had no way in. It now takes `dry_run`
and `background` as `courses/import/` does (a job of the import-job machinery, its status URL
in Location), and has a dry run and a background job in the admin and a command
(`import_relations`)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from positions import services
from positions.models import AbilityRelation, ImportFormat, ImportJob, ImportStatus
from positions.tests.factories import AbilityFactory, FrameworkFactory

URL = "/api/v1/ability-relations/import-csv/"
HEADER = "source_framework,source,relation_type,target_framework,target\n"
GOOD = HEADER + "CBE,CBE.7,exactMatchOf,ESCO,S1.2\nCBE,CBE.8,isRelatedTo,ESCO,S1.2\n"
BAD = GOOD + "CBE,CBE.404,exactMatchOf,ESCO,S1.2\nCBE,CBE.7,isFriendOf,ESCO,S1.2\n"


@pytest.fixture
def frameworks(db, settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    cbe = FrameworkFactory(name="CBE")
    esco = FrameworkFactory(name="ESCO")
    AbilityFactory(framework=cbe, code="CBE.7")
    AbilityFactory(framework=cbe, code="CBE.8")
    AbilityFactory(framework=esco, code="S1.2")
    return cbe, esco


def _csv(text: str, name: str = "crosswalk.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _post(client, text: str, query: str = "", name: str = "crosswalk.csv"):
    return client.post(f"{URL}{query}", {"file": _csv(text, name)}, format="multipart")


# --- The API: dry_run ----------------------------------------------------------------------------


def test_a_dry_run_of_a_bad_file_names_its_problems_by_line_and_writes_nothing(
    staff_client, frameworks
):
    response = _post(staff_client, BAD, "?dry_run=true")

    assert response.status_code == 400, response.content
    said = {e["line"]: " ".join(e["errors"]["__all__"]) for e in response.json()["errors"]}
    assert "CBE.404" in said[4]
    assert "isFriendOf" in said[5]
    assert 2 not in said
    assert 3 not in said
    assert not AbilityRelation.objects.exists()


def test_a_dry_run_of_a_good_file_writes_nothing_and_counts_what_it_would_write(
    staff_client, frameworks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _post(staff_client, GOOD, "?dry_run=true")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "ok": True,
        "dry_run": True,
        "created": 2,
        "unchanged": 0,
        "errors": [],
        "errors_total": 0,
    }
    assert not AbilityRelation.objects.exists()
    assert not ImportJob.objects.exists()
    # Nothing announced either: no coverage marked stale for relations never written.
    assert callbacks == []


def test_a_dry_run_given_in_the_form_counts_relations_there_as_unchanged(staff_client, frameworks):
    assert _post(staff_client, HEADER + "CBE,CBE.7,exactMatchOf,ESCO,S1.2\n").status_code == 200

    response = staff_client.post(URL, {"file": _csv(GOOD), "dry_run": "true"}, format="multipart")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "ok": True,
        "dry_run": True,
        "created": 1,
        "unchanged": 1,
        "errors": [],
        "errors_total": 0,
    }
    assert AbilityRelation.objects.count() == 1


def test_an_import_answers_dry_run_false(staff_client, frameworks):
    response = _post(staff_client, GOOD)

    assert response.status_code == 200, response.content
    assert response.json() == {
        "ok": True,
        "dry_run": False,
        "created": 2,
        "unchanged": 0,
        "errors": [],
        "errors_total": 0,
    }
    assert AbilityRelation.objects.count() == 2


def test_a_dry_run_that_is_not_true_or_false_is_refused(staff_client, frameworks):
    response = _post(staff_client, GOOD, "?dry_run=maybe")

    assert response.status_code == 400, response.content
    assert "dry_run" in response.json()
    assert not AbilityRelation.objects.exists()


def test_a_misspelt_parameter_is_refused_and_nothing_is_written(staff_client, frameworks):
    response = _post(staff_client, GOOD, "?dryrun=1")

    assert response.status_code == 400, response.content
    assert "dryrun" in response.json()
    assert not AbilityRelation.objects.exists()


# --- The API: background -----------------------------------------------------------------------


def test_a_background_import_runs_as_a_job_whose_status_url_reports_the_outcome(
    staff_client, frameworks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(staff_client, GOOD, "?background=true")

    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    assert job.format == ImportFormat.RELATIONS
    assert response.json()["id"] == job.pk
    assert response["Location"].endswith(f"/api/v1/imports/{job.pk}/")
    status = staff_client.get(response["Location"])
    assert status.status_code == 200, status.content
    body = status.json()
    assert body["status"] == ImportStatus.SUCCEEDED
    assert body["report"]["counts"]["relation"]["created"] == 2
    assert body["report"]["dry_run"] is False
    assert AbilityRelation.objects.count() == 2


def test_a_background_import_of_a_bad_file_fails_naming_each_line_and_writes_nothing(
    staff_client, frameworks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(staff_client, BAD, "?background=true")

    assert response.status_code == 202, response.content
    body = staff_client.get(response["Location"]).json()
    assert body["status"] == ImportStatus.FAILED
    error = body["report"]["error"]
    assert error["problems_total"] == 2
    wheres = [problem["where"] for problem in error["problems"]]
    assert wheres == ["line 4", "line 5"]
    assert "CBE.404" in error["problems"][0]["message"]
    assert "isFriendOf" in error["problems"][1]["message"]
    assert not AbilityRelation.objects.exists()


def test_a_background_dry_run_reports_the_counts_and_writes_nothing(
    staff_client, frameworks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(staff_client, GOOD, "?dry_run=true&background=true")

    assert response.status_code == 202, response.content
    body = staff_client.get(response["Location"]).json()
    assert body["status"] == ImportStatus.SUCCEEDED
    assert body["report"]["dry_run"] is True
    assert body["report"]["counts"]["relation"]["created"] == 2
    assert not AbilityRelation.objects.exists()


def test_a_background_import_of_a_workbook_is_refused_at_once(staff_client, frameworks):
    response = staff_client.post(
        f"{URL}?background=true",
        {"file": SimpleUploadedFile("crosswalk.csv", b"PK\x03\x04" + b"\x00" * 64)},
        format="multipart",
    )

    assert response.status_code == 400, response.content
    assert "CSV UTF-8" in str(response.json()["file"])
    assert not ImportJob.objects.exists()


def test_a_background_import_takes_the_permission_to_add_relations(
    api_client, staff_without_perms, frameworks
):
    api_client.force_authenticate(staff_without_perms)

    response = _post(api_client, GOOD, "?background=true")

    assert response.status_code == 403, response.content
    assert not ImportJob.objects.exists()


# --- The API: the inline bound -------------------------------------------------------------------


def test_a_file_past_the_inline_bound_gets_the_answer_the_other_imports_give(
    staff_client, frameworks, settings
):
    settings.API_IMPORT_INLINE_ROWS = 3
    text = GOOD + "\n" * 3

    relations = _post(staff_client, text)
    courses = staff_client.post("/api/v1/courses/import/", {"file": _csv(text)}, format="multipart")

    assert relations.status_code == 400, relations.content
    assert courses.status_code == 400, courses.content
    assert relations.json() == courses.json()
    assert "background=true" in relations.json()["file"][0]
    assert not AbilityRelation.objects.exists()


def test_a_file_past_the_inline_bound_is_imported_in_the_background(
    staff_client, frameworks, settings, django_capture_on_commit_callbacks
):
    settings.API_IMPORT_INLINE_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(staff_client, GOOD, "?background=true")

    assert response.status_code == 202, response.content
    assert AbilityRelation.objects.count() == 2


# --- The command ---------------------------------------------------------------------------------


def test_the_command_s_dry_run_writes_nothing_and_says_what_it_would_import(
    frameworks, tmp_path, capsys
):
    path = tmp_path / "crosswalk.csv"
    path.write_text(GOOD)

    call_command("import_relations", str(path), "--dry-run")

    assert "Would import: 2 created, 0 unchanged." in capsys.readouterr().out
    assert not AbilityRelation.objects.exists()


def test_the_command_imports_and_prints_json(frameworks, tmp_path, capsys):
    path = tmp_path / "crosswalk.csv"
    path.write_text(GOOD)

    call_command("import_relations", str(path), "--json")

    assert json.loads(capsys.readouterr().out) == {
        "ok": True,
        "dry_run": False,
        "created": 2,
        "unchanged": 0,
        "errors": [],
        "errors_total": 0,
    }
    assert AbilityRelation.objects.count() == 2


def test_the_command_names_each_bad_line_and_writes_nothing(frameworks, tmp_path, capsys):
    path = tmp_path / "crosswalk.csv"
    path.write_text(BAD)

    with pytest.raises(CommandError, match="Nothing was imported: 2 lines have problems"):
        call_command("import_relations", str(path))

    err = capsys.readouterr().err
    assert "line 4:" in err
    assert "line 5:" in err
    assert not AbilityRelation.objects.exists()


# --- The admin -----------------------------------------------------------------------------------


def test_the_admin_s_dry_run_writes_nothing_and_says_what_it_would_write(admin_client, frameworks):
    page = admin_client.post(
        reverse("admin:positions_abilityrelation_import_csv"),
        {"file": _csv(GOOD), "dry_run": "on"},
        follow=True,
    )

    assert page.status_code == 200
    assert "Dry run: nothing was written" in page.content.decode()
    assert not AbilityRelation.objects.exists()


def test_the_admin_s_dry_run_of_a_bad_file_lists_its_lines(admin_client, frameworks):
    page = admin_client.post(
        reverse("admin:positions_abilityrelation_import_csv"),
        {"file": _csv(BAD), "dry_run": "on"},
    )

    content = page.content.decode()
    assert "line 4:" in content
    assert "line 5:" in content
    assert not AbilityRelation.objects.exists()


def test_the_admin_hands_a_file_past_its_inline_bound_to_a_background_job(
    admin_client, frameworks, settings, django_capture_on_commit_callbacks
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_client.post(
            reverse("admin:positions_abilityrelation_import_csv"), {"file": _csv(GOOD)}
        )

    job = ImportJob.objects.get()
    assert job.format == ImportFormat.RELATIONS
    assert page.status_code == 302
    assert page["Location"] == reverse("admin:positions_importjob_change", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED
    assert AbilityRelation.objects.count() == 2
    job_page = admin_client.get(page["Location"])
    assert job_page.status_code == 200
    assert "crosswalk.csv" in job_page.content.decode()


def test_the_admin_s_background_dry_run_writes_nothing(
    admin_client, frameworks, settings, django_capture_on_commit_callbacks
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:positions_abilityrelation_import_csv"),
            {"file": _csv(GOOD), "dry_run": "on"},
        )

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED
    assert job.report["dry_run"] is True
    assert job.report["counts"]["relation"]["created"] == 2
    assert not AbilityRelation.objects.exists()


def test_the_service_s_dry_run_writes_nothing(frameworks):
    result = services.crosswalk_import_csv(text=GOOD, dry_run=True)

    assert (result.created, result.unchanged, result.dry_run) == (2, 0, True)
    assert not AbilityRelation.objects.exists()


# --- Who imported: the relations' history --------------------------------------------------------


def _history_users() -> set:
    return {
        record.history_user
        for relation in AbilityRelation.objects.all()
        for record in relation.history.all()
    }


def test_a_background_import_names_its_user_in_the_relations_history(
    staff_client, staff_user, frameworks, django_capture_on_commit_callbacks
):
    """Observed: relations written by a background crosswalk job had no history user (the
    service took none), where a background link import's name who started it: the audit trail
    of an ability relation imported in the background did not say who imported it."""
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(staff_client, GOOD, "?background=true")

    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert AbilityRelation.objects.count() == 2
    assert _history_users() == {staff_user} == {job.created_by}


def test_a_job_queued_before_it_named_its_user_names_its_creator(
    staff_client, staff_user, frameworks, django_capture_on_commit_callbacks
):
    """A crosswalk job queued before the job's options named who started it (`user_id`), run
    after the upgrade: its relations' history names the job's `created_by`, not no one."""
    with django_capture_on_commit_callbacks(execute=False):
        response = _post(staff_client, GOOD, "?background=true")
    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    job.options = {key: value for key, value in job.options.items() if key != "user_id"}
    job.save(update_fields=["options"])

    services.import_job_execute(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    assert AbilityRelation.objects.count() == 2
    assert _history_users() == {staff_user} == {job.created_by}
    assert "user_id" not in job.options  # the job as it was queued


def test_the_admin_s_background_import_names_its_user_in_the_relations_history(
    admin_client, admin_user, frameworks, settings, django_capture_on_commit_callbacks
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:positions_abilityrelation_import_csv"), {"file": _csv(GOOD)}
        )

    assert ImportJob.objects.get().status == ImportStatus.SUCCEEDED
    assert AbilityRelation.objects.count() == 2
    assert _history_users() == {admin_user}


def test_an_import_inside_the_request_names_its_user_in_the_relations_history(
    staff_client, staff_user, admin_client, admin_user, frameworks
):
    assert _post(staff_client, HEADER + "CBE,CBE.7,exactMatchOf,ESCO,S1.2\n").status_code == 200
    assert _history_users() == {staff_user}
    admin_client.post(
        reverse("admin:positions_abilityrelation_import_csv"),
        {"file": _csv(HEADER + "CBE,CBE.8,isRelatedTo,ESCO,S1.2\n")},
    )
    assert AbilityRelation.objects.count() == 2
    assert _history_users() == {staff_user, admin_user}
