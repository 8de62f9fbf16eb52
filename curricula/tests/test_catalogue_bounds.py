"""The course catalogue import is bounded like every import (core.limits, issue #15): a CSV with
too many rows and an XLSX (a zip) unpacking past the bound are refused, naming the bound, at
every door: the service behind the API and import_courses, and the admin's preview and confirm."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.models import Course
from curricula.services import course_catalogue_import


@pytest.fixture
def low_bounds(settings):
    settings.IMPORT_MAX_FILE_MB = 1
    settings.IMPORT_MAX_ROWS = 100
    return settings


@pytest.mark.django_db
def test_a_course_catalogue_past_the_row_bound_is_refused(low_bounds):
    content = ("code,title\n" + "".join(f"C{n},Course {n}\n" for n in range(150))).encode()

    with pytest.raises(ValidationError) as caught:
        course_catalogue_import(content=content, file_name="courses.csv")

    assert "IMPORT_MAX_ROWS" in str(caught.value)
    assert not Course.objects.exists()


@pytest.mark.django_db
def test_an_xlsx_catalogue_bomb_is_refused_before_unpacking(low_bounds):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", " " * (3 * 1024 * 1024))

    with pytest.raises(ValidationError) as caught:
        course_catalogue_import(content=buffer.getvalue(), file_name="courses.xlsx")

    assert "IMPORT_MAX_FILE_MB" in str(caught.value)


# --- the admin's import, preview and confirm, is bounded as the API and the command are ---------


def _xlsx_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", " " * (3 * 1024 * 1024))
    return buffer.getvalue()


# Each file, and a piece of what the API and import_courses answer it.
REFUSED = {
    "rows": (
        "courses.csv",
        ("code,title\n" + "".join(f"C{n},Course {n}\n" for n in range(150))).encode(),
        "(IMPORT_MAX_ROWS)",
    ),
    "a long line": (
        "courses.csv",
        b"code,title\nC1," + b"x" * 5000 + b"\n",
        "line 2 is longer than 1000 characters (IMPORT_MAX_LINE_CHARS)",
    ),
    "a zip bomb": ("courses.xlsx", _xlsx_bomb(), "(IMPORT_MAX_FILE_MB)"),
    "not a zip": ("courses.xlsx", b"code,title\n", "The file is not an Excel workbook (.xlsx)"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", REFUSED)
def test_the_admin_preview_refuses_a_file_as_the_api_does(
    low_bounds, staff_client, admin_client, case
):
    """The admin's formats parsed the upload with no bound at all (a zip bomb as XLSX, any
    number of rows, endless lines), where the API and import_courses refuse it, and worded a
    broken file as the name of an exception."""
    low_bounds.IMPORT_MAX_LINE_CHARS = 1000
    name, content, expected = REFUSED[case]
    api = staff_client.post(
        "/api/v1/courses/import/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )
    assert api.status_code == 400
    refusal = api.json()["file"]
    assert expected in refusal[0]

    preview = admin_client.post(
        reverse("admin:curricula_course_import"),
        {
            "format": "1" if name.endswith(".xlsx") else "0",
            "import_file": SimpleUploadedFile(name, content),
        },
    )

    assert preview.status_code == 200
    assert preview.context["form"].errors["import_file"] == refusal
    assert "confirm_form" not in preview.context
    assert not Course.objects.exists()


@pytest.mark.django_db
def test_the_admin_refuses_a_csv_larger_than_a_file_may_be(low_bounds, admin_client):
    row = "C{n}," + "t" * 15_000 + "\n"
    content = ("code,title\n" + "".join(row.format(n=n) for n in range(99))).encode()
    assert len(content) > 1024 * 1024

    preview = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": SimpleUploadedFile("courses.csv", content)},
    )

    (error,) = preview.context["form"].errors["import_file"]
    assert error.startswith("The file is 1.4 MB unpacked, more than the 1 MB")
    assert "(IMPORT_MAX_FILE_MB)" in error
    with pytest.raises(ValidationError, match="IMPORT_MAX_FILE_MB"):
        course_catalogue_import(content=content, file_name="courses.csv")


@pytest.mark.django_db
def test_the_admin_confirm_step_reads_the_file_within_the_bounds_too(settings, admin_client):
    """The confirm step reads the stored file again: within the bounds as they are then, or
    nothing is written and the page says which bound."""
    content = ("code,title\n" + "".join(f"C{n},Course {n}\n" for n in range(5))).encode()
    preview = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "0", "import_file": SimpleUploadedFile("courses.csv", content)},
    )
    settings.IMPORT_MAX_ROWS = 3

    confirm = admin_client.post(
        reverse("admin:curricula_course_process_import"),
        preview.context["confirm_form"].initial,
        follow=True,
    )

    assert confirm.redirect_chain == [(reverse("admin:curricula_course_import"), 302)]
    assert [str(message) for message in confirm.context["messages"]] == [
        "the file has more than 3 lines (IMPORT_MAX_ROWS)"
    ]
    assert not Course.objects.exists()
