"""The workbook's Provenance sheet writes when a link last changed as a date and time Excel sorts
and filters, not text: observed "2026年12月4日 20:16" in a Chinese export, which sorts by its
characters (10月 before 2月) and cannot be filtered by date."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from curricula.models import CourseAbility
from curricula.tests.test_area_order import programme  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_last_changed_is_a_datetime_cell_in_the_site_s_time(
    client,
    programme,  # noqa: F811
    language,
):
    changed = datetime.datetime(2026, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    CourseAbility.objects.update(updated_at=changed)
    response = client.get(
        reverse("curricula:programme-workbook", args=[programme.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[-1]
    header = [cell.value for cell in sheet[1]]
    column = len(header)
    cells = [row[column - 1] for row in sheet.iter_rows(min_row=2)]
    assert cells
    local = timezone.localtime(changed).replace(tzinfo=None)
    for cell in cells:
        assert cell.is_date
        assert cell.value == local.replace(second=0) or cell.value == local
        assert "yy" in cell.number_format
        assert "mm" in cell.number_format
