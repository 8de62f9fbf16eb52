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
