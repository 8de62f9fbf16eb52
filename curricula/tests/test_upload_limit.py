"""IMPORT_MAX_UPLOAD_MB, "the largest import upload", holds at every door that takes a file:
observed, the framework import jobs refused a file past it while the course catalogue, the
course-ability links and the crosswalk CSV (API and admin) read and imported it whole."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.models import Course, CourseAbility
from positions.models import AbilityRelation

pytestmark = pytest.mark.django_db

# Each API door, with a small file it would otherwise import.
API_DOORS = {
    "courses": ("/api/v1/courses/import/", "courses.csv", "code,title\nK1,Databases\n"),
    "links": ("/api/v1/course-abilities/import/", "links.csv", "course,ability,level\n"),
    "crosswalk": (
        "/api/v1/ability-relations/import-csv/",
        "crosswalk.csv",
        "source_framework,source,relation_type,target_framework,target\n",
    ),
}


@pytest.fixture
def small_uploads(settings):
    """Uploads of at most 1 byte (MB is a whole number: 0 makes every file too large)."""
    settings.IMPORT_MAX_UPLOAD_MB = 0
    return settings


@pytest.mark.parametrize("door", sorted(API_DOORS))
def test_an_api_upload_past_the_upload_bound_is_a_400_naming_it(door, staff_client, small_uploads):
    url, name, text = API_DOORS[door]

    response = staff_client.post(
        url, {"file": SimpleUploadedFile(name, text.encode())}, format="multipart"
    )

    assert response.status_code == 400, response.content
    (message,) = response.json()["file"]
    assert "IMPORT_MAX_UPLOAD_MB" in message
    assert not Course.objects.exists()
    assert not CourseAbility.objects.exists()
    assert not AbilityRelation.objects.exists()


@pytest.mark.parametrize("model", ["course", "courseability"])
def test_an_admin_upload_past_the_upload_bound_is_refused_by_the_form(
    model, admin_client, small_uploads
):
    preview = admin_client.post(
        reverse(f"admin:curricula_{model}_import"),
        {"format": "0", "import_file": SimpleUploadedFile("file.csv", b"code,title\nK1,Db\n")},
    )

    assert preview.status_code == 200
    (message,) = preview.context["form"].errors["import_file"]
    assert "IMPORT_MAX_UPLOAD_MB" in message
    assert "confirm_form" not in preview.context
    assert not Course.objects.exists()


def test_the_admin_crosswalk_upload_past_the_upload_bound_is_refused(admin_client, small_uploads):
    _url, name, text = API_DOORS["crosswalk"]

    page = admin_client.post(
        reverse("admin:positions_abilityrelation_import_csv"),
        {"file": SimpleUploadedFile(name, text.encode())},
    )

    assert page.status_code == 200
    (message,) = page.context["form"].errors["file"]
    assert "IMPORT_MAX_UPLOAD_MB" in message


def test_an_upload_within_the_bound_imports(staff_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    url, name, text = API_DOORS["courses"]

    response = staff_client.post(
        url, {"file": SimpleUploadedFile(name, text.encode())}, format="multipart"
    )

    assert response.status_code == 200, response.content
    assert Course.objects.get().code == "K1"
