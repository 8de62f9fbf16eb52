"""The admin's import, preview then confirm (django-import-export), trusts nothing the confirm
form posts back: it reads only a preview file it stored itself
(core.import_previews.ImportPreviewStorage), in a private folder whose stale previews are
removed, and each preview is imported once."""

import os
import stat
import tempfile
import time
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.import_previews import ImportPreviewStorage, ImportPreviewUnavailable
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


ADD_PROGRAMME = reverse("admin:curricula_programme_add")
NEXT_STEP = (
    f'Next, put the new courses in a programme (<a href="{ADD_PROGRAMME}">'
    "Programmes, Add</a>): its gap report and its suggestion review work on the programme's "
    "courses."
)
GONE = (
    "This import has already been confirmed, or its preview has expired (a preview is kept for "
    "a day): nothing more was imported. To import the file again, upload it again."
)


def _history_rows() -> int:
    return Course.history.count()


def test_confirming_twice_says_the_import_is_done_and_writes_nothing_more(admin_client, media):
    """A double click, or Back then Confirm again, was a 500 (FileNotFoundError)."""
    preview = _preview(admin_client)
    confirm = preview.context["confirm_form"].initial
    first = admin_client.post(CONFIRM_URL, confirm)
    assert first.status_code == 302
    assert first["Location"] == reverse("admin:curricula_course_changelist")
    history = _history_rows()

    second = admin_client.post(CONFIRM_URL, confirm)

    assert second.status_code == 302
    assert second["Location"] == IMPORT_URL
    # The first confirm's message was never shown: no page was rendered in between.
    assert _messages(second) == [
        "Import finished: 1 new, 0 updated, 0 deleted and 0 skipped courses.",
        NEXT_STEP,
        GONE,
    ]
    assert list(Course.objects.values_list("code", flat=True)) == ["C1"]
    assert _history_rows() == history


def test_of_two_confirms_sent_together_only_one_gets_the_file(media):
    """Two requests confirming the same preview at once (a double click): the first to claim
    the file imports it, the other is told it is done, even before the first has finished."""
    preview = ImportPreviewStorage(read_mode="rb")
    preview.save(b"code,title\nC1,Databases\n")
    first = ImportPreviewStorage(name=preview.name, read_mode="rb")
    second = ImportPreviewStorage(name=preview.name, read_mode="rb")

    assert first.read() == b"code,title\nC1,Databases\n"
    with pytest.raises(ImportPreviewUnavailable) as caught:
        second.read()
    assert caught.value.message == GONE
    first.remove()
    assert not any((media / "import-previews").iterdir())


def test_a_preview_older_than_a_day_is_not_confirmed(admin_client, media):
    preview = _preview(admin_client)
    confirm = preview.context["confirm_form"].initial
    stored = media / "import-previews" / confirm["import_file_name"]
    two_days_ago = time.time() - 2 * 86400
    os.utime(stored, (two_days_ago, two_days_ago))

    response = admin_client.post(CONFIRM_URL, confirm)

    assert response["Location"] == IMPORT_URL
    assert _messages(response) == [GONE]
    assert not Course.objects.exists()
    assert not any((media / "import-previews").iterdir())


@pytest.mark.parametrize(
    ("field", "value"), [("format", "7"), ("format", "x"), ("format", "²"), ("resource", "3")]
)
def test_a_confirm_form_naming_a_format_or_resource_not_offered_is_refused(
    admin_client, media, field, value
):
    """The library indexes its lists of formats and resources with the posted values: a 500."""
    preview = _preview(admin_client)
    confirm = {**preview.context["confirm_form"].initial, field: value}

    response = admin_client.post(CONFIRM_URL, confirm)

    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert _messages(response) == [
        "This import cannot be confirmed: its form was altered. Upload the file again."
    ]
    assert not Course.objects.exists()
