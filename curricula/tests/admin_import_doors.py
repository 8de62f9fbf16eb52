"""The admin's course import, door by door, for tests of what each door says of a workbook (its
hidden rows, its hidden columns): the preview and the confirm step, and a background job."""

from django.contrib.messages import get_messages
from django.urls import reverse

from curricula.models import Course
from positions.models import ImportJob, ImportStatus


def previewed_and_confirmed(admin_client, upload) -> tuple[str, list[str]]:
    """The preview page's text (spaces collapsed), nothing written by it, and the messages after
    its confirm step."""
    preview = admin_client.post(
        reverse("admin:curricula_course_import"), {"format": "1", "import_file": upload}
    )
    assert preview.context["confirm_form"] is not None
    assert not Course.objects.exists()
    confirm = admin_client.post(
        reverse("admin:curricula_course_process_import"),
        preview.context["confirm_form"].initial,
    )
    assert confirm.status_code == 302
    messages = [str(message) for message in get_messages(confirm.wsgi_request)]
    return " ".join(preview.content.decode().split()), messages


def imported_in_the_background(admin_client, settings, tmp_path, capture, upload):
    """The job an upload past ADMIN_IMPORT_INLINE_ROWS became (succeeded) and its page's text
    (spaces collapsed)."""
    settings.ADMIN_IMPORT_INLINE_ROWS = 2
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")
    with capture(execute=True):
        response = admin_client.post(
            reverse("admin:curricula_course_import"), {"format": "1", "import_file": upload}
        )
    job = ImportJob.objects.get()
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED, job.report
    return job, " ".join(admin_client.get(response.url).content.decode().split())
