"""After the admin's catalogue import, the message says what to do next. Observed (a nursing
catalogue imported into an empty database): "Import finished: 6 new, 0 updated, 0 deleted and 0
skipped courses." and the course list, nothing more, while the gap report and the mapping
assistant's programme review work only on a programme's courses (README, the mapping assistant's
step 1: "Then put the courses in a programme")."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.models import Course
from curricula.tests.factories import CourseFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:curricula_course_import")
CONFIRM_URL = reverse("admin:curricula_course_process_import")
ADD_PROGRAMME = reverse("admin:curricula_programme_add")
COURSES = reverse("admin:curricula_course_changelist")
IN_NO_PROGRAMME = f"{COURSES}?in_programme=no"
ACTION = "“Add to a programme…”"


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


def _without(user, codename: str) -> None:
    user.user_permissions.remove(*user.user_permissions.filter(codename=codename))


def test_with_a_programme_the_next_step_names_the_action_that_adds_the_new_courses(admin_client):
    """Observed (a civil engineering programme made before its catalogue was imported): the
    message linked only *Programmes, Add*, though the courses' action *Add to a programme…*
    puts them in the existing one in one step. With a programme, the message links the courses
    in no programme (the new ones among them) and names the action, and keeps the *Add* link."""
    ProgrammeFactory(name="Civil engineering")
    said = _import(admin_client, b"code,title\nCIV101,Statics\nCIV102,Surveying\n")
    (next_step,) = [message for message in said if "put the new courses in a programme" in message]
    assert f'<a href="{IN_NO_PROGRAMME}">' in next_step
    assert ACTION in next_step
    assert f'<a href="{ADD_PROGRAMME}">' in next_step


def test_the_linked_course_list_holds_the_courses_in_no_programme(admin_client):
    programme = ProgrammeFactory()
    taught = CourseFactory(code="OLD1")
    programme.programme_courses.create(course=taught, order=0)
    _import(admin_client, b"code,title\nCIV101,Statics\nCIV102,Surveying\n")
    response = admin_client.get(IN_NO_PROGRAMME)
    assert response.status_code == 200
    listed = {course.code for course in response.context["cl"].result_list}
    assert listed == {"CIV101", "CIV102"}
    everyone = admin_client.get(f"{COURSES}?in_programme=yes")
    assert {course.code for course in everyone.context["cl"].result_list} == {"OLD1"}
    assert Course.objects.count() == 3


def test_the_action_is_named_only_to_who_may_change_programmes(client, staff_user):
    ProgrammeFactory()
    _without(staff_user, "change_programme")
    client.force_login(staff_user)
    said = _import(client, b"code,title\nCIV101,Statics\n")
    (next_step,) = [message for message in said if "put the new courses in a programme" in message]
    assert ACTION not in next_step
    assert f'<a href="{ADD_PROGRAMME}">' in next_step


def test_the_add_link_is_left_out_for_who_may_only_change_programmes(client, staff_user):
    ProgrammeFactory()
    _without(staff_user, "add_programme")
    client.force_login(staff_user)
    said = _import(client, b"code,title\nCIV101,Statics\n")
    (next_step,) = [message for message in said if "put the new courses in a programme" in message]
    assert ACTION in next_step
    assert ADD_PROGRAMME not in next_step


def test_without_a_programme_the_action_is_not_offered(admin_client):
    said = _import(admin_client, b"code,title\nCIV101,Statics\n")
    (next_step,) = [message for message in said if "put the new courses in a programme" in message]
    assert ACTION not in next_step
    assert IN_NO_PROGRAMME not in next_step


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


@pytest.mark.usefixtures("_jobs")
def test_a_jobs_page_names_the_action_when_a_programme_exists(
    admin_client, django_capture_on_commit_callbacks
):
    ProgrammeFactory()
    page = _job_page(admin_client, LARGE, django_capture_on_commit_callbacks)
    assert 'data-status="succeeded"' in page
    assert f'<a href="{IN_NO_PROGRAMME}">' in page
    assert "Add to a programme…" in page
    assert f'<a href="{ADD_PROGRAMME}">Programmes, Add</a>' in page
