"""An admin import of a file with nothing to import says so in the reader's language."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

HEADER_ONLY = "The file has a header row but no rows under it: there is nothing to import."


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def _page(admin_client, admin: str, name: str, data: bytes, language: str) -> str:
    return admin_client.post(
        reverse(f"admin:curricula_{admin}_import"),
        {
            "format": "1" if name.endswith(".xlsx") else "0",
            "import_file": SimpleUploadedFile(name, data),
        },
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()


@pytest.mark.parametrize("admin", ["courseability", "course"])
def test_an_empty_workbook_names_the_columns_in_chinese(admin_client, admin):
    """Observed: an empty workbook (a new sheet saved with nothing in it) was refused on a Chinese
    page with django-import-export's English "No valid data to import. Ensure your file has the
    correct headers or data for import.", where the API named the columns the file lacks."""
    page = _page(admin_client, admin, "empty.xlsx", _empty_workbook(), "zh-hans")
    assert "No valid data" not in page
    assert "文件缺少以下列" in page


@pytest.mark.parametrize(
    ("admin", "header"),
    [("courseability", b"course,framework,ability,level\n"), ("course", b"code,title\n")],
)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_file_of_its_header_alone_says_it_has_no_rows(admin_client, admin, header, language):
    """Observed: a CSV of the right header and no row was refused, on Chinese pages too, with the
    library's English "No valid data to import. Ensure your file has the correct headers or data
    for import.", though its headers were right: the page now says there is no row under them,
    in the reader's language."""
    page = _page(admin_client, admin, "header.csv", header, language)
    assert "No valid data" not in page
    with translation.override(language):
        expected = translation.gettext(HEADER_ONLY)
    assert expected in page
