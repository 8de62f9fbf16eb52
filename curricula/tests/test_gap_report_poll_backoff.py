"""A programme page whose stored report is out of date polls it less often the longer it stays so.

Observed in a deployment pass: a programme page left open while its coverage report was stale
asked for the gap report every second for as long as the worker was down. The interval is now
the server's: about a tenth of how long the report has been waiting (stale, or computing since
its recompute claimed it), from 1 s up to 30 s; the page is rendered with it, and each "nothing
new" answer (204) says it again in an HX-Trigger header the page's poll follows (site.js). A
normal recompute, done within seconds, still shows within a second or two."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from curricula.models import ProgrammeCoverage
from curricula.selectors.programmes import (
    REPORT_POLL_CEILING,
    REPORT_POLL_FIRST,
    report_poll_seconds,
)
from curricula.tests.test_pages import _poll_address, _programme

pytestmark = pytest.mark.django_db


def test_the_interval_grows_with_the_wait_up_to_a_ceiling():
    seconds = [report_poll_seconds(timedelta(seconds=s)) for s in (0, 5, 19, 60, 180, 3600)]

    assert seconds[:3] == [REPORT_POLL_FIRST, REPORT_POLL_FIRST, REPORT_POLL_FIRST] == [1, 1, 1]
    assert seconds == sorted(seconds)
    assert seconds[3] == 6
    assert seconds[-1] == REPORT_POLL_CEILING == 30
    # A clock moved back (a stale_since ahead of now) polls as a fresh wait.
    assert report_poll_seconds(timedelta(seconds=-50)) == REPORT_POLL_FIRST


def _stale_for(programme, seconds: float, *, state: str = "stale") -> None:
    since = timezone.now() - timedelta(seconds=seconds)
    ProgrammeCoverage.objects.filter(programme=programme).update(
        state=state, stale_since=since, claimed_at=since
    )


def _nothing_new(client, programme) -> int:
    page = client.get(programme.get_absolute_url()).content.decode()
    response = client.get(_poll_address(page))
    assert response.status_code == 204
    return json.loads(response["HX-Trigger"])["gap-report-poll"]["seconds"]


def test_a_report_just_made_stale_is_polled_every_second(client):
    programme = _programme()
    _stale_for(programme, 2)

    page = client.get(programme.get_absolute_url()).content.decode()

    assert 'data-hx-trigger="every 1s"' in page
    assert _nothing_new(client, programme) == 1


def test_a_report_stale_for_long_is_polled_seldom(client):
    programme = _programme()
    _stale_for(programme, 2 * 60)

    page = client.get(programme.get_absolute_url()).content.decode()

    assert 'data-hx-trigger="every 12s"' in page
    assert _nothing_new(client, programme) == 12

    _stale_for(programme, 3 * 3600)
    assert _nothing_new(client, programme) == 30


def test_a_recompute_under_way_counts_from_its_claim(client):
    """The worker is back: a report stale for hours and claimed a second ago is polled every
    second, so that it shows as soon as it is computed."""
    programme = _programme()
    ProgrammeCoverage.objects.filter(programme=programme).update(
        state="computing",
        stale_since=timezone.now() - timedelta(hours=3),
        claimed_at=timezone.now() - timedelta(seconds=1),
    )

    assert _nothing_new(client, programme) == 1


def test_the_fragment_polled_asks_the_same_interval(client):
    programme = _programme()
    _stale_for(programme, 5 * 60)

    html = client.get(reverse("curricula:programme-gaps", args=[programme.pk])).content.decode()

    assert 'data-hx-trigger="every 30s"' in html
