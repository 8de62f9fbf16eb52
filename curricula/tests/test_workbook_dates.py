"""The workbook's Provenance sheet writes when a link last changed as a date and time Excel sorts
and filters, not text: observed "2026年12月4日 20:16" in a Chinese export, which sorts by its
characters (10月 before 2月) and cannot be filtered by date."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.times import zone_label
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
    with translation.override(language):
        column = header.index(gettext("Last changed"))
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert cells
    local = timezone.localtime(changed).replace(tzinfo=None)
    for cell in cells:
        assert cell.is_date
        assert cell.value == local.replace(second=0) or cell.value == local
        assert "yy" in cell.number_format
        assert "mm" in cell.number_format


def _summary_times(response) -> dict[str, openpyxl.cell.Cell]:
    """The Summary sheet's "Computed" value cell: its last row, whatever the language of its
    label. (It said when the file was exported too, which changed the file, and its ETag, every
    minute: competency_site/tests/test_http.py.)"""
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows())
    return {"computed": rows[-1][1]}


def _assert_site_time_cell(cell, expected: datetime.datetime) -> None:
    local = timezone.localtime(expected).replace(tzinfo=None)
    assert cell.is_date, cell.value
    assert cell.value.tzinfo is None
    assert abs(cell.value - local.replace(second=0, microsecond=0)) <= datetime.timedelta(minutes=1)
    # Excel's dates have no zone: the cell's format says the site's (observed unsaid).
    assert cell.number_format == f'yyyy-mm-dd hh:mm "{zone_label(expected)}"'


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("filtered", [False, True])
def test_summary_computed_is_a_datetime_cell_in_the_site_s_time(
    api_client,
    settings,
    programme,  # noqa: F811
    language,
    filtered,
):
    """The Summary sheet's "Computed" (and "Exported", since dropped) were the page's text
    ("2026年12月4日 20:16"); they are date cells as the Provenance sheet's are, for the stored
    report and for a filtered view's (computed when asked), in the site's time zone (not UTC
    here)."""
    settings.TIME_ZONE = "Asia/Shanghai"
    computed = datetime.datetime(2026, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
    programme.coverage.__class__.objects.filter(pk=programme.coverage.pk).update(
        computed_at=computed
    )
    url = f"/api/v1/programs/{programme.pk}/workbook.xlsx"
    if filtered:
        url += "?q=ability"
    before = timezone.now()
    response = api_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    after = timezone.now()
    assert response.status_code == 200
    cells = _summary_times(response)
    _assert_site_time_cell(cells["computed"], before if filtered else computed)
    if filtered:
        _assert_site_time_cell(cells["computed"], after)


def test_each_last_changed_cell_says_its_offset_across_a_dst_change(
    client,
    settings,
    programme,  # noqa: F811
):
    """New York, 1 November 2026: 01:30 happens twice. Two links changed an hour apart
    showed the same "2026-11-01 01:30", with nothing to tell them apart or to say the zone."""
    settings.TIME_ZONE = "America/New_York"
    links = list(CourseAbility.objects.order_by("pk")[:2])
    assert len(links) == 2
    first = datetime.datetime(2026, 11, 1, 5, 30, tzinfo=datetime.UTC)
    for link, when in zip(links, (first, first + datetime.timedelta(hours=1)), strict=True):
        CourseAbility.objects.filter(pk=link.pk).update(updated_at=when)
    response = client.get(reverse("curricula:programme-workbook", args=[programme.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[-1]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Last changed")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    wall = datetime.datetime(2026, 11, 1, 1, 30)  # noqa: DTZ001  (Excel's: no zone)
    shown = {cell.number_format for cell in cells if cell.value == wall}
    assert shown == {'yyyy-mm-dd hh:mm "UTC-04:00"', 'yyyy-mm-dd hh:mm "UTC-05:00"'}
