"""The gap report's badge says what the figures shown are. Unfiltered they are the stored
report's, and the badge is its state (fresh, stale, computing). Filtered (a target position,
a status, an area, a search...) they are computed for the view when the page is asked, from the
map as it is, not read from the stored report: the badge said "fresh" there, also while the
stored report was stale, so a designer comparing the two views read a stale report's figures
as up to date in one and out of date in the other. A filtered view now says its figures are
computed for the filters shown, on the page, the printable report and the workbook."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from curricula.models import ProgrammeCoverage
from curricula.tests.test_pages import _programme

pytestmark = pytest.mark.django_db


def _head(html: str) -> str:
    start = html.index('id="gap-report"')
    return html[start : html.index("</div>", start)]


@pytest.mark.parametrize("stored", ["fresh", "stale"])
def test_a_filtered_gap_report_says_its_figures_are_for_the_filters(client, stored):
    programme = _programme()
    ProgrammeCoverage.objects.filter(programme=programme).update(state=stored)
    html = client.get(programme.get_absolute_url(), {"status": "missing"}).text
    head = _head(html)
    assert "badge--fresh" not in head
    assert "badge--stale" not in head
    assert "badge--filtered" in head
    assert "for the filters shown" in head
    # Nothing to wait for: the figures are as of now, so the report does not poll.
    assert "hx-trigger" not in head


def test_the_whole_programme_keeps_the_stored_reports_state(client):
    programme = _programme()
    assert "badge--fresh" in _head(client.get(programme.get_absolute_url()).text)
    ProgrammeCoverage.objects.filter(programme=programme).update(state="stale")
    head = _head(client.get(programme.get_absolute_url()).text)
    assert "badge--stale" in head
    assert 'data-hx-trigger="every 1s"' in head


def test_the_printable_report_of_a_filtered_view_is_not_called_out_of_date(client):
    programme = _programme()
    ProgrammeCoverage.objects.filter(programme=programme).update(state="stale")
    url = reverse("curricula:programme-report", args=[programme.pk])
    filtered = client.get(url, {"status": "missing"}).text
    assert "Out of date" not in filtered
    assert "for the filters shown" in filtered
    assert "Out of date" in client.get(url).text


def test_the_workbook_of_a_filtered_view_says_so_in_words(client):
    programme = _programme()
    url = reverse("curricula:programme-workbook", args=[programme.pk])

    def state(query: dict) -> str:
        book = load_workbook(io.BytesIO(client.get(url, query).content))
        for sheet in book.worksheets:
            for label, value, *_rest in sheet.iter_rows(values_only=True):
                if label == "Report state":
                    return value
        raise AssertionError("no report state")

    assert state({}) == "fresh"
    assert state({"status": "missing"}) == "computed for the filters shown"
