# ruff: noqa: RUF001, RUF002  (Chinese text takes full-width parentheses)
"""A course-ability link's Chinese note travels with its files: the link export (API, admin)
writes it in a `note_zh` column beside the own `note`, and every import (the API's, the admin's
preview-and-confirm, the background job) reads it back, so an export imported again keeps it.
A file without the column leaves the Chinese notes as they are; a Chinese file may head it
备注（中文）."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.models import CourseAbility
from curricula.tests.factories import CourseAbilityFactory, CourseFactory
from positions.models import Level
from positions.tests.factories import AbilityFactory, FrameworkFactory

pytestmark = pytest.mark.django_db

NOTE, NOTE_ZH = "Builds the ability in the project.", "在项目中培养该能力。"


@pytest.fixture
def links():
    framework = FrameworkFactory()
    first = CourseAbilityFactory(
        course=CourseFactory(code="C-1"),
        ability=AbilityFactory(framework=framework, code="A1"),
        level=Level.objects.get(code="M"),
        note=NOTE,
        note_zh=NOTE_ZH,
    )
    second = CourseAbilityFactory(
        course=CourseFactory(code="C-2"),
        ability=AbilityFactory(framework=framework, code="A2"),
        level=Level.objects.get(code="I"),
        note="",
        note_zh="",
    )
    return first, second


def _api_export(client) -> str:
    response = client.get("/api/v1/course-abilities/export/")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def _chinese_notes() -> dict[str, str]:
    return dict(CourseAbility.objects.values_list("course__code", "note_zh"))


def test_the_api_export_writes_the_chinese_note_and_its_import_reads_it_back(links, staff_client):
    exported = _api_export(staff_client)
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == [
        "course",
        "framework",
        "ability",
        "level",
        "note",
        "note_zh",
        "ability_uri",
        "ability_external_id",
    ]
    assert [row[4:6] for row in rows[1:]] == [[NOTE, NOTE_ZH], ["", ""]]

    unchanged = staff_client.post(
        "/api/v1/course-abilities/import/",
        {"file": SimpleUploadedFile("links.csv", exported.encode())},
        format="multipart",
    )
    assert unchanged.status_code == 200, unchanged.content
    assert (unchanged.json()["updated"], unchanged.json()["unchanged"]) == (0, 2)

    CourseAbility.objects.update(note_zh="")
    response = staff_client.post(
        "/api/v1/course-abilities/import/",
        {"file": SimpleUploadedFile("links.csv", exported.encode())},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert _chinese_notes() == {"C-1": NOTE_ZH, "C-2": ""}


def test_the_background_import_reads_the_chinese_note(
    links, staff_client, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    exported = _api_export(staff_client)
    CourseAbility.objects.update(note_zh="")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/api/v1/course-abilities/import/",
            {"file": SimpleUploadedFile("links.csv", exported.encode()), "background": "true"},
            format="multipart",
        )
    assert response.status_code == 202, response.content
    assert _chinese_notes() == {"C-1": NOTE_ZH, "C-2": ""}


def test_the_admin_export_writes_the_chinese_note_and_its_import_reads_it_back(links, admin_client):
    prefix = "courseabilityresource_"
    fields = {
        f"{prefix}{name}": "on"
        for name in ("course", "framework", "ability", "level", "note", "note_zh")
    }
    response = admin_client.post(
        reverse("admin:curricula_courseability_export"), {"format": "0", **fields}
    )
    assert response.status_code == 200
    exported = response.content.decode("utf-8-sig")
    assert exported.splitlines()[0] == "course,framework,ability,level,note,note_zh"
    assert f"{NOTE},{NOTE_ZH}" in exported

    CourseAbility.objects.update(note_zh="")
    preview = admin_client.post(
        reverse("admin:curricula_courseability_import"),
        {"format": "0", "import_file": SimpleUploadedFile("links.csv", exported.encode())},
    )
    assert preview.status_code == 200
    confirm = admin_client.post(
        reverse("admin:curricula_courseability_process_import"),
        preview.context["confirm_form"].initial,
    )
    assert confirm.status_code == 302
    assert _chinese_notes() == {"C-1": NOTE_ZH, "C-2": ""}


def test_a_chinese_file_heads_the_chinese_note_in_chinese_and_an_xlsx_carries_it(
    links, staff_client
):
    first, _second = links
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["课程", "框架", "能力", "等级", "备注", "备注（中文）"])
    sheet.append(["C-1", str(first.ability.framework.identifier), "A1", "R", NOTE, "已改写。"])
    content = io.BytesIO()
    workbook.save(content)
    response = staff_client.post(
        "/api/v1/course-abilities/import/",
        {"file": SimpleUploadedFile("links.xlsx", content.getvalue())},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert (first.level.code, first.note, first.note_zh) == ("R", NOTE, "已改写。")


def test_a_file_without_the_chinese_note_column_leaves_the_chinese_notes_alone(links, staff_client):
    first, _second = links
    framework = first.ability.framework.identifier
    content = f"course,framework,ability,level,note\nC-1,{framework},A1,R,{NOTE}\n"
    response = staff_client.post(
        "/api/v1/course-abilities/import/",
        {"file": SimpleUploadedFile("links.csv", content.encode())},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert (first.level.code, first.note_zh) == ("R", NOTE_ZH)
