"""The top_level_areas import option: a Moodle or CASE framework's top-level competencies become
its competency areas, namespaced by the framework, at every import door."""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

import positions.admin_imports  # noqa: F401  (registers the ImportJob admin)
from core.models import Provenance
from positions.importers import ImportFailed, framework_import
from positions.importers.areas import CODE_LENGTH, area_code_candidates
from positions.importers.moodle import MoodleImporter
from positions.models import Ability, CompetencyArea, Framework, ImportJob, ImportStatus

FIXTURES = Path(__file__).parent / "fixtures"
MOODLE = FIXTURES / "moodle" / "top_level_areas.csv"
CASE = FIXTURES / "case" / "top_level_areas.json"
AREAS = {"top_level_areas": True}


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _areas_by_code() -> dict[str, str | None]:
    """Each ability's code -> its area's code."""
    return dict(Ability.objects.values_list("code", "area__code"))


@pytest.mark.django_db
def test_moodle_roots_become_the_frameworks_areas_and_hold_their_descendants():
    report = framework_import(path=MOODLE, format="moodle", options=AREAS)

    assert report.ok, report.error
    framework = Framework.objects.get()
    a1, a2 = f"F{framework.pk}-A1", f"F{framework.pk}-A2"
    # The grandchild comes before its parent in the file; the headings are in their own area.
    assert _areas_by_code() == {
        "A1": a1,
        "A1.1": a1,
        "A1.2": a1,
        "A1.2.1": a1,
        "A2": a2,
        "A2.1": a2,
    }
    area = CompetencyArea.objects.get(code=a1)
    assert area.name == "Communication"
    assert area.framework == framework
    assert area.external_id == str(Ability.objects.get(code="A1").identifier)
    assert area.provenance == Provenance.IMPORT
    assert area.source_ref == "top_level_areas.csv"
    assert [a.code for a in CompetencyArea.objects.filter(framework=framework)] == [a1, a2]
    assert report.as_dict()["counts"]["area"]["created"] == 2
    assert area.history.get().history_type == "+"


@pytest.mark.django_db
def test_without_the_option_no_area_is_made():
    report = framework_import(path=MOODLE, format="moodle")

    assert report.ok, report.error
    assert not CompetencyArea.objects.exists()
    assert set(_areas_by_code().values()) == {None}


@pytest.mark.django_db
def test_a_reimport_reuses_the_frameworks_own_areas():
    framework_import(path=MOODLE, format="moodle", options=AREAS)
    before = list(CompetencyArea.objects.values_list("pk", "code", "name"))
    placed = _areas_by_code()

    again = framework_import(path=MOODLE, format="moodle", options=AREAS)

    assert again.ok, again.error
    assert list(CompetencyArea.objects.values_list("pk", "code", "name")) == before
    assert _areas_by_code() == placed
    counts = again.as_dict()["counts"]
    assert counts["area"] == {"created": 0, "updated": 0, "unchanged": 2, "conflict": 0}
    assert counts["ability"]["unchanged"] == 6


@pytest.mark.django_db
def test_a_framework_imported_without_areas_gets_them_on_a_reimport_with_the_option():
    framework_import(path=MOODLE, format="moodle")

    report = framework_import(path=MOODLE, format="moodle", options=AREAS)

    assert report.ok, report.error
    assert report.as_dict()["counts"]["ability"]["updated"] == 6
    assert None not in _areas_by_code().values()


@pytest.mark.django_db
def test_two_frameworks_with_the_same_root_codes_never_share_an_area(tmp_path):
    paper_a1 = CompetencyArea.objects.create(code="A1", name="The paper's A1")
    framework_import(path=MOODLE, format="moodle", options=AREAS)
    other = tmp_path / "other.csv"
    other.write_text(MOODLE.read_text().replace("TLA-FW", "TLA-OTHER"))

    report = framework_import(path=other, format="moodle", options=AREAS)

    assert report.ok, report.error
    first, second = Framework.objects.order_by("pk")
    a1s = CompetencyArea.objects.filter(name="Communication").order_by("pk")
    assert [(a.code, a.framework_id) for a in a1s] == [
        (f"F{first.pk}-A1", first.pk),
        (f"F{second.pk}-A1", second.pk),
    ]
    assert Ability.objects.get(framework=second, code="A1.1").area.framework == second
    paper_a1.refresh_from_db()
    assert paper_a1.name == "The paper's A1"
    assert not paper_a1.abilities.exists()


@pytest.mark.django_db
def test_an_area_code_held_elsewhere_is_not_taken_over():
    framework_import(path=MOODLE, format="moodle")
    framework = Framework.objects.get()
    staff_area = CompetencyArea.objects.create(code=f"F{framework.pk}-A1", name="Staff's own")

    report = framework_import(path=MOODLE, format="moodle", options=AREAS)

    assert report.ok, report.error
    own = CompetencyArea.objects.get(framework=framework, name="Communication")
    assert own.code == f"F{framework.pk}-A1~2"
    assert Ability.objects.get(code="A1.1").area == own
    assert not staff_area.abilities.exists()
    staff_area.refresh_from_db()
    assert (staff_area.name, staff_area.framework) == ("Staff's own", None)
    # Said at the line of the competency the area is made of.
    assert report.warnings == [
        {
            "where": "line 6",
            "message": f"the competency area code F{framework.pk}-A1 is another area's: this "
            f"framework's area is F{framework.pk}-A1~2",
        }
    ]
    # Re-imported, the framework's own area is found again, not a third one made.
    again = framework_import(path=MOODLE, format="moodle", options=AREAS)
    assert again.as_dict()["counts"]["area"]["created"] == 0
    assert CompetencyArea.objects.count() == 3


def test_area_codes_are_namespaced_normalised_and_fit_the_field():
    candidates = area_code_candidates(7, "\uff21\uff11 ")
    assert [next(candidates) for _ in range(3)] == ["F7-A1", "F7-A1~2", "F7-A1~3"]
    long_one = next(area_code_candidates(123, "CCSS.Math.Content.HSA"))
    long_two = next(area_code_candidates(123, "CCSS.Math.Content.HSF"))
    assert long_one.startswith("F123-CCSS.M")
    assert len(long_one) == len(long_two) == CODE_LENGTH
    assert long_one != long_two
    clash = area_code_candidates(123, "CCSS.Math.Content.HSA")
    next(clash)
    assert len(next(clash)) == CODE_LENGTH


@pytest.mark.django_db
def test_an_area_code_leaves_out_the_hidden_characters_of_its_competencys_code(tmp_path):
    """A code holds no control or invisible character (core.models.validate_code_characters);
    an area's is made from a publisher's code, which may: a tab and a zero-width space in a
    top-level item's humanCodingScheme failed the whole import at that item."""
    package = json.loads(CASE.read_text())
    top = next(item for item in package["CFItems"] if item.get("humanCodingScheme") == "A1")
    top["humanCodingScheme"] = "A\t1\u200b"
    path = tmp_path / "hidden.json"
    path.write_text(json.dumps(package))

    report = framework_import(path=path, format="case", options=AREAS)

    assert report.ok, report.error
    framework = Framework.objects.get()
    assert CompetencyArea.objects.get(name="Communication").code == f"F{framework.pk}-A 1"
    assert [next(area_code_candidates(7, "\u200bB\u200b2\n"))] == ["F7-B2"]


@pytest.mark.django_db
def test_case_items_under_the_document_become_areas():
    report = framework_import(path=CASE, format="case", options=AREAS)

    assert report.ok, report.error
    framework = Framework.objects.get()
    a1, second = f"F{framework.pk}-A1", f"F{framework.pk}-2"
    by_text = dict(Ability.objects.values_list("text", "area__code"))
    assert by_text == {
        "Communicate with overseas customers.": a1,
        "Answer customer enquiries by e-mail and chat.": a1,
        "Quote prices in the buyer's currency.": a1,
        # No humanCodingScheme: the area is numbered by its place among the top-level items.
        "Digital marketing": second,
        "Run a social media campaign.": second,
        # No isChildOf at all: not under the document, so in no area.
        "Keep records of every shipment.": None,
    }
    assert CompetencyArea.objects.get(code=a1).name == "Communication"
    assert CompetencyArea.objects.get(code=second).name == "Digital marketing"

    again = framework_import(path=CASE, format="case", options=AREAS)
    assert again.as_dict()["counts"]["area"]["unchanged"] == 2
    assert CompetencyArea.objects.count() == 2


@pytest.mark.django_db
def test_a_bad_file_with_the_option_reports_its_line_and_writes_nothing():
    report = framework_import(
        path=FIXTURES / "moodle" / "unknown_parent.csv", format="moodle", options=AREAS
    )

    assert not report.ok
    assert report.error["where"].startswith("line ")
    assert not CompetencyArea.objects.exists()


@pytest.mark.django_db
def test_areas_are_written_in_the_imports_transaction(monkeypatch):
    def fail(*args, **kwargs):
        raise ImportFailed("stop after the areas", where="line 7")

    monkeypatch.setattr(MoodleImporter, "_write_relations", fail)

    report = framework_import(path=MOODLE, format="moodle", options=AREAS)

    assert report.error == {"where": "line 7", "message": "stop after the areas"}
    assert not CompetencyArea.objects.exists()
    assert not Framework.objects.exists()


# --- The doors --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_takes_the_flag():
    call_command("import_framework", str(MOODLE), format="moodle", top_level_areas=True)

    assert CompetencyArea.objects.count() == 2
    assert ImportJob.objects.get().options["top_level_areas"] is True


@pytest.mark.django_db
def test_the_command_refuses_the_flag_for_other_formats():
    with pytest.raises(CommandError, match="Moodle or CASE"):
        call_command(
            "import_framework", str(FIXTURES / "onet"), format="onet", top_level_areas=True
        )
    assert not ImportJob.objects.exists()


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())


@pytest.mark.django_db
def test_the_api_takes_the_field(staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/imports/",
            {"file": _upload(CASE), "format": "case", "top_level_areas": "true"},
            format="multipart",
        )

    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED
    assert job.report["counts"]["area"]["created"] == 2
    assert CompetencyArea.objects.count() == 2


@pytest.mark.django_db
def test_the_api_refuses_the_field_for_other_formats(staff_client):
    response = staff_client.post(
        "/api/v1/imports/",
        {"file": _upload(CASE), "format": "onet", "top_level_areas": "true"},
        format="multipart",
    )

    assert response.status_code == 400
    assert "Moodle or CASE" in response.json()["top_level_areas"][0]
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_option_takes_the_permission_to_add_areas(staff_user, api_client):
    staff_user.user_permissions.remove(Permission.objects.get(codename="add_competencyarea"))
    api_client.force_authenticate(staff_user)

    response = api_client.post(
        "/api/v1/imports/",
        {"file": _upload(CASE), "format": "case", "top_level_areas": "true"},
        format="multipart",
    )

    assert response.status_code == 403
    assert "positions.add_competencyarea" in response.json()["detail"]
    plain = api_client.post(
        "/api/v1/imports/", {"file": _upload(CASE), "format": "case"}, format="multipart"
    )
    assert plain.status_code == 202, plain.content


@pytest.mark.django_db
def test_the_admin_upload_has_the_checkbox(client, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    url = reverse("admin:positions_importjob_add")
    assert 'name="top_level_areas"' in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "format": "moodle",
                "upload": _upload(MOODLE),
                "min_level": "",
                "top_level_areas": "on",
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert ImportJob.objects.get().status == ImportStatus.SUCCEEDED
    assert CompetencyArea.objects.count() == 2


@pytest.mark.django_db
def test_the_admin_upload_refuses_the_checkbox_for_other_formats(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:positions_importjob_add"),
        {"format": "onet", "upload": _upload(CASE), "min_level": "", "top_level_areas": "on"},
    )

    assert response.status_code == 200
    assert "Moodle or CASE" in response.content.decode()
    assert not ImportJob.objects.exists()
