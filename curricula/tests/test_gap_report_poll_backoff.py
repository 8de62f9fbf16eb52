"""A programme page whose stored report is out of date polls it less often the longer it stays so.

Observed in a deployment pass: a programme page left open while its coverage report was stale
asked for the gap report every second for as long as the worker was down. The interval is now
the server's: about a tenth of how long the report has been waiting (stale, or computing since
its recompute claimed it), from 1 s up to 30 s; the page is rendered with it, and each "nothing
new" answer (204) says it again in an HX-Trigger header the page's poll follows (site.js). A
normal recompute, done within seconds, still shows within a second or two."""

import json
import re
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


def _poll_since(client, programme, *, ago: float | None = None, since: str = "") -> int:
    """The interval a "nothing new" answer asks for, the poll's `since` moved `ago` seconds
    back from the one the page wrote (or replaced by `since`)."""
    page = client.get(programme.get_absolute_url()).content.decode()
    address = _poll_address(page)
    written = re.search(r"[?&]since=(\d+)", address)
    assert written, address  # an unknown wait: the page says when it began watching
    value = since or str(int(written[1]) - int(ago or 0))
    response = client.get(address.replace(f"since={written[1]}", f"since={value}"))
    assert response.status_code == 204
    return json.loads(response["HX-Trigger"])["gap-report-poll"]["seconds"]


@pytest.mark.parametrize("row", ["without stale_since", "none"])
def test_a_report_whose_wait_is_unknown_backs_off_from_when_the_page_began_watching(client, row):
    """Observed: a report out of date with no `stale_since` (a row from before the column, a
    recompute claimed without a time, a programme with no coverage row) was polled every second
    for as long as the page stayed open. The page's poll now carries when it began watching,
    and the interval grows from that, as from a known wait, up to the ceiling."""
    programme = _programme()
    if row == "none":
        ProgrammeCoverage.objects.filter(programme=programme).delete()
    else:
        ProgrammeCoverage.objects.filter(programme=programme).update(
            state="computing", stale_since=None, claimed_at=None
        )

    page = client.get(programme.get_absolute_url()).content.decode()
    assert 'data-hx-trigger="every 1s"' in page
    assert _poll_since(client, programme, ago=0) == REPORT_POLL_FIRST
    assert _poll_since(client, programme, ago=2 * 60) == 12
    assert _poll_since(client, programme, ago=3 * 3600) == REPORT_POLL_CEILING
    # A time ahead of now, or none, is a page that just began watching.
    assert _poll_since(client, programme, ago=-3600) == REPORT_POLL_FIRST
    assert _poll_since(client, programme, since="x") == REPORT_POLL_FIRST


def test_a_known_wait_is_not_told_by_the_page(client):
    """A report whose wait is known polls by it; its poll carries no `since` to trust."""
    programme = _programme()
    _stale_for(programme, 2 * 60)

    page = client.get(programme.get_absolute_url()).content.decode()

    assert "since=" not in _poll_address(page)
