"""A school's target positions and what they require come from a spreadsheet (local job adverts,
an employer survey): observed, a nursing school setting up 3 positions with about 15
requirements each could only type them one inline row at a time in the position admin, and no
file import of positions and their requirements existed outside the ESCO and O*NET importers.

The requirement import reads a CSV or XLSX at every door the catalogue and link imports have
(the service, the API's `requirements/import/` with dry_run and background, the admin's import
with its preview, `manage.py import_requirements`), all or nothing, every problem by line; a
position the file names by a code or name it does not know is created, as the catalogue creates
a course; and `requirements/export/` writes a file that imports back unchanged."""

import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import Provenance
from curricula.services import requirement_import
from positions.models import Importance, ImportJob, Position, Requirement
from positions.tests.factories import (
    AbilityFactory,
    FrameworkFactory,
    PositionFactory,
    RequirementFactory,
    level,
)

pytestmark = pytest.mark.django_db

PERMISSIONS = ("add_requirement", "change_requirement", "add_position", "change_position")
HEADER = "position,position_name,position_name_zh,framework,ability,importance,min_level"
# What the exports write: the ability's URI and external identifier after the import's columns.
EXPORT_HEADER = f"{HEADER},ability_uri,ability_external_id"


@pytest.fixture
def nursing(db):
    """A school's own framework of nursing abilities, one position already set up."""
    framework = FrameworkFactory(name="BSc Nursing Proficiencies")
    for code in ("P1.1", "P1.2", "P2.1", "P3.4"):
        AbilityFactory(framework=framework, code=code)
    ward = PositionFactory(name="Ward nurse", code="RN-WARD")
    RequirementFactory(
        position=ward,
        ability=framework.abilities.get(code="P1.1"),
        importance=Importance.ESSENTIAL,
        min_level=level("R"),
    )
    return framework


def _state() -> set[tuple]:
    return set(
        Requirement.objects.values_list(
            "position__name", "ability__code", "importance", "min_level__code"
        )
    )


def _upload(text: str, name: str = "requirements.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- What a designer's sheet says ----------------------------------------------------------------


def test_a_survey_sheet_creates_its_new_positions_and_their_requirements(nursing):
    """Positions named as an employer survey names them (no codes), abilities by code alone
    (one framework), importance and level in the designer's words, in any case."""
    content = _workbook(
        [
            ["Position", "Ability Code", "Importance", "Minimum level"],
            ["ICU nurse", "P1.1", "essential", "M"],
            ["ICU nurse", "P2.1", "Optional", "reinforced"],
            ["Community nurse", "P1.2", "核心", "初步接触"],
            ["community NURSE", "P3.4", "可选", "m"],
            ["Ward nurse", "P2.1", "ESSENTIAL", "Introduced"],
        ]
    )

    report = requirement_import(content=content, file_name="survey.xlsx")

    assert report.ok, report.errors
    assert (report.created, report.positions_created) == (5, 2)
    icu = Position.objects.get(name="ICU nurse")
    assert icu.provenance == Provenance.IMPORT
    assert icu.source_ref == "survey.xlsx, line 2"
    assert {
        (r.position.name, r.ability.code, r.importance, r.min_level.code)
        for r in Requirement.objects.exclude(position__code="RN-WARD", ability__code="P1.1")
    } == {
        ("ICU nurse", "P1.1", "essential", "M"),
        ("ICU nurse", "P2.1", "optional", "R"),
        ("Community nurse", "P1.2", "essential", "I"),
        ("Community nurse", "P3.4", "optional", "M"),
        ("Ward nurse", "P2.1", "essential", "I"),
    }


def test_a_position_named_by_a_new_code_takes_its_name_from_position_name(nursing):
    text = "\n".join(
        [
            "position,position_name,position_name_zh,ability,min_level",
            "RN-ICU,ICU nurse,重症监护护士,P1.1,M",
            "rn-icu,,,P1.2,R",
            "RN-WARD,,,P1.2,R",
        ]
    )

    report = requirement_import(content=text.encode(), file_name="r.csv")

    assert report.ok, report.errors
    icu = Position.objects.get(code="RN-ICU")
    assert (icu.name, icu.name_zh) == ("ICU nurse", "重症监护护士")
    assert icu.requirements.count() == 2
    assert Position.objects.get(code="RN-WARD").requirements.count() == 2
    assert report.positions_created == 1


@pytest.mark.parametrize(
    ("word", "importance"),
    [
        ("Essential", "essential"),
        ("required", "essential"),
        ("must", "essential"),
        ("必备", "essential"),
        ("核心", "essential"),
        ("optional", "optional"),
        ("nice to have", "optional"),
        ("preferred", "optional"),
        ("a plus", "optional"),
        ("可选", "optional"),
        ("优先", "optional"),
        ("加分", "optional"),
        ("", "essential"),
    ],
)
def test_importance_is_read_in_the_words_the_project_reads(nursing, word, importance):
    text = f"position,ability,importance,min_level\nRN-WARD,P3.4,{word},M\n"
    report = requirement_import(content=text.encode(), file_name="r.csv")
    assert report.ok, report.errors
    assert Requirement.objects.get(ability__code="P3.4").importance == importance


# --- All or nothing, every problem by line -------------------------------------------------------


def test_bad_lines_are_reported_together_by_line_and_nothing_is_written(nursing):
    before = _state()
    positions = Position.objects.count()
    text = "\n".join(
        [
            "position,ability,importance,min_level",
            "ICU nurse,P1.1,essential,M",  # fine, and a new position
            "ICU nurse,P9.9,sometimes,Q",  # unknown ability, importance and level at once
            "ICU nurse,P1.1,optional,R",  # the pair again
            ",P1.2,essential,M",  # no position
        ]
    )

    report = requirement_import(content=text.encode(), file_name="r.csv")

    assert not report.ok
    by_line = {error["line"]: set(error["errors"]) for error in report.errors}
    assert by_line == {3: {"ability", "importance", "min_level"}, 4: {"ability"}, 5: {"position"}}
    line_3 = report.errors[0]["errors"]
    assert "sometimes" in " ".join(line_3["importance"])
    assert "Q" in " ".join(line_3["min_level"])
    assert "Line 2 already gives" in " ".join(report.errors[1]["errors"]["ability"])
    assert _state() == before
    assert Position.objects.count() == positions, "the new position is not kept either"


def test_a_name_that_two_positions_share_is_refused_asking_for_the_code(nursing):
    PositionFactory(name="Staff nurse", code="SN-1")
    PositionFactory(name="Staff nurse", code="SN-2")
    text = "position,ability,min_level\nstaff nurse,P1.1,M\nSN-2,P1.1,M\n"

    report = requirement_import(content=text.encode(), file_name="r.csv")

    [problem] = report.errors
    assert problem["line"] == 2
    message = " ".join(problem["errors"]["position"])
    assert "SN-1" in message
    assert "SN-2" in message


def test_a_name_other_than_the_position_s_own_is_refused_not_written(nursing):
    text = "position,position_name,ability,min_level\nRN-WARD,Theatre nurse,P1.2,M\n"
    report = requirement_import(content=text.encode(), file_name="r.csv")
    [problem] = report.errors
    assert "Ward nurse" in " ".join(problem["errors"]["position_name"])
    assert Position.objects.get(code="RN-WARD").name == "Ward nurse"


def test_a_file_without_a_required_column_names_the_columns():
    with pytest.raises(ValidationError, match=r"lacks the column\(s\): ability, min_level\."):
        requirement_import(content=b"position,importance\nX,essential\n", file_name="r.csv")


# --- The API -------------------------------------------------------------------------------------


def test_an_api_export_imports_back_unchanged(nursing, api_client, staff_client):
    requirement_import(
        content=(
            "position,position_name,position_name_zh,ability,importance,min_level\n"
            "RN-ICU,ICU nurse,重症监护护士,P1.1,essential,M\n"
            "Community nurse,,,P3.4,optional,I\n"
        ).encode(),
        file_name="r.csv",
    )
    before = _state()
    exported = api_client.get("/api/v1/requirements/export/")
    assert exported.status_code == 200
    text = b"".join(exported.streaming_content).decode()
    assert text.splitlines()[0] == EXPORT_HEADER

    again = staff_client.post(
        "/api/v1/requirements/import/", {"file": _upload(text)}, format="multipart"
    )
    assert again.status_code == 200, again.json()
    assert again.json() == {
        "ok": True,
        "dry_run": False,
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "positions_created": 0,
        "errors": [],
        "errors_total": 0,
        "ignored_columns_notes": [],
        "ignored_columns": [],
        "lines_above_header": [],
        "hidden_lines": [],
        "hidden_columns": [],
        "warnings": [],
        "warnings_total": 0,
    }

    Requirement.objects.all().delete()
    Position.objects.exclude(code="RN-WARD").delete()
    response = staff_client.post(
        "/api/v1/requirements/import/", {"file": _upload(text)}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["created"], response.json()["positions_created"]) == (3, 2)
    assert _state() == before
    assert Position.objects.get(code="RN-ICU").name_zh == "重症监护护士"


def test_the_api_import_is_a_400_with_problems_by_line(nursing, staff_client):
    before = _state()
    text = "position,ability,min_level\nRN-WARD,P1.2,M\nRN-WARD,P0,M\n"
    response = staff_client.post(
        "/api/v1/requirements/import/", {"file": _upload(text)}, format="multipart"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert [error["line"] for error in body["errors"]] == [3]
    assert "P0" in str(body["errors"][0]["errors"]["ability"])
    assert _state() == before


def test_the_api_dry_run_writes_nothing(nursing, staff_client):
    before = _state()
    response = staff_client.post(
        "/api/v1/requirements/import/",
        {"file": _upload("position,ability,min_level\nICU nurse,P1.2,M\n"), "dry_run": "true"},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["dry_run"], body["created"], body["positions_created"]) == (True, 1, 1)
    assert _state() == before
    assert not Position.objects.filter(name="ICU nurse").exists()


def test_a_bad_api_import_is_a_400_naming_the_file(nursing, staff_client):
    response = staff_client.post(
        "/api/v1/requirements/import/",
        {"file": _upload("position,level\nX,M\n")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()


def test_the_api_imports_in_the_background(nursing, staff_client, settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    response = staff_client.post(
        "/api/v1/requirements/import/",
        {"file": _upload("position,ability,min_level\nICU nurse,P1.2,M\n"), "background": "true"},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    assert job.format == "requirements"
    assert response["Location"].endswith(f"/api/v1/imports/{job.pk}/")


@pytest.mark.parametrize(
    "codenames",
    [
        (),
        ("add_requirement",),
        ("change_requirement", "view_requirement"),
        ("add_requirement", "change_requirement"),
    ],
    ids=["staff without permissions", "add only", "change only", "no position permissions"],
)
def test_the_api_import_takes_the_requirement_and_position_permissions(
    nursing, api_client, django_user_model, codenames
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="u", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    api_client.force_authenticate(user)
    before = _state()
    response = api_client.post(
        "/api/v1/requirements/import/",
        {"file": _upload("position,ability,min_level\nRN-WARD,P1.2,M\n")},
        format="multipart",
    )
    assert response.status_code == 403
    assert _state() == before


def test_a_user_who_is_not_staff_may_not_import(nursing, api_client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="u", password="x")
    user.user_permissions.set(Permission.objects.filter(codename__in=PERMISSIONS))
    api_client.force_authenticate(user)
    response = api_client.post(
        "/api/v1/requirements/import/",
        {"file": _upload("position,ability,min_level\nRN-WARD,P1.2,M\n")},
        format="multipart",
    )
    assert response.status_code == 403


def test_staff_with_the_add_and_change_permissions_may_import(
    nursing, api_client, django_user_model
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(username="u", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=PERMISSIONS))
    api_client.force_authenticate(user)
    response = api_client.post(
        "/api/v1/requirements/import/",
        {"file": _upload("position,ability,min_level\nRN-WARD,P1.2,M\n")},
        format="multipart",
    )
    assert response.status_code == 200, response.json()


# --- The admin and the command -------------------------------------------------------------------


def test_the_admin_previews_then_imports_a_requirement_file(nursing, admin_client):
    text = "position,ability,importance,min_level\nICU nurse,P1.2,可选,M\n"
    preview = admin_client.post(
        reverse("admin:positions_requirement_import"),
        {"format": "0", "import_file": _upload(text)},
    )
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new"]
    assert not Position.objects.filter(name="ICU nurse").exists(), "a preview writes nothing"

    confirm = admin_client.post(
        reverse("admin:positions_requirement_process_import"),
        preview.context["confirm_form"].initial,
    )
    assert confirm.status_code == 302
    requirement = Requirement.objects.get(position__name="ICU nurse")
    assert (requirement.importance, requirement.min_level.code) == ("optional", "M")


def test_the_admin_export_imports_back_unchanged(nursing, admin_client, staff_client):
    before = _state()
    exported = admin_client.post(
        reverse("admin:positions_requirement_export"),
        {"format": "0", **{f"requirementresource_{c}": "on" for c in EXPORT_HEADER.split(",")}},
    )
    assert exported.status_code == 200, exported.content[:500]
    text = exported.content.decode("utf-8-sig")
    assert text.splitlines()[0] == EXPORT_HEADER
    Requirement.objects.all().delete()
    response = staff_client.post(
        "/api/v1/requirements/import/", {"file": _upload(text)}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert _state() == before


def test_the_command_imports_and_reports_by_line(nursing, tmp_path):
    path = tmp_path / "requirements.csv"
    path.write_text("position,ability,min_level\nICU nurse,P1.2,M\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_requirements", str(path), "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert (body["created"], body["positions_created"]) == (1, 1)

    path.write_text("position,ability,min_level\nICU nurse,P1.2,Z\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 line has problems"):
        call_command("import_requirements", str(path), stdout=io.StringIO(), stderr=err)
    assert "line 2" in err.getvalue()


def test_a_large_admin_file_is_imported_by_a_background_job_counting_its_positions(
    nursing, admin_client, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    text = "position,ability,importance,min_level\nICU nurse,P1.2,可选,M\nICU nurse,P2.1,,R\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:positions_requirement_import"),
            {"format": "0", "import_file": _upload(text)},
        )
    job = ImportJob.objects.get()
    job.refresh_from_db()
    assert job.format == "requirements"
    assert job.status == "succeeded", job.report
    assert job.report["counts"]["requirement"]["created"] == 2
    assert job.report["counts"]["position"]["created"] == 1
    page = admin_client.get(response.url)
    assert page.status_code == 200


def test_a_background_job_reports_every_bad_line(
    nursing, admin_client, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.ADMIN_IMPORT_INLINE_ROWS = 1
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    text = "position,ability,importance,min_level\nICU nurse,P0,often,M\nICU nurse,P2.1,,Q\n"
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:positions_requirement_import"),
            {"format": "0", "import_file": _upload(text)},
        )
    job = ImportJob.objects.get()
    job.refresh_from_db()
    assert job.status == "failed"
    where = sorted(problem["where"] for problem in job.report["error"]["problems"])
    assert where == ["line 2", "line 2", "line 3"]
    assert not Position.objects.filter(name="ICU nurse").exists()


def test_a_sheet_headed_in_chinese_imports(nursing):
    """A Chinese survey's headers (职位, 职位中文名称, 能力代码, 重要性, 最低等级), a level as a
    Chinese syllabus writes it (掌握) and a position named in Chinese only."""
    content = _workbook(
        [
            ["职位", "职位中文名称", "能力代码", "重要性", "最低等级"],
            ["社区护士", "社区护士", "P1.2", "核心", "掌握"],
            ["社区护士", "", "P2.1", "可选", "R"],
        ]
    )

    report = requirement_import(content=content, file_name="岗位调研.xlsx")

    assert report.ok, report.errors
    position = Position.objects.get(name="社区护士")
    assert position.name_zh == "社区护士"
    assert {
        (r.ability.code, r.importance, r.min_level.code) for r in position.requirements.all()
    } == {("P1.2", "essential", "M"), ("P2.1", "optional", "R")}
