"""The admin's import, preview then confirm (django-import-export), trusts nothing the confirm
form posts back: it reads only a preview file it stored itself (core.admin.ImportPreviewStorage),
in a private folder whose stale previews are removed."""

import os
import stat
import tempfile
import time
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.models import Course

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:curricula_course_import")
CONFIRM_URL = reverse("admin:curricula_course_process_import")


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _preview(client, content: bytes = b"code,title\nC1,Databases\n", name: str = "courses.csv"):
    response = client.post(
        IMPORT_URL, {"format": "0", "import_file": SimpleUploadedFile(name, content)}
    )
    assert response.context["confirm_form"] is not None, response.content.decode()[:2000]
    return response


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("posted", ["{name}", "../../tmp/{name}", "{path}"])
def test_the_confirm_step_neither_reads_nor_deletes_a_file_it_did_not_store(
    admin_client, media, posted
):
    """A file in the server's temp folder, named in the confirm form, is left alone (the
    library's TempFolderStorage imported it, then deleted it)."""
    with tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False) as victim:
        victim.write(b"code,title\nV1,Not for import\n")
    path = Path(victim.name)
    try:
        response = admin_client.post(
            CONFIRM_URL,
            {
                "import_file_name": posted.format(name=path.name, path=path),
                "original_file_name": "courses.csv",
                "format": "0",
                "resource": "0",
            },
        )

        assert response.status_code == 302
        assert response["Location"] == IMPORT_URL
        assert _messages(response) == [
            "This import cannot be confirmed: it names no file this site stored. "
            "Upload the file again."
        ]
        assert path.read_bytes() == b"code,title\nV1,Not for import\n"
        assert not Course.objects.exists()
    finally:
        path.unlink(missing_ok=True)


def test_a_preview_is_kept_in_a_private_folder_until_it_is_confirmed(admin_client, media):
    preview = _preview(admin_client)
    name = preview.context["confirm_form"].initial["import_file_name"]
    stored = media / "import-previews" / name

    assert stored.read_bytes() == b"code,title\nC1,Databases\n"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert not (Path(tempfile.gettempdir()) / name).exists()

    confirm = admin_client.post(CONFIRM_URL, preview.context["confirm_form"].initial)

    assert confirm.status_code == 302
    assert Course.objects.get(code="C1").title == "Databases"
    assert not stored.exists()


def test_a_new_preview_removes_the_previews_older_than_a_day(admin_client, media):
    folder = media / "import-previews"
    folder.mkdir()
    stale, recent = folder / ("a" * 32), folder / ("b" * 32)
    stale.write_bytes(b"code,title\nOLD,Never confirmed\n")
    recent.write_bytes(b"code,title\nNEW,Still being looked at\n")
    two_days_ago = time.time() - 2 * 86400
    os.utime(stale, (two_days_ago, two_days_ago))

    _preview(admin_client)

    assert not stale.exists()
    assert recent.exists()
