"""The admin's import shows a row that fails with the cells as the sheet holds them: a blank cell
blank. Observed (a mechanical-engineering catalogue as XLSX, its module column left blank on a
row whose credits read "3学分"): the problem table showed the blank module cell as "None", a
word that is not in the file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from curricula.tests.plan_imports import xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_a_blank_xlsx_cell_of_a_failing_row_is_shown_blank(admin_client):
    content = xlsx_bytes(
        [["code", "title", "credits", "module"], ["ME502", "Machine design", "3学分"]]
    )
    response = admin_client.post(
        reverse("admin:curricula_course_import"),
        {"format": "1", "import_file": SimpleUploadedFile("courses.xlsx", content)},
    )
    (row,) = response.context["result"].invalid_rows
    assert row.number == 2
    assert "ME502" in row.values
    assert None not in row.values
    assert "<td>None</td>" not in response.content.decode()
