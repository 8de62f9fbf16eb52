"""After the admin's catalogue import, the message says what to do next. Observed (a nursing
catalogue imported into an empty database): "Import finished: 6 new, 0 updated, 0 deleted and 0
skipped courses." and the course list, nothing more, while the gap report and the mapping
assistant's programme review work only on a programme's courses (README, the mapping assistant's
step 1: "Then put the courses in a programme")."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:curricula_course_import")
CONFIRM_URL = reverse("admin:curricula_course_process_import")
ADD_PROGRAMME = reverse("admin:curricula_programme_add")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def _import(client, content: bytes) -> list[str]:
    preview = client.post(
        IMPORT_URL, {"format": "0", "import_file": SimpleUploadedFile("courses.csv", content)}
    )
    confirm = client.post(CONFIRM_URL, preview.context["confirm_form"].initial)
    assert confirm.status_code == 302
    return [str(message) for message in get_messages(confirm.wsgi_request)]


def test_new_courses_are_followed_by_a_link_to_add_a_programme(admin_client):
    said = _import(admin_client, b"code,title\nNUR101,Foundations of Nursing\nNUR102,Drugs\n")
    (next_step,) = [message for message in said if ADD_PROGRAMME in message]
    assert "put the new courses in a programme" in next_step


def test_an_import_updating_courses_alone_says_nothing_more(admin_client):
    CourseFactory(code="NUR101", title="Old title")
    said = _import(admin_client, b"code,title\nNUR101,Foundations of Nursing\n")
    assert not [message for message in said if ADD_PROGRAMME in message]


# --- A catalogue large enough to be imported by a background job (its own page) ------------------


@pytest.fixture
def _jobs(settings, tmp_path):
    settings.ADMIN_IMPORT_INLINE_ROWS = 3
    settings.IMPORT_UPLOAD_ROOT = str(tmp_path / "uploads")


def _job_page(client, content: bytes, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            IMPORT_URL,
            {"format": "0", "import_file": SimpleUploadedFile("courses.csv", content)},
        )
    assert response.status_code == 302
    assert "/import/jobs/" in response.url
    return client.get(response.url).content.decode()


# The admin's side menu links "Programmes, Add" on every page: the next step is this sentence.
NEXT_STEP = "put the new courses in a programme"
LARGE = ("code,title\n" + "".join(f"NUR{n},Course {n}\n" for n in range(6))).encode()


@pytest.mark.usefixtures("_jobs")
def test_a_job_that_created_courses_shows_the_next_step_on_its_page(
    admin_client, django_capture_on_commit_callbacks
):
    """Observed: a catalogue imported as a background job ended on its page with its counts,
    and no word of the programme the new courses must be put in."""
    page = _job_page(admin_client, LARGE, django_capture_on_commit_callbacks)
    assert 'data-status="succeeded"' in page
    assert "put the new courses in a programme" in page
    assert f'<a href="{ADD_PROGRAMME}">Programmes, Add</a>' in page


@pytest.mark.usefixtures("_jobs")
def test_a_job_that_only_updated_courses_or_failed_shows_no_next_step(
    admin_client, django_capture_on_commit_callbacks
):
    for n in range(6):
        CourseFactory(code=f"NUR{n}", title="Old title")
    page = _job_page(admin_client, LARGE, django_capture_on_commit_callbacks)
    assert 'data-status="succeeded"' in page
    assert NEXT_STEP not in page
    failing = LARGE + b"NEW1,\n"  # a row without a title: nothing is imported
    page = _job_page(admin_client, failing, django_capture_on_commit_callbacks)
    assert 'data-status="failed"' in page
    assert NEXT_STEP not in page


@pytest.mark.usefixtures("_jobs")
def test_the_next_step_is_not_offered_to_who_may_not_add_programmes(
    client, staff_user, django_capture_on_commit_callbacks
):
    staff_user.user_permissions.remove(
        *staff_user.user_permissions.filter(codename="add_programme")
    )
    client.force_login(staff_user)
    page = _job_page(client, LARGE, django_capture_on_commit_callbacks)
    assert 'data-status="succeeded"' in page
    assert NEXT_STEP not in page
