"""An import's report names the file the client sent, not the name it was stored under.

Observed: the second upload of `skills.json` (an integrator sending the same file name each
night) was stored as `skills_Os5Ce1a.json`, and the failed job's report said where its problem
was as "skills_Os5Ce1a.json line 1", a file the client never had; a damaged zip likewise
("esco_XXqGPe2.zip"). The job already kept the name sent (`source_name`); the report uses it.
"""

import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from positions.importers import framework_import
from positions.models import Framework

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def test_a_file_stored_under_another_name_is_named_as_sent(tmp_path):
    stored = tmp_path / "skills_Os5Ce1a.json"
    stored.write_bytes(b'{"CFDocument": "\xff"}')

    report = framework_import(path=stored, format="case", source_name="skills.json")

    assert not report.ok
    assert report.error["where"] == "skills.json line 1"


def test_a_damaged_zip_stored_under_another_name_is_named_as_sent(tmp_path):
    stored = tmp_path / "esco_XXqGPe2.zip"
    stored.write_bytes(b"PK\x03\x04cut short")

    report = framework_import(path=stored, format="esco", source_name="esco.zip")

    assert not report.ok
    assert report.error["where"] == "esco.zip"


def test_a_member_of_a_zip_keeps_its_own_name(tmp_path):
    stored = tmp_path / "esco_XXqGPe2.zip"
    with zipfile.ZipFile(stored, "w") as archive:
        archive.writestr("occupations_en.csv", b"conceptUri,preferredLabel\n")
        archive.writestr("skills_en.csv", b"conceptUri,preferredLabel\n")
        archive.writestr("occupationSkillRelations_en.csv", b"occupationUri\n")

    report = framework_import(path=stored, format="esco", source_name="esco.zip")

    assert not report.ok
    assert report.error["where"] == "occupationSkillRelations_en.csv line 1"


def test_the_second_upload_of_a_file_name_is_reported_under_that_name(
    staff_client, django_capture_on_commit_callbacks
):
    wheres = []
    for content in (b'{"CFDocument": "\xff"}', b'{"CFDocument": "\xfe"}'):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(
                "/api/v1/imports/",
                {"file": SimpleUploadedFile("skills.json", content), "format": "case"},
                format="multipart",
            )
        assert response.status_code == 202, response.content
        job = staff_client.get(f"/api/v1/imports/{response.json()['id']}/").json()
        assert job["source_name"] == "skills.json"
        wheres.append(job["report"]["error"]["where"])

    assert wheres == ["skills.json line 1", "skills.json line 1"]
    assert not Framework.objects.exists()
