"""Issue 15, observed 13 (second half): uploads are kept outside the repository's tracked files,
wherever DJANGO_MEDIA_ROOT says, and deleted after IMPORT_UPLOAD_RETENTION_DAYS."""

import os
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from conftest import django_in_a_fresh_process
from positions.models import ImportJob, ImportStatus, import_upload_storage

ROOT = Path(__file__).resolve().parents[2]


def _media_root_in_a_fresh_process(**env: str) -> str:
    result = django_in_a_fresh_process("settings.MEDIA_ROOT", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _ignored_by_git(path: Path) -> bool:
    relative = path.resolve().relative_to(ROOT)
    done = subprocess.run(
        ["git", "check-ignore", "-q", str(relative)], cwd=ROOT, check=False, timeout=30
    )
    return done.returncode == 0


def test_uploads_go_to_a_git_ignored_folder_or_where_the_environment_says(tmp_path):
    default = Path(_media_root_in_a_fresh_process())
    assert default == ROOT / "var" / "media"
    assert _ignored_by_git(default / "imports" / "2026" / "12" / "upload.zip")
    # A stray media/ folder at the top, where Django projects often keep uploads, is ignored too.
    assert _ignored_by_git(ROOT / "media" / "imports" / "upload.zip")
    assert _media_root_in_a_fresh_process(DJANGO_MEDIA_ROOT=str(tmp_path)) == str(tmp_path)


@pytest.fixture
def uploads(settings, tmp_path):
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    settings.IMPORT_UPLOAD_RETENTION_DAYS = 30
    storage = import_upload_storage()

    def upload(name: str, *, age_days: float, status: str | None = None) -> Path:
        stored = storage.save(f"2026/11/{name}", ContentFile(b"data"))
        path = Path(storage.path(stored))
        when = time.time() - age_days * 86400
        os.utime(path, (when, when))
        if status is not None:
            ImportJob.objects.create(format="case", upload=stored, status=status)
        return path

    return upload


@pytest.mark.django_db
def test_uploads_past_the_retention_period_are_deleted_but_running_jobs_keep_theirs(uploads):
    old_done = uploads("old-done.json", age_days=31, status=ImportStatus.SUCCEEDED)
    old_running = uploads("old-running.json", age_days=31, status=ImportStatus.RUNNING)
    orphan = uploads("orphan.json", age_days=40)
    recent = uploads("recent.json", age_days=2, status=ImportStatus.FAILED)

    call_command("purge_import_uploads")

    assert not old_done.exists()
    assert not orphan.exists()
    assert old_running.exists()
    assert recent.exists()
    # The jobs stay, with their reports and the name of what was uploaded.
    assert ImportJob.objects.count() == 3
    assert ImportJob.objects.get(status=ImportStatus.SUCCEEDED).upload.name.endswith(
        "old-done.json"
    )


@pytest.mark.django_db
def test_days_can_be_given_and_empty_folders_go(uploads):
    recent = uploads("recent.json", age_days=2)
    call_command("purge_import_uploads", days=1)
    assert not recent.exists()
    assert not recent.parent.exists()
    with pytest.raises(CommandError):
        call_command("purge_import_uploads", days=-1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "fields", "stem"),
    [
        ("/api/v1/imports/", {"format": "case"}, "a" * 300),
        ("/api/v1/imports/", {"format": "case"}, "能力" * 100),
        ("/api/v1/courses/import/", {"background": "true"}, "b" * 300),
    ],
)
def test_an_upload_with_a_name_too_long_for_the_file_system_is_kept(
    settings, tmp_path, staff_client, url, fields, stem
):
    """Observed: a file named with 300 characters made a background import a 500 (OSError:
    "File name too long"), the file system's limit being 255 bytes a name. The stored name is
    shortened (its extension kept); the job keeps the name as sent."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    extension = ".json" if "format" in fields else ".csv"
    content = b"{}" if "format" in fields else b"code,title\nA1,One\n"
    upload = SimpleUploadedFile(stem + extension, content)

    response = staff_client.post(url, {"file": upload, **fields}, format="multipart")

    assert response.status_code == 202, response.content
    job = ImportJob.objects.get()
    stored = Path(job.upload.name).name
    assert stored.endswith(extension)
    assert len(stored.encode()) <= 150
    assert Path(import_upload_storage().path(job.upload.name)).read_bytes() == content
    assert job.source_name.startswith(stem[:100])


@pytest.mark.django_db
def test_the_daily_purge_removes_admin_previews_never_confirmed(settings, tmp_path):
    """Observed: the admin import's file kept between its preview and the confirm step was
    removed after a day only when someone previewed another import; a site where nobody did kept
    every unconfirmed upload (a catalogue, a framework) for ever, though the README says a day.
    The daily purge removes them too; a preview still awaiting its confirm stays."""
    from core.import_previews import ImportPreviewStorage

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    stale, fresh = ImportPreviewStorage(), ImportPreviewStorage()
    stale.save(b"code,title\nA1,One\n")
    fresh.save(b"code,title\nA2,Two\n")
    stale_path = ImportPreviewStorage.folder() / stale.name
    when = time.time() - ImportPreviewStorage.MAX_AGE - 60
    os.utime(stale_path, (when, when))

    call_command("purge_import_uploads")

    assert not stale_path.exists()
    assert (ImportPreviewStorage.folder() / fresh.name).exists()
