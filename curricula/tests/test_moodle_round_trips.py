"""The paper's framework exported as Moodle CSV and imported back, by each door an integrator
uses (the commands, the API, the admin), is the same framework: found by the ID numbers the
export wrote. Observed: the import made a second framework, a copy of the paper's 47 abilities."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from curricula.paper import data
from positions.importers.moodle import CURRENT_HEADERS
from positions.models import Ability, AbilityRelation, Framework, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _paper_framework() -> Framework:
    return Framework.objects.get(identifier=data.FRAMEWORK_IDENTIFIER)


def _held() -> tuple:
    """Everything an import could change, history included."""
    return (
        list(Framework.objects.order_by("pk").values()),
        list(Ability.objects.order_by("pk").values()),
        list(AbilityRelation.objects.order_by("pk").values()),
        sum(m.history.model.objects.count() for m in (Framework, Ability, AbilityRelation)),
    )


def _moodle_csv(client, framework: Framework) -> bytes:
    response = client.get(f"/api/v1/frameworks/{framework.pk}/moodle.csv")
    assert response.status_code == 200
    return response.content


def test_the_papers_framework_handed_back_through_the_api_changes_nothing(
    paper, staff_client, django_capture_on_commit_callbacks
):
    exported = _moodle_csv(staff_client, _paper_framework())
    before = _held()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("paper.csv", exported), "format": "moodle"},
            format="multipart",
        )

    assert response.status_code == 202, response.content
    job = staff_client.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert job["status"] == ImportStatus.SUCCEEDED, job["report"]["error"]
    report = job["report"]
    assert report["frameworks"] == [_paper_framework().pk]
    assert report["counts"]["framework"]["unchanged"] == 1
    assert report["counts"]["ability"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 47,
        "conflict": 0,
    }
    assert report["conflicts"] == []
    assert _held() == before


def test_the_papers_framework_edited_and_imported_back_by_command_is_the_same_framework(
    paper, tmp_path, capsys
):
    """A new competency joins the paper's framework; an edit of one of the paper's statements
    is reported as a conflict and the paper's text kept, as for any import: the paper's
    records (and those staff edited) are never overwritten by one."""
    framework = _paper_framework()
    path = tmp_path / "paper.csv"
    call_command("export_framework", framework.pk, format="moodle", output=str(path))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0]["ID number"] == str(data.FRAMEWORK_IDENTIFIER)
    assert rows[1]["ID number"] == "P01.1"
    rows[1]["Description"] = "An integrator's rewording"
    rows.append(
        {
            **dict.fromkeys(CURRENT_HEADERS, ""),
            "ID number": "X01",
            "Short name": "Customs declarations",
            "Description": "Prepare customs declarations for cross-border parcels.",
        }
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CURRENT_HEADERS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    paper_text = Ability.objects.get(framework=framework, code="P01.1").text

    call_command("import_framework", str(path), format="moodle")

    printed = capsys.readouterr().out
    assert "ability: 1 created, 0 updated, 46 unchanged, 1 conflict" in printed
    assert Framework.objects.count() == 1
    added = Ability.objects.get(code="X01")
    assert added.framework_id == framework.pk
    assert added.text == "Prepare customs declarations for cross-border parcels."
    assert Ability.objects.get(framework=framework, code="P01.1").text == paper_text
    report = ImportJob.objects.get().report
    assert report["conflicts"][0]["where"] == "line 3"
    assert report["changes"]["added"]["count"] == 1


def test_the_papers_framework_uploaded_back_in_the_admin_changes_nothing(
    paper, client, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    exported = _moodle_csv(client, _paper_framework())
    before = _held()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:positions_importjob_add"),
            {
                "format": "moodle",
                "upload": SimpleUploadedFile("paper.csv", exported),
                "min_level": "",
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED, job.report["error"]
    assert job.report["frameworks"] == [_paper_framework().pk]
    assert job.report["counts"]["ability"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 47,
        "conflict": 0,
    }
    page = client.get(reverse("admin:positions_importjob_change", args=[job.pk]))
    assert "47 unchanged" in page.content.decode()
    assert _held() == before
