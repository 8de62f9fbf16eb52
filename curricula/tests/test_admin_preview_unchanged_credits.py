"""Observed (trying the product as a new administrator): re-importing an unchanged catalogue,
the admin's preview listed every course as *Skipped* (unchanged) yet marked its credits as
changed, “3.0” struck through beside “3”: the stored credits (one decimal place) and the file's
were rendered each in its own form. The same number is now written the same way on both sides,
so an unchanged course shows no change, and a changed one still does."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def _preview(client, text: str):
    upload = SimpleUploadedFile("courses.csv", text.encode(), content_type="text/csv")
    return client.post(
        reverse("admin:curricula_course_import"), {"format": "0", "import_file": upload}
    )


def _credits_cells(page) -> list[str]:
    result = page.context["result"]
    column = result.diff_headers.index("credits")
    return [str(row.diff[column]) for row in result.valid_rows()]


@pytest.mark.parametrize(("stored", "written"), [("3", "3"), ("2.5", "2.50"), ("4", "4.0")])
def test_an_unchanged_course_s_credits_show_no_change(admin_client, stored, written):
    # Read back as the database keeps it, with its one decimal place (3.0).
    CourseFactory(code="WEB101", title="Web Development Basics", credits=stored)

    page = _preview(admin_client, f"code,title,credits\nWEB101,Web Development Basics,{written}\n")

    [row] = page.context["result"].valid_rows()
    assert row.import_type == "skip"
    [cell] = _credits_cells(page)
    assert "<del" not in cell
    assert "<ins" not in cell


def test_changed_credits_still_show_the_change(admin_client):
    CourseFactory(code="WEB101", title="Web Development Basics", credits="3")

    page = _preview(admin_client, "code,title,credits\nWEB101,Web Development Basics,4\n")

    [cell] = _credits_cells(page)
    assert "<del" in cell
    assert "<ins" in cell
