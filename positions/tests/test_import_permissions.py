"""Issue 15, observed 10: import jobs are read with view_importjob only, and starting an import
takes the add and change permissions of every kind of record it writes, and the delete
permission of every kind it removes, at every door."""

import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from positions.importers import framework_import, import_permissions
from positions.models import Ability, Framework, ImportJob, Position, Requirement

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _staff(django_user_model, *codenames, username="importer"):
    user = django_user_model.objects.create_user(
        username=username, password="pass-123-import", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return django_user_model.objects.get(pk=user.pk)  # a fresh permission cache


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _job():
    return ImportJob.objects.create(format="case", path="/srv/import/secret-file.json")


@pytest.mark.django_db
def test_staff_without_view_importjob_cannot_read_jobs(django_user_model):
    job = _job()
    client = _client(_staff(django_user_model, "add_importjob", "view_framework"))

    assert client.get("/api/v1/imports/").status_code == 403
    response = client.get(f"/api/v1/imports/{job.pk}/")
    assert response.status_code == 403
    assert "secret-file" not in response.content.decode()


@pytest.mark.django_db
def test_view_importjob_reads_jobs(django_user_model):
    job = _job()
    client = _client(_staff(django_user_model, "view_importjob"))

    assert client.get("/api/v1/imports/").json()["count"] == 1
    assert client.get(f"/api/v1/imports/{job.pk}/").json()["source_name"] == ""


@pytest.mark.django_db
def test_the_admin_job_list_needs_view_importjob_too(client, django_user_model):
    _job()
    client.force_login(_staff(django_user_model, "add_importjob"))
    assert client.get(reverse("admin:positions_importjob_changelist")).status_code == 403


@pytest.mark.django_db
def test_add_importjob_alone_cannot_import_positions_and_requirements(
    django_user_model, django_capture_on_commit_callbacks
):
    client = _client(_staff(django_user_model, "add_importjob", "view_importjob"))
    upload = SimpleUploadedFile("esco.zip", b"PK\x05\x06" + b"\x00" * 18)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            "/api/v1/imports/", {"file": upload, "format": "esco"}, format="multipart"
        )

    assert response.status_code == 403
    assert "positions.add_position" in response.json()["detail"]
    assert not callbacks
    assert not ImportJob.objects.exists()
    assert not Position.objects.exists()
    assert not Requirement.objects.exists()


@pytest.mark.django_db
def test_holding_what_the_format_writes_starts_the_import(
    django_user_model, django_capture_on_commit_callbacks
):
    needed = [perm.split(".")[1] for perm in import_permissions("case")]
    assert needed == [
        "add_importjob",
        "add_framework",
        "change_framework",
        "add_ability",
        "change_ability",
        "add_abilityrelation",
        "change_abilityrelation",
        "delete_abilityrelation",
    ]
    client = _client(_staff(django_user_model, *needed))
    upload = SimpleUploadedFile("p.json", (FIXTURES / "case" / "package_1_1.json").read_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports/", {"file": upload, "format": "case"}, format="multipart"
        )

    assert response.status_code == 202, response.content
    assert Ability.objects.count() == 4

    # Short of one of them, the same upload is refused.
    fewer = _client(_staff(django_user_model, *needed[:-1], username="fewer"))
    upload.seek(0)
    refused = fewer.post("/api/v1/imports/", {"file": upload, "format": "case"}, format="multipart")
    assert refused.status_code == 403


@pytest.mark.django_db
def test_the_admin_upload_checks_what_the_format_writes(client, django_user_model):
    user = _staff(django_user_model, "add_importjob", "view_importjob", "change_importjob")
    client.force_login(user)
    upload = SimpleUploadedFile("p.json", (FIXTURES / "case" / "package_1_1.json").read_bytes())

    response = client.post(
        reverse("admin:positions_importjob_add"), {"format": "case", "upload": upload}
    )

    assert response.status_code == 200  # the form again, with the error
    assert "positions.add_framework" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not Framework.objects.exists()


@pytest.mark.parametrize(
    ("format", "removes", "writes_relations"),
    [
        ("case", ["delete_abilityrelation"], True),
        ("esco", ["delete_abilityrelation", "delete_requirement"], True),
        ("moodle", ["delete_abilityrelation"], True),
        ("onet", ["delete_requirement"], False),
        ("relations", [], True),
    ],
)
def test_an_import_takes_the_permissions_of_what_it_removes_and_every_kind_it_writes(
    format, removes, writes_relations
):
    """Observed (sec2): a framework import deletes the relations and requirements an earlier
    import wrote and the new version no longer lists, yet starting one took only the add and
    change permissions of what it writes, so staff without *delete requirement* deleted
    requirements through it; and an ESCO import writes isPartOf relations (its broader
    skills file) without asking for the relation permissions at all."""
    needed = [perm.split(".")[1] for perm in import_permissions(format)]

    assert sorted(perm for perm in needed if perm.startswith("delete_")) == removes
    assert ("add_abilityrelation" in needed) is writes_relations
    assert ("change_abilityrelation" in needed) is writes_relations


@pytest.mark.django_db
def test_staff_who_may_not_delete_requirements_cannot_remove_them_by_importing(
    tmp_path, django_user_model, django_capture_on_commit_callbacks
):
    """An ESCO version dropping an occupation's skill removes its requirement: started by
    staff lacking *delete requirement*, the import is refused and the requirement stays."""
    folder = tmp_path / "esco"
    shutil.copytree(FIXTURES / "esco_v12", folder)
    assert framework_import(path=folder, format="esco").ok
    assert Requirement.objects.count() == 4
    relations = folder / "occupationSkillRelations_en.csv"
    lines = relations.read_text().splitlines(keepends=True)
    relations.write_text("".join(line for line in lines if "test-skill-3" not in line))
    archive = shutil.make_archive(str(tmp_path / "dropped"), "zip", folder)
    writes_only = [
        perm.split(".")[1]
        for perm in import_permissions("esco")
        if not perm.split(".")[1].startswith("delete_")
    ]
    client = _client(_staff(django_user_model, *writes_only, "view_importjob"))

    with django_capture_on_commit_callbacks(execute=True):
        with open(archive, "rb") as stream:
            upload = SimpleUploadedFile("esco.zip", stream.read())
        response = client.post(
            "/api/v1/imports/", {"file": upload, "format": "esco"}, format="multipart"
        )

    assert response.status_code == 403, response.content
    assert "positions.delete_requirement" in response.json()["detail"]
    assert Requirement.objects.count() == 4
